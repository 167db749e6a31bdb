/** ListGroups (API key 16): the groups this broker coordinates, as in Kafka (admin clients ask every broker). */
import { AclOperation, type ListGroupsRequest, type ListGroupsResponse } from '../../protocol/index.js'
import { groupRoutingError } from './coordinator-routing.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a ListGroups request at a broker. */
export function handleListGroups(ctx: HandlerContext, request: ListGroupsRequest): ListGroupsResponse {
  const all = ctx.cluster.groupCoordinator.listGroups(request)
  return { ...all, groups: all.groups.filter((g) => groupRoutingError(ctx, g.groupId, AclOperation.DESCRIBE) === 0) }
}

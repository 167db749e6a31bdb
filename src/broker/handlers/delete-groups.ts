/** DeleteGroups (API key 42): each group is deleted by its coordinator; others get NOT_COORDINATOR in their entry. */
import { AclOperation, type DeleteGroupsRequest, type DeleteGroupsResponse } from '../../protocol/index.js'
import { groupRoutingError } from './coordinator-routing.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a DeleteGroups request at a broker. */
export function handleDeleteGroups(ctx: HandlerContext, request: DeleteGroupsRequest): DeleteGroupsResponse {
  const mine = request.groupIds.filter((g) => groupRoutingError(ctx, g, AclOperation.DELETE) === 0)
  const deleted = new Map(ctx.cluster.groupCoordinator.deleteGroups({ groupIds: mine }).results.map((r) => [r.groupId, r]))
  return { results: request.groupIds.map((groupId) => deleted.get(groupId) ?? { groupId, errorCode: groupRoutingError(ctx, groupId, AclOperation.DELETE) }) }
}

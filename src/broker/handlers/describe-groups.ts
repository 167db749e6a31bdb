/**
 * DescribeGroups (API key 15): each group is described by its coordinator; a group this broker
 * does not coordinate gets NOT_COORDINATOR (or COORDINATOR_NOT_AVAILABLE) in its own entry.
 */
import { AclOperation, type DescribeGroupsRequest, type DescribeGroupsResponse } from '../../protocol/index.js'
import { groupRoutingError } from './coordinator-routing.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a DescribeGroups request at a broker. */
export function handleDescribeGroups(ctx: HandlerContext, request: DescribeGroupsRequest): DescribeGroupsResponse {
  const mine = request.groups.filter((g) => groupRoutingError(ctx, g, AclOperation.DESCRIBE) === 0)
  const described = new Map(ctx.cluster.groupCoordinator.describeGroups({ groups: mine }).groups.map((g) => [g.groupId, g]))
  return {
    groups: request.groups.map(
      (groupId) =>
        described.get(groupId) ?? {
          errorCode: groupRoutingError(ctx, groupId, AclOperation.DESCRIBE),
          groupId,
          state: 'Dead',
          protocolType: '',
          protocol: '',
          members: [],
        },
    ),
  }
}

/** JoinGroup (API key 11): routed to the group's coordinator (see coordinator-routing.ts), served by the GroupCoordinator. */
import type { JoinGroupRequest, JoinGroupResponse } from '../../protocol/index.js'
import { groupRoutingError } from './coordinator-routing.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a JoinGroup request at a broker. */
export function handleJoinGroup(ctx: HandlerContext, request: JoinGroupRequest): Promise<JoinGroupResponse> {
  const errorCode = groupRoutingError(ctx, request.groupId)
  if (errorCode !== 0) {
    return Promise.resolve({ errorCode, generationId: -1, protocolName: null, leader: '', memberId: request.memberId, members: [] })
  }
  return ctx.cluster.groupCoordinator.joinGroup(request)
}

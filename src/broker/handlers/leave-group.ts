/** LeaveGroup (API key 13): routed to the group's coordinator (see coordinator-routing.ts), served by the GroupCoordinator. */
import type { LeaveGroupRequest, LeaveGroupResponse } from '../../protocol/index.js'
import { groupRoutingError } from './coordinator-routing.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a LeaveGroup request at a broker. */
export function handleLeaveGroup(ctx: HandlerContext, request: LeaveGroupRequest): LeaveGroupResponse {
  const errorCode = groupRoutingError(ctx, request.groupId)
  return errorCode !== 0 ? { errorCode, members: [] } : ctx.cluster.groupCoordinator.leaveGroup(request)
}

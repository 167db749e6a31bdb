/** Heartbeat (API key 12): routed to the group's coordinator (see coordinator-routing.ts), served by the GroupCoordinator. */
import type { HeartbeatRequest, HeartbeatResponse } from '../../protocol/index.js'
import { groupRoutingError } from './coordinator-routing.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a Heartbeat request at a broker. */
export function handleHeartbeat(ctx: HandlerContext, request: HeartbeatRequest): HeartbeatResponse {
  const errorCode = groupRoutingError(ctx, request.groupId)
  return errorCode !== 0 ? { errorCode } : ctx.cluster.groupCoordinator.heartbeat(request)
}

/** SyncGroup (API key 14): routed to the group's coordinator (see coordinator-routing.ts), served by the GroupCoordinator. */
import type { SyncGroupRequest, SyncGroupResponse } from '../../protocol/index.js'
import { groupRoutingError } from './coordinator-routing.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a SyncGroup request at a broker. */
export function handleSyncGroup(ctx: HandlerContext, request: SyncGroupRequest): Promise<SyncGroupResponse> {
  const errorCode = groupRoutingError(ctx, request.groupId)
  if (errorCode !== 0) return Promise.resolve({ errorCode, assignment: Buffer.alloc(0) })
  return ctx.cluster.groupCoordinator.syncGroup(request)
}

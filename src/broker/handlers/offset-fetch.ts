/** OffsetFetch (API key 9): routed to the group's coordinator (see coordinator-routing.ts), served by the GroupCoordinator. */
import { AclOperation, type OffsetFetchRequest, type OffsetFetchResponse } from '../../protocol/index.js'
import { groupRoutingError } from './coordinator-routing.js'
import type { HandlerContext } from './handler-context.js'

/** Serves an OffsetFetch request at a broker. */
export function handleOffsetFetch(ctx: HandlerContext, request: OffsetFetchRequest): OffsetFetchResponse {
  const errorCode = groupRoutingError(ctx, request.groupId, AclOperation.DESCRIBE)
  return errorCode !== 0 ? { errorCode, topics: [] } : ctx.cluster.groupCoordinator.offsetFetch(request)
}

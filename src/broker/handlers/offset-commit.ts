/** OffsetCommit (API key 8): routed to the group's coordinator (see coordinator-routing.ts), served by the GroupCoordinator. */
import type { OffsetCommitRequest, OffsetCommitResponse } from '../../protocol/index.js'
import { groupRoutingError } from './coordinator-routing.js'
import type { HandlerContext } from './handler-context.js'

/** Serves an OffsetCommit request at a broker. */
export function handleOffsetCommit(ctx: HandlerContext, request: OffsetCommitRequest): OffsetCommitResponse {
  const errorCode = groupRoutingError(ctx, request.groupId)
  if (errorCode === 0) return ctx.cluster.groupCoordinator.offsetCommit(request)
  return { topics: request.topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode })) })) }
}

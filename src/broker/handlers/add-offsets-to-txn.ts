/**
 * AddOffsetsToTxn (API key 25, KIP-98): a transactional producer announces that it will commit a
 * consumer group's offsets in the transaction (`sendOffsets`); TxnOffsetCommit to the group
 * coordinator follows. Routed to the transactional id's coordinator.
 */
import type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from '../../protocol/index.js'
import { transactionRoutingError } from './coordinator-routing.js'
import type { HandlerContext } from './handler-context.js'

/** Serves an AddOffsetsToTxn request at a broker. */
export function handleAddOffsetsToTxn(ctx: HandlerContext, request: AddOffsetsToTxnRequest): AddOffsetsToTxnResponse {
  const errorCode = transactionRoutingError(ctx, request.transactionalId)
  return errorCode !== 0 ? { errorCode } : ctx.cluster.transactionCoordinator.addOffsetsToTxn(request)
}

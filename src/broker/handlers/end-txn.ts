/**
 * EndTxn (API key 26, KIP-98): commit or abort. The coordinator answers once the decision is taken
 * (PrepareCommit / PrepareAbort), then writes the markers through WriteTxnMarkers; until they are
 * all written, the next transaction's requests get CONCURRENT_TRANSACTIONS, as in Kafka.
 */
import type { EndTxnRequest, EndTxnResponse } from '../../protocol/index.js'
import { transactionRoutingError } from './coordinator-routing.js'
import type { HandlerContext } from './handler-context.js'

/** Serves an EndTxn request at a broker. */
export function handleEndTxn(ctx: HandlerContext, request: EndTxnRequest): EndTxnResponse {
  const errorCode = transactionRoutingError(ctx, request.transactionalId)
  return errorCode !== 0 ? { errorCode } : ctx.cluster.transactionCoordinator.endTxn(request)
}

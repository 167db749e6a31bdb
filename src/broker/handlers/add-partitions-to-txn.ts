/**
 * AddPartitionsToTxn (API key 24, KIP-98): a transactional producer registers a partition with its
 * coordinator before its first send there, so EndTxn knows where to write markers. Routed to the
 * transactional id's coordinator, served by the TransactionCoordinator.
 *
 * Not modelled: KIP-890's verification of the partition at the leader.
 */
import type { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from '../../protocol/index.js'
import { transactionRoutingError } from './coordinator-routing.js'
import type { HandlerContext } from './handler-context.js'

/** Serves an AddPartitionsToTxn request at a broker. */
export function handleAddPartitionsToTxn(ctx: HandlerContext, request: AddPartitionsToTxnRequest): AddPartitionsToTxnResponse {
  const errorCode = transactionRoutingError(ctx, request.transactionalId)
  if (errorCode !== 0) return { topics: request.topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((partition) => ({ partition, errorCode })) })) }
  return ctx.cluster.transactionCoordinator.addPartitionsToTxn(request)
}

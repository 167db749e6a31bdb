/**
 * TxnOffsetCommit (API key 28, KIP-98/KIP-447): offsets committed inside a transaction, sent to the
 * group's coordinator. They stay invisible (OffsetFetch with requireStable answers
 * UNSTABLE_OFFSET_COMMIT for them) until the transaction's marker reaches the group's
 * `__consumer_offsets` partition: committed on COMMIT, dropped on ABORT. The transaction is verified first (KIP-890
 * part 1): a late TxnOffsetCommit of a fenced or ended transaction is refused, not staged for good.
 */
import type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from '../../protocol/index.js'
import { groupRoutingError } from './coordinator-routing.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a TxnOffsetCommit request at a broker. */
export function handleTxnOffsetCommit(ctx: HandlerContext, request: TxnOffsetCommitRequest): TxnOffsetCommitResponse {
  let errorCode = groupRoutingError(ctx, request.groupId)
  if (errorCode === 0) errorCode = ctx.cluster.transactionCoordinator.verifyOffsetCommit(request)
  if (errorCode === 0) return ctx.cluster.groupCoordinator.txnOffsetCommit(request)
  return { topics: request.topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode })) })) }
}

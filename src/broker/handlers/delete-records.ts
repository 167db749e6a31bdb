/**
 * DeleteRecords (API key 21), at the leader: moves each partition's log start offset up to the
 * offset asked for (-1: the high watermark), so every record below it is gone for consumers
 * (OFFSET_OUT_OF_RANGE below it, ListOffsets earliest answers it). Followers follow the leader's log
 * start offset at their next fetch (the Fetch response's log_start_offset).
 *
 * Errors, as Kafka's `ReplicaManager.deleteRecordsOnLocalLog`: UNKNOWN_TOPIC_OR_PARTITION,
 * NOT_LEADER_OR_FOLLOWER, OFFSET_OUT_OF_RANGE for an offset above the high watermark or below -1,
 * POLICY_VIOLATION on a topic with `cleanup.policy=compact` alone.
 *
 * Not modelled: Kafka answers once every replica's log start offset reached the new one (the low
 * watermark of all replicas, `DelayedDeleteRecords`, or REQUEST_TIMED_OUT); kafkalite answers with the
 * leader's new log start offset at once (a row in docs/semantics.md).
 */
import { Errors, type DeleteRecordsRequest, type DeleteRecordsResponse } from '../../protocol/index.js'
import type { HandlerContext } from './handler-context.js'
import { leaderReplica } from './leader-replica.js'

/** Serves a DeleteRecords request at a broker. */
export function handleDeleteRecords(ctx: HandlerContext, request: DeleteRecordsRequest): DeleteRecordsResponse {
  return {
    topics: request.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => {
        const failed = (errorCode: number): { partition: number; lowWatermark: number; errorCode: number } => ({ partition: p.partition, lowWatermark: -1, errorCode })
        const lookup = leaderReplica(ctx.broker, t.topic, p.partition)
        if (lookup.replica === undefined) return failed(lookup.errorCode)
        const replica = lookup.replica
        const policy = replica.config.get('cleanup.policy').split(',').map((s) => s.trim())
        if (!policy.includes('delete')) return failed(Errors.POLICY_VIOLATION.code)
        const offset = p.offset === -1 ? replica.highWatermark : p.offset
        if (offset < 0 || offset > replica.highWatermark) return failed(Errors.OFFSET_OUT_OF_RANGE.code)
        return { partition: p.partition, lowWatermark: replica.advanceLogStartOffset(offset), errorCode: 0 }
      }),
    })),
  }
}

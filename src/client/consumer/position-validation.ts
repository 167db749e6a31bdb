/**
 * KIP-320 in the consumer: what an OFFSET_OUT_OF_RANGE answer means for a partition's position.
 * Below the leader's log start, records were deleted and `auto.offset.reset` (KafkaJS
 * `fromBeginning`) applies. Above its log end, the answer may come from a stale leader (a broker cut
 * off from the controller, whose log is shorter) or the log may have been truncated by a leader
 * change: the consumer reloads metadata and asks the current leader, with OffsetForLeaderEpoch,
 * where the epoch it fetched in ends (Kafka's `SubscriptionState.maybeCompleteValidation`). Only a
 * real truncation moves the position, to the first offset known to diverge; otherwise it stays.
 */
import { CONSUMER_REPLICA_ID } from '../../protocol/data-apis.js'
import type { BrokerRouter } from '../network/broker-router.js'

/** What to do with a position a leader answered OFFSET_OUT_OF_RANGE for. */
export type PositionVerdict =
  /** Below the log start: reset per `fromBeginning`. */
  | { readonly kind: 'reset' }
  /** Still valid at the current leader (or not known yet): fetch again from the same position. */
  | { readonly kind: 'keep' }
  /** The log was truncated below the position: continue from `offset`. */
  | { readonly kind: 'truncated'; readonly offset: number }

/** Decides a position after OFFSET_OUT_OF_RANGE; errors on the way keep the position (the next fetch tries again). */
export async function validatePosition(
  cluster: BrokerRouter,
  topic: string,
  partition: number,
  position: number,
  /** The leader epoch of the record before `position`. */
  fetchedInEpoch: number,
  logStartOffset: number,
): Promise<PositionVerdict> {
  if (position < logStartOffset) return { kind: 'reset' }
  cluster.invalidateMetadata()
  try {
    await cluster.refreshMetadata()
    const leader = cluster.leaderFor(topic, partition)
    if (leader < 0) return { kind: 'keep' }
    const response = await cluster.send(leader, 'OffsetForLeaderEpoch', {
      replicaId: CONSUMER_REPLICA_ID,
      topics: [{ topic, partitions: [{ partition, currentLeaderEpoch: cluster.leaderEpochFor(topic, partition), leaderEpoch: fetchedInEpoch }] }],
    })
    const result = response.topics.find((t) => t.topic === topic)?.partitions.find((p) => p.partition === partition)
    if (result === undefined || result.errorCode !== 0) {
      cluster.invalidateMetadata()
      return { kind: 'keep' }
    }
    return result.endOffset >= 0 && result.endOffset < position ? { kind: 'truncated', offset: result.endOffset } : { kind: 'keep' }
  } catch {
    cluster.invalidateMetadata()
    return { kind: 'keep' }
  }
}

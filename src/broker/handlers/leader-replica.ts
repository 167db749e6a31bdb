/** Finds the replica a leader-only request (Produce, Fetch, ListOffsets, ...) targets, or the Kafka error to answer with. */
import { Errors } from '../../protocol/index.js'
import type { Broker } from '../broker.js'
import type { Replica } from '../replica.js'

export type LeaderLookup = { readonly replica: Replica; readonly errorCode: 0 } | { readonly replica: undefined; readonly errorCode: number }

/**
 * The leader replica of `topic`/`partition` on `broker`: UNKNOWN_TOPIC_OR_PARTITION if the
 * broker's metadata does not know it, NOT_LEADER_OR_FOLLOWER if this broker is not its leader,
 * FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH if the sender's epoch is older / newer (KIP-320).
 */
export function leaderReplica(broker: Broker, topic: string, partition: number, currentLeaderEpoch = -1): LeaderLookup {
  const replica = broker.replica(topic, partition)
  const errorCode = leaderErrorOf(broker, topic, partition, replica, currentLeaderEpoch)
  return errorCode === 0 ? { replica: replica!, errorCode } : { replica: undefined, errorCode }
}

/**
 * {@link leaderReplica}'s error code alone, 0 when `replica` (the caller's `broker.replica(topic, partition)`, looked up
 * once) is the leader to use: for the per-partition checks of Fetch, which would otherwise allocate an answer per partition.
 */
export function leaderErrorOf(broker: Broker, topic: string, partition: number, replica: Replica | undefined, currentLeaderEpoch: number): number {
  const cached = broker.metadata.topic(topic)
  if (cached === undefined || !Number.isInteger(partition) || partition < 0 || partition >= cached.partitions.length) {
    return Errors.UNKNOWN_TOPIC_OR_PARTITION.code
  }
  if (replica === undefined || !replica.isLeader) return Errors.NOT_LEADER_OR_FOLLOWER.code
  if (currentLeaderEpoch >= 0 && currentLeaderEpoch < replica.leaderEpoch) return Errors.FENCED_LEADER_EPOCH.code
  if (currentLeaderEpoch > replica.leaderEpoch) return Errors.UNKNOWN_LEADER_EPOCH.code
  return 0
}

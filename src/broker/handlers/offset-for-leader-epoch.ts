/**
 * OffsetForLeaderEpoch (API key 23), at the leader: where a given leader epoch ends in the
 * leader's log (KIP-101, KIP-279). A follower coming back, or following a new leader, asks it
 * for its latest epoch and truncates the suffix the leader does not have.
 */
import type { OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse } from '../../protocol/index.js'
import type { HandlerContext } from './handler-context.js'
import { leaderReplica } from './leader-replica.js'

/** Serves an OffsetForLeaderEpoch request at a broker. */
export function handleOffsetForLeaderEpoch(ctx: HandlerContext, request: OffsetForLeaderEpochRequest): OffsetForLeaderEpochResponse {
  return {
    topics: request.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => {
        const lookup = leaderReplica(ctx.broker, t.topic, p.partition, p.currentLeaderEpoch)
        if (lookup.replica === undefined) return { partition: p.partition, errorCode: lookup.errorCode, leaderEpoch: -1, endOffset: -1 }
        const { epoch, endOffset } = lookup.replica.log.epochs.endOffsetFor(p.leaderEpoch, lookup.replica.logEndOffset)
        return { partition: p.partition, errorCode: 0, leaderEpoch: epoch, endOffset }
      }),
    })),
  }
}

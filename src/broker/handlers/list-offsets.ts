/**
 * ListOffsets (API key 2), at the leader. `-1` (latest) gives the high watermark to consumers
 * (the last stable offset with read_committed) and the log end offset to replicas; `-2`
 * (earliest) the log start offset; a timestamp the first offset whose record has a timestamp
 * at or after it, among the records a consumer may read, or -1 if none does. A consumer asking a new leader whose
 * high watermark has not yet reached the start of its epoch gets OFFSET_NOT_AVAILABLE (retriable) for latest, and for a
 * timestamp it finds no record for: the answer could lie below records consumers already read (KIP-207's rule).
 *
 * Not modelled: `-3` (max timestamp, KIP-734) and `-4`/`-5` (tiered storage) answer INVALID_REQUEST.
 */
import { EARLIEST_TIMESTAMP, Errors, LATEST_TIMESTAMP, type ListOffsetsRequest, type ListOffsetsResponse } from '../../protocol/index.js'
import type { HandlerContext } from './handler-context.js'
import { leaderReplica } from './leader-replica.js'

/** Serves a ListOffsets request at a broker. */
export function handleListOffsets(ctx: HandlerContext, request: ListOffsetsRequest): ListOffsetsResponse {
  return {
    topics: request.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => {
        const none = { partition: p.partition, timestamp: -1, offset: -1, leaderEpoch: -1 }
        // KIP-320: a client that has seen a newer leader epoch is told this broker is stale (FENCED / UNKNOWN_LEADER_EPOCH).
        const lookup = leaderReplica(ctx.broker, t.topic, p.partition, p.currentLeaderEpoch)
        if (lookup.replica === undefined) return { ...none, errorCode: lookup.errorCode }
        const replica = lookup.replica
        const readable = request.replicaId >= 0 ? replica.logEndOffset : request.isolationLevel === 1 ? replica.lastStableOffset : replica.highWatermark
        // A consumer asking a new leader whose high watermark is still below its epoch's start (Kafka's fetchOffsetForTimestamp).
        const notAvailable = request.replicaId < 0 && !replica.offsetsSettled
        if (p.timestamp === LATEST_TIMESTAMP) {
          if (notAvailable) return { ...none, errorCode: Errors.OFFSET_NOT_AVAILABLE.code }
          return { ...none, errorCode: 0, offset: readable, leaderEpoch: replica.leaderEpoch }
        }
        if (p.timestamp === EARLIEST_TIMESTAMP) {
          const start = replica.log.logStartOffset
          const epoch = replica.log.recordAt(start)?.leaderEpoch ?? replica.leaderEpoch
          return { ...none, errorCode: 0, offset: start, leaderEpoch: epoch }
        }
        if (p.timestamp < 0) return { ...none, errorCode: Errors.INVALID_REQUEST.code }
        const found = replica.log.offsetForTimestamp(p.timestamp, readable)
        if (found === undefined) return { ...none, errorCode: notAvailable ? Errors.OFFSET_NOT_AVAILABLE.code : 0 }
        return { partition: p.partition, errorCode: 0, timestamp: found.timestamp, offset: found.offset, leaderEpoch: found.leaderEpoch }
      }),
    })),
  }
}

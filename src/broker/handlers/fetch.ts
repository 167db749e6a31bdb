/**
 * Fetch (API key 1), from consumers (replica id -1) and from followers (their broker id).
 * A follower's fetch offset tells the leader what it has: the leader updates the follower's
 * log end offset and caught-up time, may advance the high watermark, and asks the controller to
 * add a caught-up follower to the ISR. A follower's fetch carries its broker epoch (KIP-903): one
 * from an earlier incarnation of that broker is answered NOT_LEADER_OR_FOLLOWER and changes
 * nothing. Consumers read only below the high watermark (below the last stable offset with
 * read_committed).
 *
 * Long-poll: if fewer than `minBytes` are available, the fetch waits at the leader up to
 * `maxWaitMs` and wakes on append, high watermark or leadership change, not on a polling timer;
 * a wake-up re-checks only the partition that changed.
 * Records come in whole batches, as Kafka's: the first batch may start below the fetch offset, and
 * byte limits never cut a batch; a request gets at least one whole batch of the first partition
 * with data even above its byte limits (KIP-74).
 *
 * read_committed (KIP-98): records only below the last stable offset, with the aborted
 * transactions that overlap them, so the consumer can drop their records.
 *
 * Authorization (with an authorizer): a consumer needs READ on each topic, else that partition
 * answers TOPIC_AUTHORIZATION_FAILED; followers are brokers (CLUSTER_ACTION, always allowed).
 *
 * Not modelled: fetch sessions (KIP-227), fetching from followers (KIP-392).
 */
import { AclOperation, Errors, nextOffsetOf, type FetchPartitionResponse, type FetchRequest, type FetchResponse } from '../../protocol/index.js'
import { waitForEach, type SignalledCondition } from '../change-signal.js'
import { allowedOnTopic } from './authorization.js'
import type { Replica } from '../replica.js'
import type { HandlerContext } from './handler-context.js'
import { leaderReplica } from './leader-replica.js'

interface PartitionFetch {
  readonly topic: string
  readonly partition: number
  readonly fetchOffset: number
  readonly partitionMaxBytes: number
  readonly currentLeaderEpoch: number
}

function errorResult(partition: number, errorCode: number, replica?: Replica): FetchPartitionResponse {
  return {
    partition,
    errorCode,
    highWatermark: replica?.highWatermark ?? -1,
    lastStableOffset: replica?.lastStableOffset ?? -1,
    logStartOffset: replica?.log.logStartOffset ?? -1,
    abortedTransactions: [],
    batches: [],
  }
}

/** Serves a Fetch request at a broker. */
export async function handleFetch(ctx: HandlerContext, request: FetchRequest): Promise<FetchResponse> {
  const follower = request.replicaId >= 0 ? request.replicaId : null
  const followerEpoch = request.replicaEpoch ?? -1
  const fetches: PartitionFetch[] = request.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, ...p })))

  const upperBound = (replica: Replica): number =>
    follower !== null ? replica.logEndOffset : request.isolationLevel === 1 ? replica.lastStableOffset : replica.highWatermark

  const check = (f: PartitionFetch): { replica?: Replica; errorCode: number } => {
    if (follower === null && !allowedOnTopic(ctx, AclOperation.READ, f.topic)) return { errorCode: Errors.TOPIC_AUTHORIZATION_FAILED.code }
    const lookup = leaderReplica(ctx.broker, f.topic, f.partition, f.currentLeaderEpoch)
    if (lookup.replica === undefined) return { errorCode: lookup.errorCode }
    const replica = lookup.replica
    if (follower !== null && !replica.state.replicas.includes(follower)) return { replica, errorCode: Errors.NOT_LEADER_OR_FOLLOWER.code }
    // KIP-903: a fetch from an earlier incarnation of the follower (sent before it restarted) says nothing
    // about its log now; Kafka rejects it as a stale fetch state update with NOT_LEADER_OR_FOLLOWER.
    if (follower !== null && ctx.broker.isStaleFollowerFetch(replica, follower, followerEpoch)) return { replica, errorCode: Errors.NOT_LEADER_OR_FOLLOWER.code }
    if (f.fetchOffset > replica.logEndOffset || f.fetchOffset < replica.log.logStartOffset) return { replica, errorCode: Errors.OFFSET_OUT_OF_RANGE.code }
    return { replica, errorCode: 0 }
  }

  // A follower's fetch offset is its log end offset: record it before waiting, so acks=all completes at once.
  const watched: Array<{ readonly f: PartitionFetch; readonly replica: Replica }> = []
  for (const f of fetches) {
    const { replica, errorCode } = check(f)
    if (replica === undefined) continue
    watched.push({ f, replica })
    if (follower !== null && errorCode === 0) {
      replica.recordFollowerFetch(follower, f.fetchOffset, followerEpoch)
      ctx.broker.maybeExpandIsr(replica, follower)
    }
  }

  const assemble = (): { response: FetchResponse; bytes: number; errors: number } => {
    let budget = request.maxBytes
    let bytes = 0
    let errors = 0
    const byTopic = new Map<string, FetchPartitionResponse[]>()
    for (const f of fetches) {
      const { replica, errorCode } = check(f)
      let result: FetchPartitionResponse
      if (replica === undefined || errorCode !== 0) {
        errors++
        result = errorResult(f.partition, errorCode, replica)
      } else {
        const batches = replica.log.readBatches(f.fetchOffset, Math.min(f.partitionMaxBytes, budget), upperBound(replica), bytes === 0)
        let size = 0
        for (const batch of batches) size += batch.sizeInBytes
        bytes += size
        budget = Math.max(0, budget - size)
        result = {
          partition: f.partition,
          errorCode: 0,
          highWatermark: replica.highWatermark,
          lastStableOffset: replica.lastStableOffset,
          logStartOffset: replica.log.logStartOffset,
          abortedTransactions:
            follower === null && request.isolationLevel === 1 && batches.length > 0
              ? replica.producers.abortedTransactions(f.fetchOffset, nextOffsetOf(batches[batches.length - 1]!))
              : [],
          batches,
        }
      }
      const list = byTopic.get(f.topic) ?? []
      list.push(result)
      byTopic.set(f.topic, list)
    }
    return { response: { topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) }, bytes, errors }
  }

  const first = assemble()
  if (first.bytes >= request.minBytes || first.errors > 0 || request.maxWaitMs <= 0 || fetches.length === 0) return first.response

  // Bytes available per watched partition; a wake-up recounts only the partition that changed.
  let total = 0
  let failed = false
  const conditions: SignalledCondition[] = watched.map(({ f, replica }) => {
    let counted = 0
    return {
      signal: replica.changed,
      ready: () => {
        const current = check(f)
        if (current.errorCode !== 0 || current.replica !== replica) failed = true
        else {
          const now = replica.log.bytesAvailable(f.fetchOffset, upperBound(replica), request.minBytes)
          total += now - counted
          counted = now
        }
        return failed || total >= request.minBytes
      },
    }
  })
  // A group member returns (empty) when its group rebalances, so it rejoins at once (kafkalite's `groupMember` hint).
  const member = request.groupMember
  const rejoin = member === undefined ? undefined : ctx.cluster.groupCoordinator.rejoinWatch(member.groupId, member.memberId)
  if (rejoin?.mustRejoin() !== true) {
    await waitForEach(ctx.cluster.clock, conditions, {
      any: true,
      timeoutMs: request.maxWaitMs,
      wakeOn: [
        // A follower also returns when this broker's leaderships change, so its fetcher picks up new partitions.
        ...(follower !== null ? [{ signal: ctx.broker.leadershipChanged }] : []),
        ...(rejoin !== undefined ? [{ signal: rejoin.signal, when: () => rejoin.mustRejoin() }] : []),
      ],
      // a client that stops ends its parked fetch at once, as closing its socket would
      abort: ctx.signal,
      // a follower's long-poll is the cluster's housekeeping; a consumer's keeps the process alive, as its socket would
      timerOptions: { background: follower !== null },
    })
  }
  return assemble().response
}

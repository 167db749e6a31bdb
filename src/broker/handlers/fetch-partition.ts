/** What a Fetch does per partition, with or without a fetch session: the checks, the read bound, the answer. */
import { AclOperation, Errors, nextOffsetOf, type FetchPartitionResponse, type FetchRequest, type RecordBatch } from '../../protocol/index.js'
import { ByTopic } from '../by-topic.js'
import type { Replica } from '../replica.js'
import type { WaitForEachOptions } from '../change-signal.js'
import { allowedOnTopic } from './authorization.js'
import type { HandlerContext } from './handler-context.js'
import { leaderErrorOf } from './leader-replica.js'

/** One partition as a fetcher asks for it. */
export interface PartitionFetch {
  readonly topic: string
  readonly partition: number
  readonly fetchOffset: number
  readonly partitionMaxBytes: number
  readonly currentLeaderEpoch: number
}

const OK = 0

/** The follower id of a fetch, or null for a consumer (replica id -1). */
export function followerOf(request: FetchRequest): number | null {
  return request.replicaId >= 0 ? request.replicaId : null
}

/**
 * How a fetch with nothing to return yet waits (parks) at the broker, for the plain and the session path alike: up to
 * `maxWaitMs`, ended early by a new leadership here (a follower), by its group's rebalance (a member, through
 * kafkalite's `groupMember` hint, so it rejoins at once) or by its sender going away. `rejoinNow` says the member must
 * rejoin already, so the fetch answers without parking.
 */
export function parkingOf(ctx: HandlerContext, request: FetchRequest): { readonly rejoinNow: boolean; readonly options: ParkOptions } {
  const follower = followerOf(request)
  const member = request.groupMember
  const rejoin = member === undefined ? undefined : ctx.cluster.groupCoordinator.rejoinWatch(member.groupId, member.memberId)
  return {
    rejoinNow: rejoin?.mustRejoin() === true,
    options: {
      timeoutMs: request.maxWaitMs,
      wakeOn: [
        ...(follower !== null ? [{ signal: ctx.broker.leadershipChanged }] : []),
        ...(rejoin !== undefined ? [{ signal: rejoin.signal, when: () => rejoin.mustRejoin() }] : []),
      ],
      // a client that stops ends its parked fetch at once, as closing its socket would
      abort: ctx.signal,
      // a follower's long-poll is the cluster's housekeeping; a consumer's keeps the process alive, as its socket would
      timerOptions: { background: follower !== null },
    },
  }
}

type ParkOptions = Omit<WaitForEachOptions, 'any'>

/**
 * The checks of one partition of `request` at this broker, in Kafka's order: READ on the topic (consumers),
 * the leader and its epoch (KIP-320), the follower a replica of it and not an earlier incarnation (KIP-903),
 * the fetch offset within the log. A fetch checks each partition it reads up to three times, so a check
 * returns the error code and leaves the replica in a field rather than allocating an answer.
 */
export class PartitionChecker {
  /**
   * The replica the last {@link check} found: set when it passed, and with the errors found at the replica
   * (not a replica of it, a stale follower, out of range), whose answers report its offsets; else undefined.
   */
  replica: Replica | undefined
  /** The broker's replica of the partition the last {@link check} looked at, whatever its outcome (undefined if none). */
  found: Replica | undefined
  private readonly follower: number | null
  private readonly followerEpoch: number

  constructor(
    private readonly ctx: HandlerContext,
    request: FetchRequest,
  ) {
    this.follower = followerOf(request)
    this.followerEpoch = request.replicaEpoch ?? -1
  }

  /** The partition's error code, 0 if it may be read (from {@link replica}). */
  check(f: PartitionFetch): number {
    const { ctx, follower } = this
    this.replica = undefined
    const found = ctx.broker.replica(f.topic, f.partition)
    this.found = found
    if (follower === null && !allowedOnTopic(ctx, AclOperation.READ, f.topic)) return Errors.TOPIC_AUTHORIZATION_FAILED.code
    const errorCode = leaderErrorOf(ctx.broker, f.topic, f.partition, found, f.currentLeaderEpoch)
    if (errorCode !== OK) return errorCode
    const replica = found!
    this.replica = replica
    if (follower !== null && !replica.isReplica(follower)) return Errors.NOT_LEADER_OR_FOLLOWER.code
    // KIP-903: a fetch from an earlier incarnation of the follower (sent before it restarted) says nothing
    // about its log now; Kafka rejects it as a stale fetch state update with NOT_LEADER_OR_FOLLOWER.
    if (follower !== null && ctx.broker.isStaleFollowerFetch(replica, follower, this.followerEpoch)) return Errors.NOT_LEADER_OR_FOLLOWER.code
    if (f.fetchOffset > replica.logEndOffset || f.fetchOffset < replica.log.logStartOffset) return Errors.OFFSET_OUT_OF_RANGE.code
    return OK
  }
}

/** How far `request` may read: a follower to the log end, a consumer to the high watermark (the last stable offset with read_committed). */
export function readBound(request: FetchRequest): (replica: Replica) => number {
  if (followerOf(request) !== null) return (replica) => replica.logEndOffset
  return request.isolationLevel === 1 ? (replica) => replica.lastStableOffset : (replica) => replica.highWatermark
}

/** Shared by every answer without aborted transactions or batches: frozen, so no reader can fill it for the others. */
const NONE: readonly never[] = Object.freeze([])

export function errorResult(partition: number, errorCode: number, replica?: Replica): FetchPartitionResponse {
  return {
    partition,
    errorCode,
    highWatermark: replica?.highWatermark ?? -1,
    lastStableOffset: replica?.lastStableOffset ?? -1,
    logStartOffset: replica?.log.logStartOffset ?? -1,
    abortedTransactions: NONE,
    batches: NONE,
  }
}

/** The answer for a partition that passed its checks, holding `batches`. */
export function dataResult(request: FetchRequest, f: PartitionFetch, replica: Replica, batches: RecordBatch[]): FetchPartitionResponse {
  return partitionAnswer(request, f, replica, batches, replica.highWatermark, replica.lastStableOffset, replica.log.logStartOffset)
}

/** {@link dataResult} with the replica's offsets as the caller read them already. */
export function partitionAnswer(
  request: FetchRequest,
  f: PartitionFetch,
  replica: Replica,
  batches: RecordBatch[],
  highWatermark: number,
  lastStableOffset: number,
  logStartOffset: number,
): FetchPartitionResponse {
  return {
    partition: f.partition,
    errorCode: OK,
    highWatermark,
    lastStableOffset,
    logStartOffset,
    abortedTransactions:
      followerOf(request) === null && request.isolationLevel === 1 && batches.length > 0
        ? replica.producers.abortedTransactions(f.fetchOffset, nextOffsetOf(batches[batches.length - 1]!))
        : NONE,
    batches,
  }
}

/** Bytes of whole batches. */
export function sizeOf(batches: readonly RecordBatch[]): number {
  let size = 0
  for (const batch of batches) size += batch.sizeInBytes
  return size
}

/** Collects partition answers by topic, in the order first seen. */
export class ResponseByTopic {
  private readonly byTopic = new ByTopic<FetchPartitionResponse>()

  add(topic: string, result: FetchPartitionResponse): void {
    this.byTopic.add(topic, result)
  }

  topics(): Array<{ topic: string; partitions: FetchPartitionResponse[] }> {
    return this.byTopic.map((topic, partitions) => ({ topic, partitions }))
  }
}

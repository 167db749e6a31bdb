/**
 * One Fetch to one broker: the assigned, unpaused partitions it leads, from each partition's next
 * offset, long-polled up to `maxWaitTimeInMs` at the broker. Per-partition errors are recovered
 * here as Kafka's consumer does: a moved leader (NOT_LEADER_OR_FOLLOWER, fenced epochs, an
 * unknown partition) reloads metadata and carries on, OFFSET_OUT_OF_RANGE is validated (KIP-320,
 * `position-validation.ts`) before the position is reset per `fromBeginning` (auto.offset.reset),
 * and an unreachable broker is skipped until metadata says where its partitions went.
 */
import { topicPartitionKey } from '../../protocol/topic-partition.js'
import { RequestAbortedError } from '../../protocol/api.js'
import { CONSUMER_REPLICA_ID, INITIAL_FETCH_EPOCH, type IsolationLevel } from '../../protocol/data-apis.js'
import { nextOffsetOf, type RecordBatch } from '../../protocol/records.js'
import { ClientFetchSession } from './client-fetch-session.js'
import { abortableSleep } from '../../time/abortable-sleep.js'
import { Errors, errorForCode } from '../../protocol/error-codes.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSStaleTopicMetadataAssignment, protocolError } from '../errors.js'
import type { Logger } from '../logger.js'
import { Batch } from './batch.js'
import type { OffsetManager } from './offset-manager.js'
import type { SubscriptionState } from './subscription-state.js'
import { isNetworkError, isStaleMetadataError } from '../error-policy.js'
import { validatePosition } from './position-validation.js'

/** KafkaJS lets a Fetch outlive `maxWaitTimeInMs` by this much before it times out. */
const FETCH_NETWORK_DELAY_MS = 100
/** Pause before fetching again from a broker that did not answer (Kafka's `retry.backoff.ms` default). */
const RETRY_BACKOFF_MS = 100

/** Fetch settings, with KafkaJS's option names. */
export interface FetchSettings {
  maxWaitTimeInMs: number
  minBytes: number
  maxBytes: number
  maxBytesPerPartition: number
  isolationLevel: IsolationLevel
}

/** The release of a fetch that claimed nothing. */
const NOTHING_CLAIMED = (): void => undefined

/** A partition this broker leads, to fetch from it. */
interface LedPartition {
  readonly topic: string
  readonly partition: number
  /** Its map key ({@link topicPartitionKey}). */
  readonly key: string
}

/** One partition of a Fetch request: the offset to fetch from and the leader epoch the client knows (KIP-320). */
interface FetchPosition {
  readonly topic: string
  readonly partition: number
  /** The partition's map key ({@link topicPartitionKey}). */
  readonly key: string
  readonly fetchOffset: number
  readonly leaderEpoch: number
}

/** Batches from one fetch; `release` frees their partitions for the next fetch once they are processed. */
export interface FetchResult {
  batches: Batch[]
  release(): void
  /** The broker answered empty before `maxWaitTimeInMs`: something changed (e.g. the group rebalances), so heartbeat now. */
  endedEarly?: boolean
}


/** Fetches the partitions of this consumer from the brokers that lead them. */
export class Fetcher {
  /** Per broker, the fetch session there (KIP-227); none after a failed fetch, so the next one opens a new session. */
  private readonly sessions = new Map<number, ClientFetchSession>()
  /** Partitions in a fetch or being processed: never fetched twice at once (e.g. while leadership moves). */
  private readonly inFlight = new Set<string>()
  private releaseWaiters: Array<() => void> = []
  /** Partition counts of the subscribed topics at the last assignment, to notice a topic that grew. */
  private knownPartitions = new Map<string, number>()
  /** Per partition, the leader epoch of each record of the last fetched batch: a position's epoch is that of the record before it (KIP-320). */
  private readonly fetchedEpochs = new Map<string, readonly RecordBatch[]>()

  constructor(
    private readonly cluster: BrokerRouter,
    private readonly subscription: SubscriptionState,
    private readonly offsets: OffsetManager,
    private readonly settings: FetchSettings,
    private readonly logger: Logger,
    /** The group member fetching, named in each Fetch so that its group's rebalance ends the long-poll. */
    private readonly member: () => { groupId: string; memberId: string } | undefined = () => undefined,
  ) {}

  /** Remembers how many partitions each subscribed topic has now (called after each assignment). */
  rememberPartitionCounts(topics: readonly string[]): void {
    this.knownPartitions = new Map(
      topics.filter((t) => this.cluster.hasTopic(t)).map((t) => [t, this.cluster.partitionCount(t)]),
    )
  }

  /** Resolves once none of these partitions is in a fetch or being processed. */
  async whenReleased(partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<void> {
    while (partitions.some(({ topic, partition }) => this.inFlight.has(topicPartitionKey(topic, partition)))) {
      await new Promise<void>((resolve) => this.releaseWaiters.push(resolve))
    }
  }

  /**
   * Fetches once from `nodeId`. Resolves with no batches after `maxWaitTimeInMs` when it has nothing
   * to fetch. When `signal` aborts (the consumer stops, another fetch loop failed) the fetch ends at
   * once, at the broker too, as closing the socket would.
   */
  async fetch(nodeId: number, signal: AbortSignal = new AbortController().signal): Promise<FetchResult> {
    const { cluster, settings, offsets } = this
    // Each step below is awaited only when it has work: a fetch whose partitions all have positions costs no promise here.
    if (cluster.metadataStale()) await cluster.refreshMetadataIfNecessary()
    this.checkForNewPartitions()

    // Each partition's key built once per fetch, here: claimed, released and fetched under it.
    const led: LedPartition[] = []
    this.subscription.forEachActive((topic, partition) => {
      if (cluster.leaderFor(topic, partition) !== nodeId) return
      const key = topicPartitionKey(topic, partition)
      if (!this.inFlight.has(key)) led.push({ topic, partition, key })
    })
    if (offsets.hasPendingSeeks()) await offsets.applyPendingSeeks(led)
    if (offsets.needsResolving(led)) await offsets.resolveOffsets(led)
    const wanted = led.filter(({ topic, partition }) => offsets.hasPosition(topic, partition) && !offsets.hasPendingSeek(topic, partition))
    if (wanted.length === 0) {
      await abortableSleep(cluster.clock, settings.maxWaitTimeInMs, signal)
      return { batches: [], release: NOTHING_CLAIMED }
    }

    const claimed = wanted.map(({ key }) => key)
    for (const k of claimed) this.inFlight.add(k)
    try {
      const sentAt = cluster.clock.now()
      const batches = await this.fetchPartitions(nodeId, wanted, signal)
      const endedEarly = batches.every((b) => b.isEmpty()) && !signal.aborted && cluster.clock.now() - sentAt < settings.maxWaitTimeInMs
      // Bound, not an arrow in the literal: under tsx (keepNames) a named arrow costs a defineProperty per fetch.
      return { batches, release: this.release.bind(this, claimed), endedEarly }
    } catch (error) {
      this.release(claimed)
      throw error
    }
  }

  /** Ends a fetch's claim on its partitions, and wakes whoever waits for a claim to end. */
  private release(claimed: readonly string[]): void {
    for (const k of claimed) this.inFlight.delete(k)
    const waiters = this.releaseWaiters
    this.releaseWaiters = []
    for (const wake of waiters) wake()
  }

  private async fetchPartitions(nodeId: number, wanted: readonly LedPartition[], signal: AbortSignal): Promise<Batch[]> {
    const { cluster, settings } = this
    // Per partition (by its map key): where to fetch from and, KIP-320, the leader epoch the broker must not be past.
    const fetching = new Map<string, FetchPosition>()
    for (const { topic, partition, key } of wanted) {
      fetching.set(key, { topic, partition, key, fetchOffset: this.offsets.nextOffset(topic, partition), leaderEpoch: cluster.leaderEpochFor(topic, partition) })
    }
    // KIP-227: in a session, name only the partitions whose fetch state moved, and forget those no longer fetched here.
    const session = this.sessions.get(nodeId)
    this.sessions.delete(nodeId)
    const named: FetchPosition[] = []
    for (const position of fetching.values()) if (session === undefined || !session.holds(position.topic, position.partition, position.fetchOffset, position.leaderEpoch)) named.push(position)
    const forgotten = session === undefined ? [] : session.leftOut(fetching)
    const topics: Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: number; partitionMaxBytes: number; currentLeaderEpoch: number }> }> = []
    for (const { topic, partition, fetchOffset, leaderEpoch } of named) {
      let entry = topics.find((t) => t.topic === topic)
      if (entry === undefined) topics.push((entry = { topic, partitions: [] }))
      entry.partitions.push({ partition, fetchOffset, partitionMaxBytes: settings.maxBytesPerPartition, currentLeaderEpoch: leaderEpoch })
    }

    const sentAt = cluster.clock.now()
    const member = this.member()
    let staleSeen = false
    let response
    try {
      response = await cluster.send(
        nodeId,
        'Fetch',
        {
          replicaId: CONSUMER_REPLICA_ID,
          maxWaitMs: settings.maxWaitTimeInMs,
          minBytes: settings.minBytes,
          maxBytes: settings.maxBytes,
          isolationLevel: settings.isolationLevel,
          ...(member !== undefined && member.memberId !== '' && { groupMember: member }),
          sessionId: session?.id ?? 0,
          sessionEpoch: session?.epoch ?? INITIAL_FETCH_EPOCH,
          forgottenTopics: forgotten,
          topics,
        },
        { timeoutMs: settings.maxWaitTimeInMs + FETCH_NETWORK_DELAY_MS, signal },
      )
    } catch (error) {
      if (error instanceof RequestAbortedError) return []
      if (!isNetworkError(error)) throw error
      // Failover: the broker is down or cut off; metadata will name the new leaders.
      this.logger.debug('Fetch failed, refreshing metadata', { nodeId, error: error.message })
      cluster.invalidateMetadata()
      await cluster.clock.sleep(RETRY_BACKOFF_MS)
      return []
    }

    // The broker lost the session (it restarted, or evicted it): the next fetch opens a new one at once.
    if (response.errorCode !== undefined && response.errorCode !== Errors.NONE.code) return []
    if ((response.sessionId ?? 0) > 0) {
      this.sessions.set(nodeId, (session ?? new ClientFetchSession()).next(response.sessionId!, forgotten, named))
    }
    const batches: Batch[] = []
    for (const topic of response.topics) {
      for (const partitionData of topic.partitions) {
        const { partition, errorCode } = partitionData
        const fetchedOffset = fetching.get(topicPartitionKey(topic.topic, partition))?.fetchOffset
        if (fetchedOffset === undefined) continue
        if (errorCode === Errors.OFFSET_OUT_OF_RANGE.code) {
          await this.outOfRange(topic.topic, partition, fetchedOffset, partitionData.logStartOffset)
          staleSeen = true
          continue
        }
        if (isStaleMetadataError(errorCode)) {
          this.logger.debug('Stale cluster metadata, refreshing', { topic: topic.topic, partition, error: errorForCode(errorCode).type })
          cluster.invalidateMetadata()
          staleSeen = true
          continue
        }
        const error = protocolError(errorCode, `fetching ${topic.topic}-${partition} from broker ${nodeId}`)
        if (error !== undefined) throw error
        // Seeks and pauses that arrived while the fetch was in flight make its data obsolete.
        if (this.offsets.hasPendingSeek(topic.topic, partition) || this.subscription.isPaused(topic.topic, partition)) continue
        if (!this.subscription.isAssigned(topic.topic, partition)) continue
        this.rememberEpochs(topic.topic, partition, partitionData.batches)
        batches.push(new Batch(topic.topic, fetchedOffset, partitionData))
      }
    }
    // Back off before fetching again when the answer was an error or came back empty at once:
    // the loop must never spin without the cluster's time moving.
    const empty = response.topics.every((t) => t.partitions.every((p) => p.batches.length === 0))
    if (staleSeen || (empty && cluster.clock.now() === sentAt)) await cluster.clock.sleep(RETRY_BACKOFF_MS)
    return batches
  }

  /** OFFSET_OUT_OF_RANGE: reset only below the log start or after a real truncation, never because a stale leader's log is shorter. */
  private async outOfRange(topic: string, partition: number, offset: number, logStartOffset: number): Promise<void> {
    // A committed position has the epoch it was committed with (KIP-320); a position not reached by reading nor
    // committed with an epoch (a seek) has none: Kafka resets it per policy.
    const epoch = this.epochOfRecord(topic, partition, offset - 1) ?? this.offsets.committedEpochAt(topic, partition, offset)
    const verdict = epoch < 0 ? { kind: 'reset' as const } : await validatePosition(this.cluster, topic, partition, offset, epoch, logStartOffset)
    if (verdict.kind === 'reset') {
      this.logger.error('Offset out of range, resetting to default offset', { topic, partition, offset })
      await this.offsets.resetToDefault(topic, partition)
    } else if (verdict.kind === 'truncated') {
      this.logger.warn('Truncation detected, resetting to the first offset known to diverge', { topic, partition, offset, divergingOffset: verdict.offset })
      this.offsets.requestSeek(topic, partition, verdict.offset)
    } else {
      this.logger.debug('Offset out of range at a stale leader, position kept', { topic, partition, offset })
    }
  }

  /**
   * The leader epoch of the record at `offset` if it is in the partition's last fetched batches (KIP-320). Called
   * once per delivered message, so a binary search over the batches (in offset order), not a scan: a fetch of many
   * small batches would otherwise cost the square of their number.
   */
  epochOfRecord(topic: string, partition: number, offset: number): number | undefined {
    const batches = this.fetchedEpochs.get(topicPartitionKey(topic, partition))
    if (batches === undefined) return undefined
    let low = 0
    let high = batches.length - 1
    while (low <= high) {
      const middle = (low + high) >>> 1
      const batch = batches[middle]!
      if (offset < batch.baseOffset) high = middle - 1
      else if (offset >= nextOffsetOf(batch)) low = middle + 1
      else return batch.leaderEpoch
    }
    return undefined
  }

  /** Keeps the last fetched batches' offset ranges and epochs (one entry per batch, not per record). */
  private rememberEpochs(topic: string, partition: number, batches: readonly RecordBatch[]): void {
    if (batches.length > 0) this.fetchedEpochs.set(topicPartitionKey(topic, partition), batches)
  }

  /** A subscribed topic gained partitions: the group must rebalance to assign them (KafkaJS rejoins). */
  private checkForNewPartitions(): void {
    for (const [topic, count] of this.knownPartitions) {
      if (!this.cluster.hasTopic(topic)) continue
      const now = this.cluster.partitionCount(topic)
      if (now > count) {
        const unknownPartitions = Array.from({ length: now - count }, (_, i) => count + i)
        throw new KafkaJSStaleTopicMetadataAssignment('Topic has been updated', { topic, unknownPartitions })
      }
    }
  }
}

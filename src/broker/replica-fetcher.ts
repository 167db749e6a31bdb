/**
 * A follower's fetcher for one leader (Kafka's `ReplicaFetcherThread`): for every partition this
 * broker follows on that leader, first truncate any divergent suffix (OffsetForLeaderEpoch,
 * KIP-101/KIP-279), then fetch in a loop with the follower's replica id. The fetch long-polls at
 * the leader (`replica.fetch.wait.max.ms`), so a new record is replicated as soon as it is
 * appended. Requests go through the cluster's channel, so network faults and hooks apply.
 * Fetches run in an incremental fetch session (KIP-227), so a round costs the leader and this
 * fetcher per partition that moved, not per partition followed.
 */
import { PartitionIndex, topicPartitionKey } from '../protocol/topic-partition.js'
import { Errors, INITIAL_FETCH_EPOCH, nextFetchEpoch, type FetchRequest, type FetchResponse, type OffsetForLeaderEpochRequest, type RequestOf, type ResponseOf } from '../protocol/index.js'
import type { BrokerEnvironment } from './broker-environment.js'
import { ByTopic } from './by-topic.js'
import { InvariantViolationError } from './cluster-errors.js'
import { UNDEFINED_EPOCH } from './leader-epoch-cache.js'
import type { Replica } from './replica.js'

/** `replica.fetch.max.bytes` and `replica.fetch.response.max.bytes`, Kafka's defaults. */
const PARTITION_MAX_BYTES = 1048576
const RESPONSE_MAX_BYTES = 10485760
/** `replica.socket.timeout.ms`. */
const SOCKET_TIMEOUT_MS = 30000

type FetchPartitionRequest = FetchRequest['topics'][number]['partitions'][number]

/** A partition asked about in OffsetForLeaderEpoch: in which leader epoch, and our latest epoch. */
interface TruncationAsked {
  readonly entry: FetchedPartition
  readonly replica: Replica
  readonly epoch: number
  readonly lastEpoch: number
}

function groupByTopic<T extends { readonly replica: Replica }>(items: readonly T[]): ByTopic<T> {
  const byTopic = new ByTopic<T>()
  for (const item of items) byTopic.add(item.replica.topic, item)
  return byTopic
}

/**
 * One partition this fetcher fetches, or fetched until the leader's session forgets it: kept from {@link ReplicaFetcher.add}
 * on, so a round's work per partition reads and writes its fields instead of looking it up in maps and allocating.
 */
class FetchedPartition {
  /** Still fetched here: false once removed (or the fetcher stopped); the next request forgets it at the leader. */
  followed = true
  /** Its change signal fired (or this fetcher moved it) since the last round looked at it. */
  touched = false
  /** In the fetch session at the leader, with the fetch offset and leader epoch last sent for it. */
  inSession = false
  sentOffset = -1
  sentEpoch = -1
  unsubscribe: () => void = () => undefined
  /** The replica's topic and partition, read per partition of every request and answer. */
  readonly topic: string
  readonly partition: number

  constructor(readonly replica: Replica) {
    this.topic = replica.topic
    this.partition = replica.partition
  }
}

export class ReplicaFetcher {
  /** By {@link Replica.key}: a replica of a partition followed already replaces the earlier one. */
  private readonly partitions = new Map<string, FetchedPartition>()
  /** The same by topic, then partition number: an answer looks its topic up once, then each partition without a key string. */
  private readonly index = new PartitionIndex<FetchedPartition>()
  /**
   * Partitions whose phase, log or leader may have moved since the last round (their change signal fired, or
   * this fetcher moved them): a round looks only at these, so its cost follows what changed.
   */
  private touched: FetchedPartition[] = []
  private running = false
  stopped = false
  /** The fetch session at the leader (KIP-227): its id and the epoch of the next request; undefined before one opens. */
  private session: { readonly id: number; readonly epoch: number } | undefined
  /** The partitions the session holds (see {@link FetchedPartition.inSession}). */
  private readonly inSession = new Set<FetchedPartition>()

  constructor(
    readonly followerId: number,
    /** The broker epoch of the incarnation that runs this fetcher, sent with every fetch (KIP-903). */
    readonly followerEpoch: number,
    readonly leaderId: number,
    private readonly env: BrokerEnvironment,
  ) {}

  /** Starts replicating `replica` from this leader. */
  add(replica: Replica): void {
    const key = replica.key
    const previous = this.partitions.get(key)
    if (previous !== undefined && previous.replica === replica) {
      this.touch(previous)
    } else {
      if (previous !== undefined) this.forget(previous)
      const entry = new FetchedPartition(replica)
      entry.unsubscribe = replica.changed.subscribe(() => this.touch(entry))
      this.partitions.set(key, entry)
      this.index.set(entry.topic, entry.partition, entry)
      this.touch(entry)
    }
    if (!this.running && !this.stopped) {
      this.running = true
      // The first round starts once the caller has added all it adds at once (every partition of a topic, as the
      // controller applies it): started at the first, it would name that one alone, and the others would wait out its
      // long-poll (replica.fetch.wait.max.ms) before replicating at all, so would an acks=all send to them.
      queueMicrotask(() => this.round())
    }
  }

  remove(replica: Replica): void {
    const key = replica.key
    const entry = this.partitions.get(key)
    if (entry?.replica !== replica) return
    this.partitions.delete(key)
    this.index.delete(entry.topic, entry.partition)
    this.forget(entry)
  }

  stop(): void {
    this.stopped = true
    for (const entry of this.partitions.values()) {
      entry.followed = false
      entry.unsubscribe()
    }
    this.partitions.clear()
    this.index.clear()
    this.touched = []
  }

  private touch(entry: FetchedPartition): void {
    if (entry.touched) return
    entry.touched = true
    this.touched.push(entry)
  }

  /** Stops listening to a partition no longer fetched here; the next request forgets it at the leader. */
  private forget(entry: FetchedPartition): void {
    entry.followed = false
    entry.unsubscribe()
    this.touch(entry)
  }

  /** Partitions still following this leader, in the epoch they were asked about. */
  private stillFollowing(entry: FetchedPartition, epoch: number): boolean {
    return !this.stopped && entry.followed && entry.replica.leader === this.leaderId && entry.replica.leaderEpoch === epoch
  }

  /**
   * One round: truncate the partitions that must (KIP-279), then fetch; the answer's callback starts the next round.
   * Callbacks, not a loop of awaits: a replication round creates no promise. Never throws.
   */
  private round(): void {
    this.step(() => {
      if (this.stopped || this.partitions.size === 0) {
        this.running = false
        return
      }
      const looked = this.touched
      this.touched = []
      let truncating: FetchedPartition[] | undefined
      for (const entry of looked) {
        entry.touched = false
        if (entry.followed && entry.replica.followerPhase === 'truncating') (truncating ??= []).push(entry)
      }
      if (truncating === undefined) return this.fetch(looked, (ok) => this.roundDone(ok))
      this.truncate(truncating, (truncated) => {
        // Those left truncating (the leader did not answer for them) try again next round.
        for (const entry of truncating!) if (entry.replica.followerPhase === 'truncating') this.touch(entry)
        this.fetch(looked, (ok) => this.roundDone(ok && truncated))
      })
    })
  }

  /** Runs part of a round: an unexpected error fails the round. Each part ends by starting what follows, so an error comes before it. */
  private step(work: () => void): void {
    try {
      work()
    } catch (error) {
      this.roundFailed(error)
    }
  }

  private roundFailed(error: unknown): void {
    if (error instanceof InvariantViolationError) {
      // An assertion (the `checkInvariants` test flag): the fetcher stops, and the error surfaces as an unhandled
      // rejection, so that the test in which it broke fails.
      this.running = false
      void Promise.reject(error)
      return
    }
    // As Kafka's ReplicaFetcherThread: an unexpected error in a round is retried after replica.fetch.backoff.ms.
    for (const entry of this.partitions.values()) entry.replica.fetchRoundFailed()
    this.session = undefined
    this.roundDone(false)
  }

  private roundDone(ok: boolean): void {
    if (ok) this.round()
    else this.backoff()
  }

  /** After a failed round: wait `replica.fetch.backoff.ms`, then retry stalled partitions from truncation. */
  private backoff(): void {
    void this.env.clock.sleep(this.env.config.replicaFetchBackoffMs, { background: true }).then(() => {
      for (const entry of this.partitions.values()) {
        entry.replica.backoffElapsed()
        this.touch(entry)
      }
      this.round()
    })
  }

  /** KIP-279: ask the leader where our latest epoch ends there, and cut what it does not have. */
  private truncate(entries: readonly FetchedPartition[], then: (ok: boolean) => void): void {
    const asked = entries.map((entry): TruncationAsked => ({ entry, replica: entry.replica, epoch: entry.replica.leaderEpoch, lastEpoch: entry.replica.log.epochs.latestEpoch() }))
    for (const item of asked) if (item.lastEpoch === UNDEFINED_EPOCH) item.replica.divergenceChecked()
    const needed = asked.filter((item) => item.lastEpoch !== UNDEFINED_EPOCH)
    if (needed.length === 0) return then(true)
    const request: OffsetForLeaderEpochRequest = {
      replicaId: this.followerId,
      topics: groupByTopic(needed).map((topic, items) => ({
        topic,
        partitions: items.map((item) => ({ partition: item.replica.partition, currentLeaderEpoch: item.epoch, leaderEpoch: item.lastEpoch })),
      })),
    }
    this.sendToLeader('OffsetForLeaderEpoch', request, (response) => {
      if (response === undefined) return then(false)
      then(this.truncateAsAnswered(needed, response))
    })
  }

  /** Cuts each partition the leader answered for where its answer says; false if it refused any. */
  private truncateAsAnswered(needed: ReadonlyArray<TruncationAsked>, response: ResponseOf<'OffsetForLeaderEpoch'>): boolean {
    let ok = true
    const byPartition = new Map(needed.map((item) => [item.replica.key, item]))
    for (const topic of response.topics) {
      for (const result of topic.partitions) {
        const item = byPartition.get(topicPartitionKey(topic.topic, result.partition))
        if (item === undefined || !this.stillFollowing(item.entry, item.epoch) || item.replica.followerPhase !== 'truncating') continue
        const { replica } = item
        if (result.errorCode !== Errors.NONE.code) {
          replica.leaderRefused()
          ok = false
          continue
        }
        let truncateTo: number
        if (result.leaderEpoch === UNDEFINED_EPOCH) {
          // The leader has nothing from our epochs: everything we hold diverges.
          truncateTo = replica.log.logStartOffset
        } else if (result.leaderEpoch === item.lastEpoch) {
          truncateTo = Math.min(result.endOffset, replica.logEndOffset)
        } else {
          const ours = replica.log.epochs.endOffsetFor(result.leaderEpoch, replica.logEndOffset)
          truncateTo = Math.min(result.endOffset, ours.endOffset < 0 ? replica.log.logStartOffset : ours.endOffset)
        }
        replica.truncateTo(truncateTo)
        replica.divergenceChecked()
      }
    }
    this.env.afterChange()
    return ok
  }

  /**
   * One request to the leader through the channel, its answer handed to `then` (a step of the round): undefined if the
   * leader is unreachable or does not answer in time. With callbacks when the channel takes them (no promise).
   */
  private sendToLeader<K extends 'Fetch' | 'OffsetForLeaderEpoch'>(api: K, request: RequestOf<K>, then: (response: ResponseOf<K> | undefined) => void): void {
    const channel = this.env.channel()
    const from = { kind: 'broker', brokerId: this.followerId } as const
    const options = { requestTimeoutMs: SOCKET_TIMEOUT_MS }
    const answered = (response: ResponseOf<K>): void => this.step(() => then(response))
    const failed = (): void => this.step(() => then(undefined))
    if (channel.call !== undefined) channel.call(from, this.leaderId, api, request, options, answered, failed)
    else channel.send(from, this.leaderId, api, request, options).then(answered, failed)
  }

  /**
   * Fetches in an incremental fetch session (KIP-227): the first request opens it with every partition; later
   * ones name only the partitions whose fetch offset or leader epoch moved, and forget those no longer fetched.
   */
  private fetch(looked: readonly FetchedPartition[], then: (ok: boolean) => void): void {
    const session = this.session
    const changed: FetchedPartition[] = []
    const forgotten: FetchedPartition[] = []
    const topics = new ByTopic<FetchPartitionRequest>()
    let added = 0
    // What the session will hold for a partition named: if this request fails (or none goes), the next opens a new session.
    const ask = (entry: FetchedPartition): void => {
      const { replica } = entry
      entry.sentOffset = replica.logEndOffset
      entry.sentEpoch = replica.leaderEpoch
      topics.add(entry.topic, { partition: entry.partition, fetchOffset: entry.sentOffset, partitionMaxBytes: PARTITION_MAX_BYTES, currentLeaderEpoch: entry.sentEpoch })
      changed.push(entry)
      if (!entry.inSession) added++
    }
    if (session === undefined) {
      // A new session names every partition fetched.
      for (const entry of this.inSession) entry.inSession = false
      this.inSession.clear()
      for (const entry of this.partitions.values()) if (entry.followed && entry.replica.followerPhase === 'fetching') ask(entry)
    } else {
      for (const entry of looked) {
        const { replica } = entry
        if (!entry.followed || replica.followerPhase !== 'fetching') {
          if (entry.inSession) forgotten.push(entry)
        } else if (!entry.inSession || entry.sentOffset !== replica.logEndOffset || entry.sentEpoch !== replica.leaderEpoch) ask(entry)
      }
    }
    // Nothing left to fetch: as a failed round, wait for the backoff; the next fetch opens a new session.
    if (this.inSession.size - forgotten.length + added === 0) {
      this.session = undefined
      return then(false)
    }
    const request: FetchRequest = {
      replicaId: this.followerId,
      replicaEpoch: this.followerEpoch,
      maxWaitMs: this.env.config.replicaFetchWaitMaxMs,
      minBytes: 1,
      maxBytes: RESPONSE_MAX_BYTES,
      isolationLevel: 0,
      sessionId: session?.id ?? 0,
      sessionEpoch: session?.epoch ?? INITIAL_FETCH_EPOCH,
      forgottenTopics: groupByTopic(forgotten).map((topic, items) => ({ topic, partitions: items.map((item) => item.replica.partition) })),
      topics: topics.map((topic, partitions) => ({ topic, partitions })),
    }
    this.session = undefined
    this.sendToLeader('Fetch', request, (response) => {
      // No answer, or the leader lost the session (it restarted, or evicted it): the next request opens a new one.
      if (response === undefined) return then(false)
      if (response.errorCode !== undefined && response.errorCode !== Errors.NONE.code) return then(true)
      then(this.takeAnswer(request, response, changed, forgotten))
    })
  }

  /** Applies the leader's answer to a fetch: the session's new state, then each partition's batches or error. False if the leader refused any. */
  private takeAnswer(request: FetchRequest, response: FetchResponse, changed: readonly FetchedPartition[], forgotten: readonly FetchedPartition[]): boolean {
    if ((response.sessionId ?? 0) > 0) this.session = { id: response.sessionId!, epoch: nextFetchEpoch(request.sessionEpoch!) }
    for (const entry of forgotten) {
      entry.inSession = false
      this.inSession.delete(entry)
    }
    for (const entry of changed) {
      if (entry.inSession) continue
      entry.inSession = true
      this.inSession.add(entry)
    }
    let ok = true
    // One time for the whole answer: every partition's append takes it.
    const now = this.env.clock.now()
    for (const topic of response.topics) {
      const slots = this.index.partitionsOf(topic.topic)
      if (slots === undefined) continue
      for (const result of topic.partitions) {
        const entry = slots[result.partition]
        if (entry === undefined || !entry.inSession || !this.stillFollowing(entry, entry.sentEpoch)) continue
        const { replica } = entry
        if (replica.followerPhase !== 'fetching' || replica.logEndOffset !== entry.sentOffset) continue
        // Its phase may move with the answer (an error, out of range): the next round looks at it.
        this.touch(entry)
        if (result.errorCode === Errors.OFFSET_OUT_OF_RANGE.code && entry.sentOffset < result.logStartOffset) {
          // Kafka's handleOutOfRangeError: the leader's log now starts above ours (DeleteRecords, retention).
          replica.startOverAt(result.logStartOffset)
        } else if (result.errorCode === Errors.OFFSET_OUT_OF_RANGE.code) {
          replica.fetchOutOfRange()
        } else if (result.errorCode !== Errors.NONE.code) {
          replica.leaderRefused()
          ok = false
        } else {
          // The leader's batches, by reference: they are immutable, and readers copy what they hand out.
          replica.appendAsFollower(result.batches, result.highWatermark, result.logStartOffset, now)
        }
      }
    }
    this.env.afterChange()
    return ok
  }
}

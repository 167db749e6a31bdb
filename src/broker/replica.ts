/**
 * One broker's replica of one partition (Kafka's `Partition` on a broker): its log, its role
 * (leader or follower, as the controller last told it), its high watermark and, when leader,
 * what it knows of each follower (the offset it last fetched from, when it was last caught up).
 *
 * The high watermark is the smallest log end offset in the ISR, and holds while the ISR is below
 * `min.insync.replicas`; consumers only read below it.
 * The leader learns followers' log end offsets from the offsets they fetch from, as in Kafka.
 */
import { topicPartitionKey } from '../protocol/topic-partition.js'
import { invariant } from './invariant.js'
import { withCompression, type ControlType, type ProducedBatch, type RecordBatch } from '../protocol/index.js'
import type { Clock } from '../time/index.js'
import { ChangeSignal } from './change-signal.js'
import { PartitionLog, type AppendInfo } from './partition-log.js'
import { effectiveMinIsr, type PartitionState } from './partition-state.js'
import { ProducerState } from './producer-state.js'
import type { TopicConfig } from './topic-config.js'

/**
 * The latest request of a follower's fetch session (KIP-227) that recorded its fetches: its broker epoch and time. Kept
 * once per session for all the partitions linked to it (see {@link Replica.linkFollowerFetches}).
 */
export interface FetchStamp {
  readonly brokerEpoch: number
  readonly timeMs: number
}

/**
 * What the leader knows about one follower (Kafka's `Replica` fetch state). While `stamp` is set, the follower's fetches
 * of this partition are recorded by its fetch session's stamp instead of one by one: each of them would only set the
 * stamp's broker epoch and move the caught-up and last fetch times up to its time, so the state is this plus the stamp.
 */
class FollowerState {
  /** The follower's log end offset, as its last fetch offset tells; -1 until it fetches. */
  logEndOffset = -1
  lastFetchLeaderLogEndOffset = -1
  /** The broker epoch of the follower's latest fetch (KIP-903), -1 if it sent none. */
  brokerEpoch = -1
  stamp: { readonly current: FetchStamp } | undefined = undefined
  /** Told when the state is about to be written otherwise: the session stops stamping it. */
  release: LinkRelease | undefined = undefined

  constructor(
    /** The follower's broker id. */
    readonly id: number,
    public lastCaughtUpTimeMs: number,
    public lastFetchTimeMs: number,
  ) {}

  get caughtUpTimeMs(): number {
    return this.stamp === undefined ? this.lastCaughtUpTimeMs : Math.max(this.lastCaughtUpTimeMs, this.stamp.current.timeMs)
  }

  get fetchBrokerEpoch(): number {
    return this.stamp === undefined ? this.brokerEpoch : this.stamp.current.brokerEpoch
  }

  /** Writes `last` (the stamp's latest fetch, or a later one) into the state and stops following the stamp. */
  unlink(last: FetchStamp): void {
    this.brokerEpoch = last.brokerEpoch
    this.lastCaughtUpTimeMs = Math.max(this.lastCaughtUpTimeMs, last.timeMs)
    this.lastFetchTimeMs = Math.max(this.lastFetchTimeMs, last.timeMs)
    this.stamp = undefined
    this.release = undefined
  }
}

/** What a follower's fetch state linked to a session's stamp tells before it is written otherwise (the session's partition). */
export interface LinkRelease {
  releaseLink(): void
}

/** A follower's fetch state as linked to a fetch session's stamp, for the session to unlink. */
export interface LinkedFollowerFetches {
  unlink(last: FetchStamp): void
}

/** Whether `ids` (a partition's replicas or ISR: a few) holds `id`; a loop, cheaper there than `includes`. */
function holds(ids: readonly number[], id: number): boolean {
  for (let i = 0; i < ids.length; i++) if (ids[i] === id) return true
  return false
}

/** Where a follower replica is in its replication cycle. */
export type FollowerPhase = 'truncating' | 'fetching' | 'stalled'

export class Replica {
  readonly log: PartitionLog
  /** Fires on append, truncation, high watermark and role changes. */
  readonly changed = new ChangeSignal()
  /** Idempotent and transactional producers' state, folded from this log (KIP-98). */
  readonly producers = new ProducerState()
  /** Its {@link topicPartitionKey}, made once: fetchers and sessions look replicas up by it per partition per round. */
  readonly key: string
  private hw = 0
  private current: PartitionState
  /**
   * The current state's leader, leader epoch, ISR and replicas, held as plain fields: read per partition on every
   * append and fetch, where the state itself (a frozen object of varying shape, with frozen arrays, which V8 reads and
   * iterates several times slower than plain ones) would cost more than the work. Set only by {@link applyState}.
   */
  private leaderId: number
  private epoch: number
  private isrIds: readonly number[]
  private replicaIds: readonly number[]
  /** Leader: what it knows of each follower; a few, found by a scan (read per partition of every fetch and append). */
  private followers: FollowerState[] = []
  /**
   * Leader: its log end offset when it became leader in the current epoch (Kafka's `leaderEpochStartOffsetOpt`); -1 as a
   * follower. Until the high watermark reaches it, offsets a consumer lists could go back (see {@link offsetsSettled}).
   */
  private epochStartOffset = -1
  /** Follower side: the next step of the fetcher for this replica; changed only by the methods below that say what happened. */
  private phase: FollowerPhase = 'truncating'

  constructor(
    readonly brokerId: number,
    /** The topic id it belongs to: a re-created topic of the same name gets new replicas. */
    readonly topicId: string,
    state: PartitionState,
    readonly config: TopicConfig,
    private readonly clock: Clock,
    /** The `checkInvariants` test flag: assert this replica's invariants after every change. */
    private readonly checkInvariants = false,
  ) {
    this.current = state
    this.leaderId = state.leader
    this.epoch = state.leaderEpoch
    this.isrIds = [...state.isr]
    this.replicaIds = [...state.replicas]
    this.key = topicPartitionKey(state.topic, state.partition)
    // Read at every append, so a config change takes effect at once.
    this.log = new PartitionLog(() => config.appendValues(), clock.now())
  }

  get topic(): string {
    return this.current.topic
  }

  get partition(): number {
    return this.current.partition
  }

  /** The partition state this broker last learnt from the controller. */
  get state(): PartitionState {
    return this.current
  }

  get isLeader(): boolean {
    return this.leaderId === this.brokerId
  }

  /** The current leader's id (the state's `leader`). */
  get leader(): number {
    return this.leaderId
  }

  get leaderEpoch(): number {
    return this.epoch
  }

  /** This partition's {@link effectiveMinIsr}. */
  get effectiveMinIsr(): number {
    return effectiveMinIsr(this.config.minInsyncReplicas, this.replicaIds.length)
  }

  /** Whether the ISR is smaller than {@link effectiveMinIsr}: acks=all appends are refused and the high watermark holds. */
  get underMinIsr(): boolean {
    // A full ISR never is, and is the common case on every append and fetch: the config is not read then.
    return this.isrIds.length < this.replicaIds.length && this.isrIds.length < this.effectiveMinIsr
  }

  /**
   * Leader: whether the high watermark has reached the log end offset this replica had when it became leader. Until
   * then the high watermark is one a new leader inherited (it learns the old one's through its followers), and the
   * latest offset it lists could lie below records consumers already read: Kafka answers ListOffsets with
   * OFFSET_NOT_AVAILABLE then (Partition.fetchOffsetForTimestamp).
   */
  get offsetsSettled(): boolean {
    return this.hw >= this.epochStartOffset
  }

  /** The current ISR (the state's `isr`). */
  get isr(): readonly number[] {
    return this.isrIds
  }

  /** Whether `brokerId` is one of the partition's assigned replicas (the state's `replicas`). */
  isReplica(brokerId: number): boolean {
    return holds(this.replicaIds, brokerId)
  }

  get highWatermark(): number {
    return this.hw
  }

  /**
   * Last stable offset (KIP-98): the high watermark, or lower, the first offset of the earliest
   * transaction still open (or whose marker is not yet replicated). read_committed reads below it.
   */
  get lastStableOffset(): number {
    return Math.min(this.hw, this.producers.firstUnstableOffset(this.hw) ?? this.hw)
  }

  /** High watermark ≤ log end offset: a replica never calls committed what it does not hold. */
  private assertInvariants(): void {
    if (!this.checkInvariants) return
    invariant(this.hw <= this.log.logEndOffset, 'high watermark within the log', () => `${this.topic}-${this.partition} on broker ${this.brokerId}: high watermark ${this.hw} is past the log end offset ${this.log.logEndOffset}`)
  }

  /** A published partition state: ISR ⊆ replicas, leader ∈ ISR, leader epochs never go back (KIP-101). */
  private assertStateInvariants(previous: PartitionState, state: PartitionState): void {
    const where = `${state.topic}-${state.partition} on broker ${this.brokerId}`
    invariant(state.isr.every((id) => state.replicas.includes(id)), 'ISR within the replicas', () => `${where}: ISR [${state.isr.join(',')}] is not within replicas [${state.replicas.join(',')}]`)
    invariant(state.leader < 0 || state.isr.includes(state.leader), 'leader in the ISR', () => `${where}: leader ${state.leader} is not in ISR [${state.isr.join(',')}]`)
    invariant(previous.leaderEpoch < 0 || state.leaderEpoch < 0 || state.leaderEpoch >= previous.leaderEpoch, 'leader epochs increase', () => `${where}: leader epoch went back from ${previous.leaderEpoch} to ${state.leaderEpoch}`)
  }

  /** Follower side: truncating (checking divergence with the leader, KIP-279), fetching, or stalled until the fetch backoff ends. */
  get followerPhase(): FollowerPhase {
    return this.phase
  }

  /** Back from a crash or a partition: what this replica holds may diverge from the leader, so check again. */
  reconnected(): void {
    this.phase = 'truncating'
  }

  /** The divergence check is done (or there was nothing to check): fetch from the log end. */
  divergenceChecked(): void {
    this.phase = 'fetching'
  }

  /** The leader answered this partition with an error: wait for the fetch backoff. */
  leaderRefused(): void {
    this.phase = 'stalled'
  }

  /** A fetch round failed unexpectedly: a fetching replica waits for the fetch backoff. */
  fetchRoundFailed(): void {
    if (this.phase === 'fetching') this.phase = 'stalled'
  }

  /** `replica.fetch.backoff.ms` passed: a stalled replica starts over from the divergence check. */
  backoffElapsed(): void {
    if (this.phase === 'stalled') this.phase = 'truncating'
  }

  /** The leader does not have our fetch offset: check divergence again before fetching. */
  fetchOutOfRange(): void {
    this.phase = 'truncating'
  }

  get logEndOffset(): number {
    return this.log.logEndOffset
  }

  /**
   * Applies a partition state from the controller. Becoming leader starts a new epoch in the log
   * at its end; becoming a follower (or following a new leader) means truncating first (KIP-101).
   */
  applyState(state: PartitionState): void {
    const previous = this.current
    if (this.checkInvariants) this.assertStateInvariants(previous, state)
    this.current = state
    this.leaderId = state.leader
    this.epoch = state.leaderEpoch
    if (state.isr !== previous.isr) this.isrIds = [...state.isr]
    if (state.replicas !== previous.replicas) this.replicaIds = [...state.replicas]
    const now = this.clock.now()
    if (state.leader === this.brokerId) {
      if (previous.leader !== this.brokerId || previous.leaderEpoch !== state.leaderEpoch) {
        this.log.epochs.assign(state.leaderEpoch, this.log.logEndOffset)
        this.epochStartOffset = this.log.logEndOffset
        this.followers = []
      }
      for (const id of state.replicas) {
        if (id !== this.brokerId && this.follower(id) === undefined) {
          // Kafka starts ISR members as caught up now, so a new leader does not shrink them at once.
          this.followers.push(new FollowerState(id, now, now))
        }
      }
      this.maybeIncrementHighWatermark()
    } else {
      this.followers = []
      this.epochStartOffset = -1
      if (previous.leader !== state.leader || previous.leaderEpoch !== state.leaderEpoch) this.phase = 'truncating'
    }
    this.changed.notify()
  }

  /**
   * Leader: appends a producer's batch in the current epoch; `sizeInBytes` if the caller computed it, `nowMs` the clock's
   * time if the caller read it (once for a whole Produce request).
   */
  appendAsLeader(batch: ProducedBatch, sizeInBytes?: number, nowMs = this.clock.now()): AppendInfo {
    const compression = this.config.compressionFor(batch.compression)
    const stored = compression === (batch.compression ?? 'none') ? batch : withCompression(batch, compression)
    const info = this.log.appendAsLeader(stored, this.epoch, this.config.timestampType, nowMs, sizeInBytes)
    if (batch.producerId >= 0) this.producers.apply([info.batch])
    this.maybeIncrementHighWatermark()
    this.changed.notify()
    return info
  }

  /** Leader: appends a transaction marker for the coordinator; returns its offset. */
  appendMarkerAsLeader(type: ControlType, producerId: number, producerEpoch: number): number {
    const marker = this.log.appendControlAsLeader(type, producerId, producerEpoch, this.epoch, this.clock.now())
    this.producers.apply([marker])
    this.maybeIncrementHighWatermark()
    this.changed.notify()
    return marker.baseOffset
  }

  /**
   * Follower: appends fetched batches (by reference) and takes the leader's high watermark, capped
   * by its own log end. Listeners hear of it only if something changed. `nowMs` is the clock's time, read once per
   * fetch answer by the caller rather than once per partition.
   */
  appendAsFollower(batches: readonly RecordBatch[], leaderHighWatermark: number, leaderLogStartOffset: number, nowMs: number): void {
    const endBefore = this.log.logEndOffset
    if (batches.length > 0) this.producers.apply(this.log.appendAsFollower(batches, nowMs))
    const hw = Math.min(leaderHighWatermark, this.log.logEndOffset)
    const hwMoved = hw > this.hw
    if (hwMoved) {
      this.hw = hw
      this.producers.forgetStableBelow(hw)
      this.assertInvariants()
    }
    // Followers follow the leader's log start offset (the Fetch response's log_start_offset), as Kafka's
    // ReplicaFetcherThread does: DeleteRecords and the leader's retention reach every replica.
    const startMoved = this.log.advanceStartOffset(Math.min(leaderLogStartOffset, this.hw))
    if (hwMoved || startMoved || this.log.logEndOffset !== endBefore) this.changed.notify()
  }

  /**
   * Moves the log start offset up to `offset`, capped by the high watermark (Kafka's
   * `maybeIncrementLogStartOffset`: nothing a consumer has not been allowed to see is removed).
   * Returns the log start offset after the move.
   */
  advanceLogStartOffset(offset: number): number {
    if (this.log.advanceStartOffset(Math.min(offset, this.hw))) this.changed.notify()
    return this.log.logStartOffset
  }

  /**
   * The log cleaner's retention pass (Kafka's `LogManager.cleanupLogs`, on every replica): with
   * `cleanup.policy` including `delete`, whole segments past `retention.ms` or beyond `retention.bytes`
   * go, never one above the high watermark. Returns true if the log start offset moved.
   */
  applyRetention(): boolean {
    if (!this.config.cleanupPolicy.includes('delete')) return false
    const moved = this.log.applyRetention({ nowMs: this.clock.now(), retentionMs: this.config.retentionMs, retentionBytes: this.config.retentionBytes, highWatermark: this.hw })
    if (moved) this.changed.notify()
    return moved
  }

  /**
   * The log cleaner's compaction pass (Kafka's `LogCleaner`, on every replica: each cleans its own log, as each
   * Kafka broker does): with `cleanup.policy` including `compact`, keeps the newest record per key in the closed
   * segments below the last stable offset (see log-cleaner.ts). Returns true if it cleaned.
   */
  applyCompaction(): boolean {
    const config = this.config
    if (!config.compacted) return false
    const cleaned = this.log.compact({
      nowMs: this.clock.now(),
      deleteRetentionMs: config.deleteRetentionMs,
      minCompactionLagMs: config.minCompactionLagMs,
      maxCompactionLagMs: config.maxCompactionLagMs,
      minCleanableDirtyRatio: config.minCleanableDirtyRatio,
      lastStableOffset: this.lastStableOffset,
    })
    if (cleaned === null) return false
    // Kafka rewrites the aborted-transaction index of cleaned segments: a removed ABORT marker leaves it.
    if (cleaned.markersRemoved) {
      this.rebuildProducerState()
      this.producers.forgetStableBelow(this.hw)
    }
    this.changed.notify()
    return true
  }

  /**
   * Follower: its log ends below the leader's log start offset, so it cannot continue it (Kafka's
   * `truncateFullyAndStartAt`): it empties its log and fetches from there.
   */
  startOverAt(leaderLogStartOffset: number): void {
    this.log.truncateFullyAndStartAt(leaderLogStartOffset, this.clock.now())
    this.rebuildProducerState()
    this.hw = leaderLogStartOffset
    this.changed.notify()
  }

  /** Follower: drops a divergent suffix. */
  truncateTo(offset: number): void {
    const before = this.log.logEndOffset
    this.log.truncateTo(offset)
    if (this.log.logEndOffset < before) this.rebuildProducerState()
    this.hw = Math.min(this.hw, this.log.logEndOffset)
    this.changed.notify()
  }

  /** After a power loss: the log fell back to its flushed offset. */
  loseUnflushed(): void {
    this.log.loseUnflushed()
    this.rebuildProducerState()
    this.hw = Math.min(this.hw, this.log.logEndOffset)
  }

  /** Forgets the producers that have not written here for `expirationMs` (`producer.id.expiration.ms`). */
  expireProducers(expirationMs: number): void {
    this.producers.removeExpired(this.clock.now(), expirationMs)
  }

  /** Replays the whole log into fresh producer state (Kafka reloads it from a snapshot and the log). */
  private rebuildProducerState(): void {
    this.producers.rebuild(this.log.allBatches())
  }

  /**
   * Leader: a follower fetched from `fetchOffset`, so it has everything below it. Updates its
   * caught-up time by Kafka's rule (`Replica.updateFetchState`) and maybe the high watermark.
   * `brokerEpoch` is the incarnation that fetched (KIP-903; the caller has rejected older ones), `now` the clock's
   * time of the fetch (as Kafka's `fetchTimeMs`, read once per request).
   */
  recordFollowerFetch(followerId: number, fetchOffset: number, brokerEpoch: number, now: number): void {
    const follower = this.follower(followerId)
    if (follower === undefined) return
    follower.release?.releaseLink()
    follower.brokerEpoch = brokerEpoch
    const leaderEnd = this.log.logEndOffset
    if (fetchOffset >= leaderEnd) follower.lastCaughtUpTimeMs = Math.max(follower.lastCaughtUpTimeMs, now)
    else if (fetchOffset >= follower.lastFetchLeaderLogEndOffset) {
      follower.lastCaughtUpTimeMs = Math.max(follower.lastCaughtUpTimeMs, follower.lastFetchTimeMs)
    }
    follower.logEndOffset = fetchOffset
    follower.lastFetchLeaderLogEndOffset = leaderEnd
    follower.lastFetchTimeMs = now
    if (this.maybeIncrementHighWatermark()) this.changed.notify()
  }

  /** Leader: the broker epoch of the follower's latest fetch, -1 if none (KIP-903). */
  followerBrokerEpoch(followerId: number): number {
    return this.follower(followerId)?.fetchBrokerEpoch ?? -1
  }

  /**
   * Leader: the follower just fetched this partition at `fetchOffset` with `stamp.current`'s broker epoch, and further
   * fetches at that offset would change nothing but the caught-up and fetch times and the broker epoch: it is in the
   * ISR and has the whole log (so neither the high watermark nor the ISR can move by them). Then its fetch state
   * follows `stamp` from now on, until `release` is told before any other write, and this returns the state to
   * unlink later; else undefined. Any change to this replica that would change such a fetch's effect fires
   * {@link changed}, on which the session unlinks.
   */
  linkFollowerFetches(followerId: number, fetchOffset: number, stamp: { readonly current: FetchStamp }, release: LinkRelease): LinkedFollowerFetches | undefined {
    const follower = this.follower(followerId)
    const end = this.log.logEndOffset
    if (follower === undefined || follower.stamp !== undefined || !this.isLeader || !holds(this.isrIds, followerId)) return undefined
    if (fetchOffset !== end || follower.logEndOffset !== end || follower.lastFetchLeaderLogEndOffset !== end || follower.brokerEpoch !== stamp.current.brokerEpoch) return undefined
    follower.stamp = stamp
    follower.release = release
    return follower
  }

  /**
   * Leader: true if a follower outside the ISR may join it (Kafka: it has reached the high
   * watermark and the start of the current leader epoch).
   */
  canJoinIsr(followerId: number): boolean {
    const follower = this.follower(followerId)
    if (follower === undefined || holds(this.isrIds, followerId)) return false
    const epochStart = this.log.epochs.endOffsetFor(this.epoch - 1, this.log.logEndOffset).endOffset
    return follower.logEndOffset >= this.hw && follower.logEndOffset >= Math.max(0, epochStart)
  }

  /** Leader: ISR followers that have not caught up within `lagMs` (`replica.lag.time.max.ms`). */
  laggingFollowers(lagMs: number): number[] {
    const now = this.clock.now()
    return this.isrIds.filter((id) => {
      if (id === this.brokerId) return false
      const follower = this.follower(id)
      return follower !== undefined && now - follower.caughtUpTimeMs > lagMs
    })
  }

  /** Leader: what it knows of follower `id`, if it is one. */
  private follower(id: number): FollowerState | undefined {
    const followers = this.followers
    for (let i = 0; i < followers.length; i++) if (followers[i]!.id === id) return followers[i]
    return undefined
  }

  /**
   * Leader: HW = the smallest log end offset in the ISR; it never moves back. True if it moved. It does not move while
   * the ISR is smaller than `min.insync.replicas` (capped at the replica count): Kafka's "strict min ISR" rule
   * (KIP-966, Partition.maybeIncrementLeaderHW since 3.7), without which a leader alone in the ISR exposes records to
   * consumers that its loss (a power cut before they reached a follower) takes back.
   */
  private maybeIncrementHighWatermark(): boolean {
    if (!this.isLeader) return false
    const isr = this.isrIds
    if (this.underMinIsr) return false
    let min = this.log.logEndOffset
    for (let i = 0; i < isr.length; i++) {
      const id = isr[i]!
      if (id === this.brokerId) continue
      const follower = this.follower(id)
      min = Math.min(min, follower === undefined ? -1 : follower.logEndOffset)
    }
    if (min > this.hw) {
      this.hw = min
      this.producers.forgetStableBelow(min)
      this.assertInvariants()
      return true
    }
    return false
  }
}

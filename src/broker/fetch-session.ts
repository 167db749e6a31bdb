/**
 * Incremental fetch sessions at a broker (KIP-227). A session remembers, per partition, what its
 * fetcher asked for and what the last answer told it; each partition listens to its replica's
 * change signal and marks itself dirty when something happens there. A fetch in the session then
 * looks only at the dirty partitions, and a parked fetch wakes on the session's own signal: a
 * broker leading thousands of partitions pays per fetch for those that changed, not for all.
 *
 * A partition stays dirty while it has anything the fetcher has not taken: an error, records at its
 * fetch offset (until the fetcher asks from further on, as Kafka re-reads every session partition),
 * or a high watermark, last stable offset or log start offset it was not told.
 */
import { PartitionIndex } from '../protocol/topic-partition.js'
import { ChangeSignal } from './change-signal.js'
import type { Replica } from './replica.js'

/** `max.incremental.fetch.session.cache.slots`, Kafka's default. */
const CACHE_SLOTS = 1000

/** One partition of a fetch session. */
export class SessionPartition {
  fetchOffset = 0
  partitionMaxBytes = 0
  currentLeaderEpoch = -1
  /** What the last answer said of this partition: a partition is resent when one of these moves. */
  sentHighWatermark = -1
  sentLastStableOffset = -1
  sentLogStartOffset = -1
  /** Bytes this partition counted towards the parked fetch's `minBytes`, and whether it counted as an error. */
  counted = 0
  failed = false
  /** The request ({@link FetchSession.round}) that `counted` and `failed` belong to. */
  countedInRound = 0
  private watched: Replica | undefined
  private unsubscribe: (() => void) | undefined

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly session: FetchSession,
  ) {}

  /** The replica this partition listens to (the broker's replica of it now), if any. */
  get replica(): Replica | undefined {
    return this.watched
  }

  /** Listens to `replica` (the broker's current replica of this partition), instead of an earlier one. */
  watch(replica: Replica | undefined): void {
    if (replica === this.watched) return
    this.unsubscribe?.()
    this.watched = replica
    this.unsubscribe = replica?.changed.subscribe(() => this.session.markDirty(this))
  }

  close(): void {
    this.unsubscribe?.()
    this.unsubscribe = undefined
    this.watched = undefined
  }
}

/** One fetcher's session: its partitions, the dirty ones, and the epoch its next request must carry. */
export class FetchSession {
  /** The epoch the next request in this session must carry. */
  expectedEpoch = 1
  /** Counts the requests served in this session. */
  round = 0
  /** In the order the fetcher first named them (a forgotten one named again goes last). */
  readonly partitions = new Set<SessionPartition>()
  private readonly index = new PartitionIndex<SessionPartition>()
  private readonly dirty = new Set<SessionPartition>()
  /** Dirty since the parked fetch last looked: re-counted on the next wake-up. */
  private fresh: SessionPartition[] = []
  /** Fires when a partition of this session becomes dirty. */
  readonly changed = new ChangeSignal()

  constructor(
    readonly id: number,
    /** The follower broker that owns the session; null for a consumer. */
    readonly follower: number | null,
  ) {}

  /** Adds or updates a partition as its fetcher asked for it now; it is dirty until answered. */
  upsert(topic: string, partition: number, fetchOffset: number, partitionMaxBytes: number, currentLeaderEpoch: number): SessionPartition {
    let entry = this.index.get(topic, partition)
    if (entry === undefined) {
      entry = new SessionPartition(topic, partition, this)
      this.index.set(topic, partition, entry)
      this.partitions.add(entry)
    }
    entry.fetchOffset = fetchOffset
    entry.partitionMaxBytes = partitionMaxBytes
    entry.currentLeaderEpoch = currentLeaderEpoch
    this.markDirty(entry)
    return entry
  }

  forget(topic: string, partition: number): void {
    const entry = this.index.get(topic, partition)
    if (entry === undefined) return
    entry.close()
    this.index.delete(topic, partition)
    this.partitions.delete(entry)
    this.dirty.delete(entry)
  }

  markDirty(entry: SessionPartition): void {
    this.dirty.add(entry)
    // Only a parked fetch re-counts: with none, nothing piles up between requests.
    if (this.changed.size === 0) return
    this.fresh.push(entry)
    this.changed.notify()
  }

  isDirty(entry: SessionPartition): boolean {
    return this.dirty.has(entry)
  }

  /** Nothing new for the fetcher here until its replica changes or the fetcher asks again. */
  markClean(entry: SessionPartition): void {
    this.dirty.delete(entry)
  }

  /** The dirty partitions, in the order they first became dirty. */
  dirtyPartitions(): SessionPartition[] {
    return [...this.dirty]
  }

  /** The partitions dirtied since the last call (some maybe twice), and forgets them. */
  takeFresh(): SessionPartition[] {
    const fresh = this.fresh
    this.fresh = []
    return fresh
  }

  close(): void {
    for (const entry of this.partitions) entry.close()
    this.partitions.clear()
    this.index.clear()
    this.dirty.clear()
    this.fresh = []
  }
}

/**
 * A broker's fetch sessions, at most `max.incremental.fetch.session.cache.slots` of them (the least
 * recently used goes first). A follower has one fetcher per leader, so its new session replaces its
 * old one (the fetcher that owned it restarted).
 */
export class FetchSessionCache {
  private readonly sessions = new Map<number, FetchSession>()
  private nextId = 1

  /** A new session (ids count up from 1; 0 means "no session" on the wire). */
  create(follower: number | null): FetchSession {
    if (follower !== null) for (const session of this.sessions.values()) if (session.follower === follower) this.remove(session.id)
    if (this.sessions.size >= CACHE_SLOTS) this.remove(this.sessions.keys().next().value!)
    const id = this.nextId
    this.nextId = this.nextId >= 0x7fffffff ? 1 : this.nextId + 1
    const session = new FetchSession(id, follower)
    this.sessions.set(id, session)
    return session
  }

  /** The session with this id, now the most recently used; undefined if unknown or evicted. */
  use(id: number): FetchSession | undefined {
    const session = this.sessions.get(id)
    if (session === undefined) return undefined
    this.sessions.delete(id)
    this.sessions.set(id, session)
    return session
  }

  remove(id: number): void {
    this.sessions.get(id)?.close()
    this.sessions.delete(id)
  }

  /** Forgets every session (the broker crashed: its memory is gone). */
  clear(): void {
    for (const session of this.sessions.values()) session.close()
    this.sessions.clear()
  }

  get size(): number {
    return this.sessions.size
  }
}

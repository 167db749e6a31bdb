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
 *
 * A follower's session also records the follower's fetches at the leader without visiting every
 * partition: see {@link FetchSession.recordFollowerFetches}.
 */
import { PartitionIndex } from '../protocol/topic-partition.js'
import { ChangeSignal } from './change-signal.js'
import { inSeqOrder, sortBySeq } from './seq-order.js'
import type { FetchStamp, LinkedFollowerFetches, Replica } from './replica.js'

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
  /** Its place in the session's order ({@link FetchSession.partitions}). */
  seq = 0
  /** The follower's fetch state at the leader while it follows the session's stamp. */
  linked: LinkedFollowerFetches | undefined
  /** Its slot in the session's list of dirty partitions while dirty, else -1. */
  dirtyAt = -1
  /** Forgotten by the session (or the session closed): lists that still hold it skip it. */
  removed = false
  /** The follower pass ({@link FetchSession.recordFollowerFetches}) that last put it in its order. */
  orderedInPass = 0
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

  /** Its follower's fetch state at the replica is about to be written otherwise: it stops following the session's stamp. */
  releaseLink(): void {
    this.session.unlink(this)
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
  /**
   * The dirty partitions in the order they last became dirty: a partition made clean leaves a hole (its
   * {@link SessionPartition.dirtyAt} no longer names its slot), dropped when the list is next visited. Fields and
   * an array rather than a Set: every partition of every fetch is marked dirty and looked up several times.
   */
  private dirty: SessionPartition[] = []
  private dirtyHoles = 0
  /** Dirty since the parked fetch last looked: re-counted on the next wake-up. */
  private fresh: SessionPartition[] = []
  /** Fires when a partition of this session becomes dirty. */
  readonly changed = new ChangeSignal()
  /** A follower's latest request that recorded its fetches: what the linked partitions' fetch states follow. */
  private readonly stamp: { current: FetchStamp } = { current: { brokerEpoch: -1, timeMs: -Infinity } }
  /**
   * The partitions not linked to the stamp, which a follower's request records one by one: those of the last pass's
   * order (by seq) and those unlinked since (in any order). Either may also hold partitions linked or removed since,
   * skipped when the next pass merges them; only a follower's session keeps them.
   */
  private unlinkedInOrder: SessionPartition[] = []
  private unlinkedSince: SessionPartition[] = []
  private passes = 0
  private nextSeq = 0
  /** The follower pass under way: its partitions in session order, the one being recorded, and the fetch linked ones take. */
  private pass: { readonly order: SessionPartition[]; at: number; readonly fetch: FetchStamp | undefined } | undefined

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
      entry.seq = this.nextSeq++
      this.index.set(topic, partition, entry)
      this.partitions.add(entry)
      this.addUnlinked(entry)
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
    this.unlink(entry)
    entry.close()
    entry.removed = true
    this.index.delete(topic, partition)
    this.partitions.delete(entry)
    this.markClean(entry)
  }

  markDirty(entry: SessionPartition): void {
    this.unlink(entry)
    if (entry.dirtyAt < 0) entry.dirtyAt = this.dirty.push(entry) - 1
    // Only a parked fetch re-counts: with none, nothing piles up between requests.
    if (this.changed.size === 0) return
    this.fresh.push(entry)
    this.changed.notify()
  }

  isDirty(entry: SessionPartition): boolean {
    return entry.dirtyAt >= 0
  }

  /** Nothing new for the fetcher here until its replica changes or the fetcher asks again. */
  markClean(entry: SessionPartition): void {
    if (entry.dirtyAt < 0) return
    entry.dirtyAt = -1
    this.dirtyHoles++
  }

  /**
   * Visits the dirty partitions in the order they last became dirty, as a Set would: one made clean by `visit` is not
   * visited again, one dirtied during the visit is, at the end (made clean and dirty again too).
   */
  forEachDirty(visit: (entry: SessionPartition) => void): void {
    if (this.dirtyHoles > 0) this.compactDirty()
    const dirty = this.dirty
    for (let i = 0; i < dirty.length; i++) {
      const entry = dirty[i]!
      if (entry.dirtyAt === i) visit(entry)
    }
  }

  /** Drops the holes of the dirty list. */
  private compactDirty(): void {
    const kept: SessionPartition[] = []
    const dirty = this.dirty
    for (let i = 0; i < dirty.length; i++) {
      const entry = dirty[i]!
      if (entry.dirtyAt === i) entry.dirtyAt = kept.push(entry) - 1
    }
    this.dirty = kept
    this.dirtyHoles = 0
  }

  /** The partitions dirtied since the last call (some maybe twice), and forgets them. */
  takeFresh(): SessionPartition[] {
    const fresh = this.fresh
    this.fresh = []
    return fresh
  }

  /**
   * A follower's request records its fetch of every partition of the session, in the session's order, as Kafka's
   * leader reads every session partition on each fetch (the follower's caught-up time, KIP-903 broker epoch, ISR
   * expansion). `record` records one partition as the request's fetch and says whether it did. A partition whose
   * fetch would change nothing but those times and the epoch is linked to the session's stamp instead
   * ({@link Replica.linkFollowerFetches}), and the request records all of them at once by moving the stamp, if
   * `recordLinked` (the request is not from an earlier incarnation of the follower, which changes nothing). So a request
   * costs per partition that changed, with the same outcome as recording each in turn: a linked partition that
   * changes during the pass is unlinked as of its turn (recorded if its turn is past, else recorded in turn).
   */
  recordFollowerFetches(fetch: FetchStamp, recordLinked: boolean, record: (entry: SessionPartition) => boolean): void {
    if (this.stamp.current.brokerEpoch !== fetch.brokerEpoch) {
      // Another incarnation's fetches: every partition is recorded one by one, and links anew to a stamp of its epoch.
      for (const entry of this.partitions) this.unlink(entry)
      this.stamp.current = { brokerEpoch: fetch.brokerEpoch, timeMs: this.stamp.current.timeMs }
    }
    const order = this.unlinkedOrder()
    const pass = { order, at: 0, fetch: recordLinked ? fetch : undefined }
    this.pass = pass
    try {
      for (; pass.at < order.length; pass.at++) {
        const entry = order[pass.at]!
        const replica = entry.replica
        if (!record(entry) || entry.dirtyAt >= 0 || replica === undefined) continue
        const linked = replica.linkFollowerFetches(this.follower!, entry.fetchOffset, this.stamp, entry)
        if (linked !== undefined) entry.linked = linked
      }
    } finally {
      this.pass = undefined
      // By seq, with those unlinked during the pass: the next pass merges it with the ones unlinked after.
      this.unlinkedInOrder = order
    }
    if (recordLinked) this.stamp.current = fetch
  }

  /** A partition starts out, or goes back to being, recorded one by one. */
  private addUnlinked(entry: SessionPartition): void {
    if (this.follower !== null) this.unlinkedSince.push(entry)
  }

  /**
   * The partitions not linked, by seq: the last pass's order merged with those unlinked since (sorted first, if they did
   * not unlink in session order), each once, without those linked or removed since.
   */
  private unlinkedOrder(): SessionPartition[] {
    const pass = ++this.passes
    const before = this.unlinkedInOrder
    const since = this.unlinkedSince
    this.unlinkedSince = []
    if (!inSeqOrder(since)) sortBySeq(since)
    const order: SessionPartition[] = []
    let i = 0
    let j = 0
    while (i < before.length || j < since.length) {
      const entry = j >= since.length || (i < before.length && before[i]!.seq <= since[j]!.seq) ? before[i++]! : since[j++]!
      if (entry.linked !== undefined || entry.removed || entry.orderedInPass === pass) continue
      entry.orderedInPass = pass
      order.push(entry)
    }
    return order
  }

  /** The partition's fetch state stops following the stamp (it changed, or goes): it takes the fetches recorded so far. */
  unlink(entry: SessionPartition): void {
    const linked = entry.linked
    if (linked === undefined) return
    entry.linked = undefined
    this.addUnlinked(entry)
    const pass = this.pass
    if (pass === undefined) return linked.unlink(this.stamp.current)
    if (entry.seq < pass.order[pass.at]!.seq) return linked.unlink(pass.fetch ?? this.stamp.current)
    // Its turn in this request is still to come: recorded then, one by one.
    linked.unlink(this.stamp.current)
    let at = pass.at + 1
    while (at < pass.order.length && pass.order[at]!.seq < entry.seq) at++
    pass.order.splice(at, 0, entry)
  }

  close(): void {
    for (const entry of this.partitions) {
      this.unlink(entry)
      entry.close()
      entry.removed = true
      entry.dirtyAt = -1
    }
    this.partitions.clear()
    this.index.clear()
    this.unlinkedInOrder = []
    this.unlinkedSince = []
    this.dirty = []
    this.dirtyHoles = 0
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

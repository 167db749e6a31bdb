/**
 * The log of one partition replica (Kafka's `UnifiedLog`): an append-only sequence of frozen record
 * batches with contiguous offsets (gaps only where the log cleaner compacted records away), its log start and end offsets, a leader epoch cache for
 * KIP-101 truncation, and the flushed offset that a power loss falls back to.
 *
 * A batch is stored as one object holding its records (Kafka's RecordBatch), with its keys and values
 * copied once into a buffer the log owns; followers append the leader's batch objects by reference,
 * and reads materialize copies, so nothing outside the log can change a record.
 *
 * Flushing follows Kafka's topic configs: `flush.messages` and `flush.ms` (default: never, Kafka
 * relies on replication, not fsync) and a flush at every segment roll (`segment.bytes`, 1 GiB).
 * A process crash keeps everything (the OS page cache survives it); only
 * `crashBroker(id, { loseUnflushed: true })`, a power loss, falls back to the flushed offset.
 */
import { nextOffsetOf, offsetAt, recordsOf, type ControlType, type LogRecord, type ProducedBatch, type RecordBatch, type TimestampType } from '../protocol/index.js'
import { invariant } from './invariant.js'
import { LeaderEpochCache } from './leader-epoch-cache.js'
import { clean, cleanableUpTo, type CompactionLimits } from './log-cleaner.js'
import { expiredSegmentCount, type RetentionLimits, type Segment } from './log-segment.js'
import { batchSize, buildControlBatch, sliceBatch, storeBatch } from './record-batch-builder.js'

export { BATCH_OVERHEAD_BYTES, batchSize } from './record-batch-builder.js'

/** When the log forces records to "disk"; see the file comment. */
export interface FlushPolicy {
  readonly flushMessages: number
  readonly flushMs: number
  readonly segmentBytes: number
  /** `segment.ms`: a segment older than this rolls at the next append. */
  readonly segmentMs: number
}

/** What an append as leader returns. */
export interface AppendInfo {
  readonly baseOffset: number
  readonly lastOffset: number
  /** The broker time used as timestamp with LogAppendTime, else -1. */
  readonly logAppendTime: number
  /** The batch as stored. */
  readonly batch: RecordBatch
}

export class PartitionLog {
  private batches: RecordBatch[] = []
  private startOffset = 0
  private endOffset = 0
  private flushed = 0
  private lastFlushMs: number
  /** Segment boundaries, oldest first; the last one is active (appended to). */
  private segments: Segment[]
  /** The first offset the log cleaner has not cleaned yet (Kafka's cleaner checkpoint). */
  private firstDirty = 0
  /** The earliest delete horizon (KIP-534) still ahead in the log, -1 if none. */
  private nextDeleteHorizon = -1
  /** Epoch -> first offset, for OffsetForLeaderEpoch. */
  readonly epochs = new LeaderEpochCache()

  constructor(
    private readonly flushPolicy: () => FlushPolicy,
    nowMs: number,
  ) {
    this.lastFlushMs = nowMs
    this.segments = [{ baseOffset: 0, bytes: 0, createdMs: nowMs, maxTimestamp: -1 }]
  }

  /** The segments, oldest first (read-only view, for tests and the cleaner). */
  segmentList(): readonly Readonly<Segment>[] {
    return this.segments
  }

  /**
   * Retention (`retention.ms`, `retention.bytes`): deletes the oldest whole segments that breach them
   * (see {@link expiredSegmentCount}) and moves the log start offset to the first one kept. Returns true if any went.
   */
  applyRetention(limits: Omit<RetentionLimits, 'logEndOffset'>): boolean {
    const count = expiredSegmentCount(this.segments, { ...limits, logEndOffset: this.endOffset })
    if (count === 0) return false
    // Kafka rolls a new active segment before deleting every segment, so the log always has one.
    if (count === this.segments.length) this.roll(this.endOffset, limits.nowMs)
    this.segments = this.segments.slice(count)
    this.advanceStartOffset(this.segments[0]!.baseOffset)
    return true
  }

  /**
   * Compaction (`cleanup.policy=compact`, see log-cleaner.ts): if a cleaning is due, keeps only the newest record
   * of each key in the closed segments below the last stable offset. Offsets never change; closed segments left
   * without a batch go. Returns null if nothing was due, else whether a transaction marker went.
   */
  compact(limits: CompactionLimits): { readonly markersRemoved: boolean } | null {
    const log = {
      batches: this.batches,
      segments: this.segments,
      logStartOffset: this.startOffset,
      logEndOffset: this.endOffset,
      firstDirtyOffset: this.firstDirty,
      nextDeleteHorizonMs: this.nextDeleteHorizon,
    }
    const upTo = cleanableUpTo(log, limits)
    if (upTo === null) return null
    const cleaning = clean(log, upTo, limits)
    this.batches = [...cleaning.batches, ...this.batches.slice(cleaning.replacedBatches)]
    this.firstDirty = upTo
    this.nextDeleteHorizon = cleaning.nextDeleteHorizonMs
    this.recountCleanedSegments(upTo)
    return { markersRemoved: cleaning.markersRemoved }
  }

  /** After a cleaning below `upTo`: each closed segment there gets its new size, and those left empty go (Kafka merges them away). */
  private recountCleanedSegments(upTo: number): void {
    const bytes = new Map<Segment, number>()
    let s = 0
    for (const batch of this.batches) {
      if (batch.baseOffset >= upTo) break
      while (s + 1 < this.segments.length && this.segments[s + 1]!.baseOffset <= batch.baseOffset) s++
      bytes.set(this.segments[s]!, (bytes.get(this.segments[s]!) ?? 0) + batch.sizeInBytes)
    }
    this.segments = this.segments.filter((segment, i) => {
      if (segment.baseOffset >= upTo || i === this.segments.length - 1) return true
      segment.bytes = bytes.get(segment) ?? 0
      return segment.bytes > 0
    })
  }

  /** The first offset still in the log (Kafka's log start offset). */
  get logStartOffset(): number {
    return this.startOffset
  }

  /** The offset the next record will get (Kafka's log end offset, LEO). */
  get logEndOffset(): number {
    return this.endOffset
  }

  /** Records below this offset survive a power loss. */
  get flushedOffset(): number {
    return this.flushed
  }

  /**
   * Appends a producer's batch as leader in `leaderEpoch`: copies its records into one log-owned
   * batch, assigns offsets, and timestamps from the producer (CreateTime) or from `nowMs`
   * (LogAppendTime, `message.timestamp.type`). `sizeInBytes` is the batch's size if already known.
   */
  appendAsLeader(batch: ProducedBatch, leaderEpoch: number, timestampType: TimestampType, nowMs: number, sizeInBytes?: number): AppendInfo {
    const baseOffset = this.endOffset
    this.epochs.assign(leaderEpoch, baseOffset)
    const stored = storeBatch(batch, baseOffset, leaderEpoch, timestampType, nowMs, sizeInBytes ?? batchSize(batch))
    this.push(stored, nowMs)
    this.maybeFlush(nowMs)
    return { baseOffset, lastOffset: this.endOffset - 1, logAppendTime: timestampType === 'LogAppendTime' ? nowMs : -1, batch: stored }
  }

  /**
   * Appends a transaction marker as leader (a control record, KIP-98): written by WriteTxnMarkers
   * for the transaction coordinator, never by a producer. Returns the marker batch.
   */
  appendControlAsLeader(type: ControlType, producerId: number, producerEpoch: number, leaderEpoch: number, nowMs: number): RecordBatch {
    const offset = this.endOffset
    this.epochs.assign(leaderEpoch, offset)
    const marker = buildControlBatch(type, producerId, producerEpoch, leaderEpoch, offset, nowMs)
    this.push(marker, nowMs)
    this.maybeFlush(nowMs)
    return marker
  }

  /**
   * Appends batches a follower fetched from its leader, by reference; they must continue this log
   * exactly (a batch starting below the log end, after a truncation inside it, is cut). Returns what was appended.
   */
  appendAsFollower(batches: readonly RecordBatch[], nowMs: number): readonly RecordBatch[] {
    // Usually every batch continues the log as fetched: then the fetched array itself is what was appended, and a
    // follower's append (one per partition of every fetch answer) allocates no array of its own.
    let appended: RecordBatch[] | undefined
    for (let i = 0; i < batches.length; i++) {
      const fetched = batches[i]!
      const skipped = nextOffsetOf(fetched) <= this.endOffset
      // A batch past the log end follows a gap the leader's log cleaner left (whole batches compacted away).
      const batch = skipped ? fetched : sliceBatch(fetched, this.endOffset, Infinity)
      if (appended === undefined && (skipped || batch !== fetched)) appended = batches.slice(0, i)
      if (skipped) continue
      this.epochs.assign(batch.leaderEpoch, batch.baseOffset)
      this.push(batch, nowMs, true)
      appended?.push(batch)
    }
    this.maybeFlush(nowMs)
    return appended ?? batches
  }

  /**
   * Whole batches from the one holding `fetchOffset`, below `maxOffset` (a batch crossing it is cut
   * there), stopping before `maxBytes` is exceeded; with `minOneBatch` the first batch is returned
   * even if larger (KIP-74), so a large batch cannot block a reader. Kafka returns whole batches, so
   * the first may start below `fetchOffset`: readers skip those records.
   */
  readBatches(fetchOffset: number, maxBytes: number, maxOffset: number, minOneBatch = true): RecordBatch[] {
    const end = Math.min(maxOffset, this.endOffset)
    if (fetchOffset >= end) return []
    // Made at the first batch, as a one-element literal: read per partition of every fetch answer, mostly one batch,
    // where `[]` and a push would allocate room for sixteen.
    let out: RecordBatch[] | undefined
    let bytes = 0
    for (let i = this.indexOf(Math.max(fetchOffset, this.startOffset)); i < this.batches.length; i++) {
      const batch = this.batches[i]!
      if (nextOffsetOf(batch) <= fetchOffset) continue
      if (batch.baseOffset >= end) break
      if ((out !== undefined || !minOneBatch) && bytes + batch.sizeInBytes > maxBytes) break
      bytes += batch.sizeInBytes
      const read = nextOffsetOf(batch) > end ? sliceBatch(batch, batch.baseOffset, end) : batch
      if (out === undefined) out = [read]
      else out.push(read)
    }
    return out ?? []
  }

  /** The records from `fetchOffset` below `maxOffset`, in whole batches within `maxBytes` (see {@link readBatches}), as copies. */
  read(fetchOffset: number, maxBytes: number, maxOffset: number, minOneBatch = true): LogRecord[] {
    return recordsOf(this.readBatches(fetchOffset, maxBytes, maxOffset, minOneBatch), fetchOffset)
  }

  /** True if the log holds a record at or after `fetchOffset` and below `maxOffset`. */
  hasRecords(fetchOffset: number, maxOffset: number): boolean {
    return Math.max(fetchOffset, this.startOffset) < Math.min(maxOffset, this.endOffset)
  }

  /** Bytes available from `fetchOffset` up to `maxOffset`, in whole batches, counting at most `limit`. */
  bytesAvailable(fetchOffset: number, maxOffset: number, limit: number): number {
    const end = Math.min(maxOffset, this.endOffset)
    if (Math.max(fetchOffset, this.startOffset) >= end) return 0
    let bytes = 0
    for (let i = this.indexOf(Math.max(fetchOffset, this.startOffset)); i < this.batches.length && bytes < limit; i++) {
      const batch = this.batches[i]!
      if (batch.baseOffset >= end) break
      bytes += batch.sizeInBytes
    }
    return bytes
  }

  /** The batch holding `offset`, if held. */
  batchAt(offset: number): RecordBatch | undefined {
    if (offset < this.startOffset || offset >= this.endOffset) return undefined
    return this.batches[this.indexOf(offset)]
  }

  /** The record at `offset`, if held, as a copy. */
  recordAt(offset: number): LogRecord | undefined {
    const batch = this.batchAt(offset)
    return batch === undefined ? undefined : recordsOf([sliceBatch(batch, offset, offset + 1)])[0]
  }

  /**
   * The first record with a timestamp at or after `timestamp`, below `maxOffset`
   * (ListOffsets by time). A linear scan: CreateTime timestamps need not be monotonic, and
   * this admin lookup is rare; Kafka keeps a sparse time index instead.
   */
  offsetForTimestamp(timestamp: number, maxOffset: number): LogRecord | undefined {
    const end = Math.min(maxOffset, this.endOffset)
    for (const batch of this.batches) {
      for (let i = 0; i < batch.count && offsetAt(batch, i) < end; i++) {
        if (batch.timestamps[i]! >= timestamp) return this.recordAt(offsetAt(batch, i))
      }
    }
    return undefined
  }

  /** Every batch held, from the log start: for rebuilding state after a truncation. */
  allBatches(): readonly RecordBatch[] {
    return this.batches
  }

  /** Removes every record at or after `offset` (a divergent suffix, KIP-101). */
  truncateTo(offset: number): void {
    if (offset >= this.endOffset) {
      // Nothing to cut, but an epoch this replica started as leader without appending anything must go (Kafka's
      // UnifiedLog.truncateTo): the leader it now follows may write that offset in an earlier epoch.
      this.epochs.truncateFromEnd(this.endOffset)
      return
    }
    const cut = Math.max(offset, this.startOffset)
    let keep = this.batches.length
    while (keep > 0 && this.batches[keep - 1]!.baseOffset >= cut) keep--
    this.batches.length = keep
    const last = this.batches[keep - 1]
    if (last !== undefined && nextOffsetOf(last) > cut) this.batches[keep - 1] = sliceBatch(last, last.baseOffset, cut)
    this.endOffset = cut
    this.firstDirty = Math.min(this.firstDirty, cut)
    this.truncateSegments(cut)
    this.flushed = Math.min(this.flushed, this.endOffset)
    this.epochs.truncateFromEnd(this.endOffset)
  }

  /**
   * Moves the log start offset up to `offset` (at most the log end), as DeleteRecords and retention
   * do (Kafka's `maybeIncrementLogStartOffset`); batches wholly below it are dropped at once. A batch
   * holding the new start stays whole, and reads skip its records below the start. Returns true if it moved.
   */
  advanceStartOffset(offset: number): boolean {
    const start = Math.min(offset, this.endOffset)
    if (start <= this.startOffset) return false
    this.startOffset = start
    let drop = 0
    while (drop < this.batches.length && nextOffsetOf(this.batches[drop]!) <= start) drop++
    if (drop > 0) this.batches = this.batches.slice(drop)
    let below = 0
    while (below + 1 < this.segments.length && this.segments[below + 1]!.baseOffset <= start) below++
    if (below > 0) this.segments = this.segments.slice(below)
    this.flushed = Math.max(this.flushed, start)
    this.epochs.truncateFromStart(start)
    return true
  }

  /**
   * Empties the log and starts it at `offset` (Kafka's `truncateFullyAndStartAt`): a follower whose log
   * ends below its leader's log start offset cannot continue it, so it starts over there.
   */
  truncateFullyAndStartAt(offset: number, nowMs: number): void {
    this.batches = []
    this.segments = [{ baseOffset: offset, bytes: 0, createdMs: nowMs, maxTimestamp: -1 }]
    this.startOffset = offset
    this.endOffset = offset
    this.firstDirty = offset
    this.nextDeleteHorizon = -1
    this.flushed = offset
    this.epochs.clear()
  }

  /** Forces every record to "disk". */
  flush(nowMs: number): void {
    this.flushed = this.endOffset
    this.lastFlushMs = nowMs
  }

  /** A power loss: the unflushed suffix is gone. */
  loseUnflushed(): void {
    this.truncateTo(this.flushed)
  }

  /** After a truncation at `cut`: drops segments starting at or after it and recounts the new active one. */
  private truncateSegments(cut: number): void {
    while (this.segments.length > 1 && this.segments[this.segments.length - 1]!.baseOffset >= cut) this.segments.pop()
    const active = this.segments[this.segments.length - 1]!
    active.bytes = 0
    active.maxTimestamp = -1
    for (let i = this.batches.length - 1; i >= 0 && this.batches[i]!.baseOffset >= active.baseOffset; i--) {
      const batch = this.batches[i]!
      active.bytes += batch.sizeInBytes
      for (let r = 0; r < batch.count; r++) active.maxTimestamp = Math.max(active.maxTimestamp, batch.timestamps[r]!)
    }
  }

  /** Index of the batch holding `offset` (which must be held): a binary search on base offsets. */
  private indexOf(offset: number): number {
    let low = 0
    let high = this.batches.length - 1
    while (low < high) {
      const mid = (low + high + 1) >>> 1
      if (this.batches[mid]!.baseOffset <= offset) low = mid
      else high = mid - 1
    }
    return low
  }

  /** Appends a batch, first rolling a new segment if it would overflow `segment.bytes` or the active one is older than `segment.ms`. */
  private push(batch: RecordBatch, nowMs: number, afterGap = false): void {
    // Offsets are dense as a leader appends: every batch starts where the log ends. Compaction removes records later
    // and leaves gaps, which a follower copying a cleaned leader's log appends across (`afterGap`). One comparison, so always checked.
    invariant(batch.baseOffset === this.endOffset || (afterGap && batch.baseOffset > this.endOffset), 'offsets dense on append', () => `a batch at offset ${batch.baseOffset} appended to a log that ends at ${this.endOffset}`)
    const policy = this.flushPolicy()
    let active = this.segments[this.segments.length - 1]!
    if (active.bytes > 0 && (active.bytes + batch.sizeInBytes > policy.segmentBytes || nowMs - active.createdMs >= policy.segmentMs)) {
      active = this.roll(batch.baseOffset, nowMs)
    }
    if (active.bytes === 0) active.createdMs = nowMs
    active.bytes += batch.sizeInBytes
    for (let i = 0; i < batch.count; i++) if (batch.timestamps[i]! > active.maxTimestamp) active.maxTimestamp = batch.timestamps[i]!
    this.batches.push(batch)
    this.endOffset = nextOffsetOf(batch)
  }

  /** Opens a new active segment at `baseOffset`; Kafka flushes the finished one. */
  private roll(baseOffset: number, nowMs: number): Segment {
    this.flush(nowMs)
    const segment = { baseOffset, bytes: 0, createdMs: nowMs, maxTimestamp: -1 }
    this.segments.push(segment)
    return segment
  }

  private maybeFlush(nowMs: number): void {
    const policy = this.flushPolicy()
    if (this.endOffset - this.flushed >= policy.flushMessages || nowMs - this.lastFlushMs >= policy.flushMs) this.flush(nowMs)
  }
}

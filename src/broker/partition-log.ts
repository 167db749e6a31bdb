/**
 * The log of one partition replica (Kafka's `UnifiedLog`): an append-only sequence of frozen
 * records with contiguous offsets, its log start and end offsets, a leader epoch cache for
 * KIP-101 truncation, and the flushed offset that a power loss falls back to.
 *
 * Flushing follows Kafka's topic configs: `flush.messages` and `flush.ms` (default: never, Kafka
 * relies on replication, not fsync) and a flush at every segment roll (`segment.bytes`, 1 GiB).
 * A process crash keeps everything (the OS page cache survives it); only
 * `crashBroker(id, { loseUnflushed: true })`, a power loss, falls back to the flushed offset.
 */
import type { ControlType, LogRecord, ProducedBatch, TimestampType } from '../protocol/index.js'
import { recordSize } from '../protocol/index.js'
import { LeaderEpochCache } from './leader-epoch-cache.js'

/** When the log forces records to "disk"; see the file comment. */
export interface FlushPolicy {
  readonly flushMessages: number
  readonly flushMs: number
  readonly segmentBytes: number
}

/** What an append as leader returns. */
export interface AppendInfo {
  readonly baseOffset: number
  readonly lastOffset: number
  /** The broker time used as timestamp with LogAppendTime, else -1. */
  readonly logAppendTime: number
}

/** Kafka's v2 batch header size, counted once per batch against `max.message.bytes`. */
export const BATCH_OVERHEAD_BYTES = 61

/** Size of a produced batch as checked against `max.message.bytes`. */
export function batchSize(batch: ProducedBatch): number {
  let size = BATCH_OVERHEAD_BYTES
  for (const record of batch.records) size += recordSize(record)
  return size
}

const NO_HEADERS: LogRecord['headers'] = Object.freeze([])

export class PartitionLog {
  private records: LogRecord[] = []
  private startOffset = 0
  private flushed = 0
  private lastFlushMs: number
  private bytesInSegment = 0
  /** Epoch -> first offset, for OffsetForLeaderEpoch. */
  readonly epochs = new LeaderEpochCache()

  constructor(
    private readonly flushPolicy: () => FlushPolicy,
    nowMs: number,
  ) {
    this.lastFlushMs = nowMs
  }

  /** The first offset still in the log (Kafka's log start offset). */
  get logStartOffset(): number {
    return this.startOffset
  }

  /** The offset the next record will get (Kafka's log end offset, LEO). */
  get logEndOffset(): number {
    return this.startOffset + this.records.length
  }

  /** Records below this offset survive a power loss. */
  get flushedOffset(): number {
    return this.flushed
  }

  /**
   * Appends a producer's batch as leader in `leaderEpoch`: assigns offsets, and timestamps
   * from the producer (CreateTime) or from `nowMs` (LogAppendTime, `message.timestamp.type`).
   */
  appendAsLeader(batch: ProducedBatch, leaderEpoch: number, timestampType: TimestampType, nowMs: number): AppendInfo {
    const baseOffset = this.logEndOffset
    this.epochs.assign(leaderEpoch, baseOffset)
    const logAppend = timestampType === 'LogAppendTime'
    batch.records.forEach((record, i) => {
      const headers = record.headers.length === 0 ? NO_HEADERS : Object.freeze(record.headers.map((h) => Object.freeze({ key: h.key, value: h.value })))
      this.push(
        Object.freeze({
          offset: baseOffset + i,
          timestamp: logAppend ? nowMs : record.timestamp,
          timestampType,
          key: record.key,
          value: record.value,
          headers,
          leaderEpoch,
          producerId: batch.producerId,
          producerEpoch: batch.producerEpoch,
          sequence: batch.baseSequence < 0 ? -1 : batch.baseSequence + i,
          transactional: batch.transactional,
          sizeInBytes: recordSize(record),
        }),
      )
    })
    this.maybeFlush(nowMs)
    return { baseOffset, lastOffset: this.logEndOffset - 1, logAppendTime: logAppend ? nowMs : -1 }
  }

  /**
   * Appends a transaction marker as leader (a control record, KIP-98): written by WriteTxnMarkers
   * for the transaction coordinator, never by a producer. Returns its offset.
   */
  appendControlAsLeader(type: ControlType, producerId: number, producerEpoch: number, leaderEpoch: number, nowMs: number): number {
    const offset = this.logEndOffset
    this.epochs.assign(leaderEpoch, offset)
    const marker = { key: null, value: null, headers: NO_HEADERS }
    this.push(
      Object.freeze({
        offset,
        timestamp: nowMs,
        timestampType: 'CreateTime' as const,
        ...marker,
        leaderEpoch,
        producerId,
        producerEpoch,
        sequence: -1,
        transactional: true,
        control: type,
        sizeInBytes: recordSize(marker),
      }),
    )
    this.maybeFlush(nowMs)
    return offset
  }

  /** Appends records a follower fetched from its leader; they must continue this log exactly. */
  appendAsFollower(records: readonly LogRecord[], nowMs: number): void {
    for (const record of records) {
      if (record.offset !== this.logEndOffset) {
        throw new Error(`follower append at offset ${record.offset}, but the log ends at ${this.logEndOffset}`)
      }
      this.epochs.assign(record.leaderEpoch, record.offset)
      this.push(record)
    }
    this.maybeFlush(nowMs)
  }

  /**
   * Records from `fetchOffset` up to (not including) `maxOffset`, stopping before `maxBytes`
   * is exceeded; with `minOneRecord` the first record is returned even if larger (KIP-74), so a
   * large record cannot block a reader.
   */
  read(fetchOffset: number, maxBytes: number, maxOffset: number, minOneRecord = true): LogRecord[] {
    const end = Math.min(maxOffset, this.logEndOffset)
    const out: LogRecord[] = []
    let bytes = 0
    for (let offset = Math.max(fetchOffset, this.startOffset); offset < end; offset++) {
      const record = this.records[offset - this.startOffset]!
      if ((out.length > 0 || !minOneRecord) && bytes + record.sizeInBytes > maxBytes) break
      bytes += record.sizeInBytes
      out.push(record)
    }
    return out
  }

  /** Bytes available from `fetchOffset` up to `maxOffset`, counting at most `limit`. */
  bytesAvailable(fetchOffset: number, maxOffset: number, limit: number): number {
    const end = Math.min(maxOffset, this.logEndOffset)
    let bytes = 0
    for (let offset = Math.max(fetchOffset, this.startOffset); offset < end && bytes < limit; offset++) {
      bytes += this.records[offset - this.startOffset]!.sizeInBytes
    }
    return bytes
  }

  /** The record at `offset`, if held. */
  recordAt(offset: number): LogRecord | undefined {
    return offset >= this.startOffset ? this.records[offset - this.startOffset] : undefined
  }

  /**
   * The first record with a timestamp at or after `timestamp`, below `maxOffset`
   * (ListOffsets by time). A linear scan: CreateTime timestamps need not be monotonic, and
   * this admin lookup is rare; Kafka keeps a sparse time index instead.
   */
  offsetForTimestamp(timestamp: number, maxOffset: number): LogRecord | undefined {
    const end = Math.min(maxOffset, this.logEndOffset) - this.startOffset
    for (let i = 0; i < end; i++) {
      if (this.records[i]!.timestamp >= timestamp) return this.records[i]
    }
    return undefined
  }

  /** Removes every record at or after `offset` (a divergent suffix, KIP-101). */
  truncateTo(offset: number): void {
    if (offset >= this.logEndOffset) return
    const keep = Math.max(0, offset - this.startOffset)
    for (let i = keep; i < this.records.length; i++) this.bytesInSegment -= this.records[i]!.sizeInBytes
    this.records.length = keep
    this.bytesInSegment = Math.max(0, this.bytesInSegment)
    this.flushed = Math.min(this.flushed, this.logEndOffset)
    this.epochs.truncateFromEnd(this.logEndOffset)
  }

  /** Forces every record to "disk". */
  flush(nowMs: number): void {
    this.flushed = this.logEndOffset
    this.lastFlushMs = nowMs
  }

  /** A power loss: the unflushed suffix is gone. */
  loseUnflushed(): void {
    this.truncateTo(this.flushed)
  }

  private push(record: LogRecord): void {
    this.records.push(record)
    this.bytesInSegment += record.sizeInBytes
  }

  private maybeFlush(nowMs: number): void {
    const policy = this.flushPolicy()
    if (this.bytesInSegment >= policy.segmentBytes) {
      // A segment roll: Kafka flushes the finished segment.
      this.bytesInSegment = 0
      this.flush(nowMs)
    } else if (this.logEndOffset - this.flushed >= policy.flushMessages || nowMs - this.lastFlushMs >= policy.flushMs) {
      this.flush(nowMs)
    }
  }
}

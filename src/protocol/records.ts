/**
 * Records as Kafka's record batch format (v2, KIP-98) carries them: a producer sends a batch,
 * the leader assigns offsets, and every replica stores the same immutable records.
 */

/** One record header; Kafka allows repeated keys, so headers are a list, not a map. */
export interface RecordHeader {
  readonly key: string
  readonly value: Buffer | null
}

/** How a record's timestamp was set: by the producer, or by the broker (`message.timestamp.type`). */
export type TimestampType = 'CreateTime' | 'LogAppendTime'

/** A record as a producer sends it, before the leader gives it an offset. */
export interface ProducedRecord {
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: readonly RecordHeader[]
  /** The producer's CreateTime, in ms. */
  readonly timestamp: number
}

/**
 * The codec of a batch's records section (attributes bits 0-2 of a v2 batch): the log keeps the
 * codec a batch came with, or the topic's `compression.type` when that names one, so fetches send
 * the records back compressed the same way. The log itself holds the records uncompressed.
 */
export type CompressionCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'

/** No producer id: the batch comes from a non-idempotent producer. */
export const NO_PRODUCER_ID = -1

/** A record batch as a producer sends it to a partition leader (one per partition per Produce request). */
export interface ProducedBatch {
  /** -1 unless the producer is idempotent or transactional (KIP-98). */
  readonly producerId: number
  readonly producerEpoch: number
  /** Sequence number of the first record; -1 without idempotence. */
  readonly baseSequence: number
  readonly transactional: boolean
  /**
   * The records. On a batch that comes {@link ProducedBatch.laidOut}, they are made from it when first read (request
   * hooks, tests), so the broker reads the layout and counts with {@link producedCount}.
   */
  readonly records: readonly ProducedRecord[]
  /**
   * The same records as one buffer (Kafka's MemoryRecords): what kafkalite's producer sends, so that the leader copies
   * one buffer per batch, not a key and a value per record. When present it is what the broker appends.
   */
  readonly laidOut?: LaidOutRecords
  /** How the producer compressed the batch on the wire; absent means none. */
  readonly compression?: CompressionCodec
}

/**
 * A batch's records laid out as a stored {@link RecordBatch} holds them: every key and value back to back in `bytes`,
 * and per record key start, key length, value start, value length (a length of -1 is null) in `layout`.
 */
export interface LaidOutRecords {
  readonly count: number
  readonly bytes: Buffer
  readonly layout: Int32Array
  readonly timestamps: Float64Array
  /** Per record headers; undefined when no record has any. */
  readonly headers?: ReadonlyArray<readonly RecordHeader[]>
}

/** The number of records of a produced batch, without making records from its layout. */
export function producedCount(batch: ProducedBatch): number {
  return batch.laidOut === undefined ? batch.records.length : batch.laidOut.count
}

/** The header list of every record without headers: one frozen empty list, so a plain record costs no array. */
export const NO_HEADERS: readonly RecordHeader[] = Object.freeze([])

/** The records of a layout, keys and values as views of its bytes. */
export function recordsOfLayout(laidOut: LaidOutRecords): ProducedRecord[] {
  const { bytes, layout, timestamps, headers } = laidOut
  const records: ProducedRecord[] = []
  for (let i = 0; i < laidOut.count; i++) {
    records.push({ key: slot(bytes, layout, i, 0), value: slot(bytes, layout, i, 2), headers: headers?.[i] ?? NO_HEADERS, timestamp: timestamps[i]! })
  }
  return records
}

/**
 * A produced batch that carries `laidOut`, its `records` made from the layout when first read. A class, its `records` a
 * getter on the prototype, since an object literal with a getter costs a slow object creation per batch; so a copy made
 * by spreading one has no `records` (see {@link withCompression}).
 */
class LaidOutBatch implements ProducedBatch {
  readonly producerId: number
  readonly producerEpoch: number
  readonly baseSequence: number
  readonly transactional: boolean
  readonly compression?: CompressionCodec
  private made: readonly ProducedRecord[] | undefined = undefined

  constructor(
    identity: Omit<ProducedBatch, 'records' | 'laidOut'>,
    readonly laidOut: LaidOutRecords,
  ) {
    this.producerId = identity.producerId
    this.producerEpoch = identity.producerEpoch
    this.baseSequence = identity.baseSequence
    this.transactional = identity.transactional
    if (identity.compression !== undefined) this.compression = identity.compression
  }

  get records(): readonly ProducedRecord[] {
    return (this.made ??= recordsOfLayout(this.laidOut))
  }
}

/** A produced batch that carries `laidOut` (see {@link ProducedBatch.laidOut}). */
export function laidOutBatch(identity: Omit<ProducedBatch, 'records' | 'laidOut'>, laidOut: LaidOutRecords): ProducedBatch {
  return new LaidOutBatch(identity, laidOut)
}

/** `batch` with another codec, its records unread. */
export function withCompression(batch: ProducedBatch, compression: CompressionCodec): ProducedBatch {
  if (batch.laidOut === undefined) return { ...batch, compression }
  const { producerId, producerEpoch, baseSequence, transactional } = batch
  return laidOutBatch({ producerId, producerEpoch, baseSequence, transactional, compression }, batch.laidOut)
}

/** Commit or abort marker written by the transaction coordinator (a control record, KIP-98). */
export type ControlType = 'COMMIT' | 'ABORT'

/**
 * A record as a reader sees it: what `PartitionLog.read` and {@link recordsOf} materialize from
 * stored batches. Its key, value and header values are the reader's own copies.
 */
export interface LogRecord {
  readonly offset: number
  readonly timestamp: number
  readonly timestampType: TimestampType
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: readonly RecordHeader[]
  /** The leader epoch in which the leader appended this record (used for truncation, KIP-101). */
  readonly leaderEpoch: number
  readonly producerId: number
  readonly producerEpoch: number
  /** -1 without idempotence. */
  readonly sequence: number
  readonly transactional: boolean
  /** Set on transaction markers, which consumers never see as messages. */
  readonly control?: ControlType
}

/**
 * A record batch as a partition log stores it (Kafka's RecordBatch, v2 format, KIP-98): the records
 * of one append, with their keys and values copied into one buffer that belongs to the log. Frozen and
 * never handed out: followers replicate the batch by reference, and every reader gets its own copy of
 * the bytes ({@link recordsOf}, the consumer's `Batch`), so nobody can change a record once appended.
 */
export interface RecordBatch {
  readonly baseOffset: number
  /** Number of records; the last offset is `baseOffset + count - 1`. */
  readonly count: number
  /** The leader epoch in which the leader appended this batch (KIP-101). */
  readonly leaderEpoch: number
  readonly producerId: number
  readonly producerEpoch: number
  /** Sequence of the first record; -1 without idempotence. */
  readonly baseSequence: number
  readonly transactional: boolean
  /** Set on a transaction marker batch (one control record). */
  readonly control?: ControlType
  readonly timestampType: TimestampType
  /** One timestamp per record (a cleaned batch with no record left keeps one: its largest, as Kafka's header does). */
  readonly timestamps: Float64Array
  /** Every key and value of the batch, back to back: the log's own copy. */
  readonly bytes: Buffer
  /** Per record: key start, key length, value start, value length; a length of -1 is null. */
  readonly layout: Int32Array
  /** Per record headers (values are the log's copies); undefined when no record has any. */
  readonly headers?: ReadonlyArray<readonly RecordHeader[]>
  /** Size in the v2 format, computed once at append: max.message.bytes and fetch byte limits. */
  readonly sizeInBytes: number
  /**
   * Set only on a batch the log cleaner rewrote (compaction): each kept record's offset minus `baseOffset`
   * (the v2 format's per-record offset delta). Absent, record `i` is at `baseOffset + i`.
   */
  readonly offsetDeltas?: Int32Array
  /**
   * Set only on a cleaned batch: its last offset minus `baseOffset`, kept from the original batch as Kafka keeps a
   * cleaned v2 batch's base and last offsets (so producer state survives); a cleaned batch may hold no record at all.
   * Absent, it is `count - 1`.
   */
  readonly lastOffsetDelta?: number
  /**
   * Set by the log cleaner on a batch holding tombstones or a transaction marker (KIP-534, the v2 header's delete
   * horizon): from this time on, a cleaning removes its tombstones, and its marker once the transaction has no data left.
   */
  readonly deleteHorizonMs?: number
  /** The codec fetches send the records with (see {@link CompressionCodec}); absent means none. */
  readonly compression?: CompressionCodec
}

/** The last offset `batch` covers (its records may end earlier in a cleaned batch). */
export function lastOffsetOf(batch: RecordBatch): number {
  return batch.baseOffset + (batch.lastOffsetDelta ?? batch.count - 1)
}

/** The offset after the last one `batch` covers. */
export function nextOffsetOf(batch: RecordBatch): number {
  return lastOffsetOf(batch) + 1
}

/** The offset of record `index` of `batch`. */
export function offsetAt(batch: RecordBatch, index: number): number {
  return batch.baseOffset + (batch.offsetDeltas === undefined ? index : batch.offsetDeltas[index]!)
}

/** The index of the first record of `batch` at or after `offset` (`count` if none). */
export function indexAtOrAfter(batch: RecordBatch, offset: number): number {
  const delta = offset - batch.baseOffset
  if (delta <= 0) return 0
  const deltas = batch.offsetDeltas
  if (deltas === undefined) return Math.min(delta, batch.count)
  let low = 0
  let high = batch.count
  while (low < high) {
    const mid = (low + high) >>> 1
    if (deltas[mid]! < delta) low = mid + 1
    else high = mid
  }
  return low
}

/**
 * This reader's own copy of `batch`'s keys and values: one copy per batch per reader, in an ArrayBuffer of its
 * own (never a slice of Node's shared pool), so that nothing a reader does to a key or value, even through its
 * `.buffer`, reaches the log or another reader.
 */
export function readerCopyOf(batch: RecordBatch): Buffer {
  const copy = Buffer.allocUnsafeSlow(batch.bytes.length)
  batch.bytes.copy(copy)
  return copy
}

/**
 * The key (`field` 0) or value (`field` 2) of record `index` of a batch, as a view of `copy` (the batch's
 * {@link readerCopyOf}); null when the record has none.
 */
export function slot(copy: Buffer, layout: Int32Array, index: number, field: 0 | 2): Buffer | null {
  const at = index * 4 + field
  const length = layout[at + 1]!
  if (length < 0) return null
  const start = layout[at]!
  return copy.subarray(start, start + length)
}


/**
 * The headers of record `index` of `batch` as this reader's own copies (a shared frozen empty list when it has none):
 * the record's header values share one ArrayBuffer of their own, never Node's shared pool (`Buffer.from` of a small
 * value), whose other users, writing through a pooled Buffer's whole `.buffer`, would change headers a handler holds.
 */
export function headersAt(batch: RecordBatch, index: number): readonly RecordHeader[] {
  const headers = batch.headers?.[index]
  if (headers === undefined || headers.length === 0) return NO_HEADERS
  let size = 0
  for (let i = 0; i < headers.length; i++) size += headers[i]!.value?.length ?? 0
  const copy = Buffer.allocUnsafeSlow(size)
  let at = 0
  return headers.map((h) => {
    if (h.value === null) return { key: h.key, value: null }
    const value = copy.subarray(at, at + h.value.length)
    value.set(h.value)
    at += h.value.length
    return { key: h.key, value }
  })
}

/**
 * Calls `visit` for each record of `batch` at or after `fromOffset`, with key and value in a copy of
 * the batch's bytes made for this reader alone (one copy per batch, not per record).
 */
export function forEachRecord(
  batch: RecordBatch,
  fromOffset: number,
  visit: (offset: number, index: number, key: Buffer | null, value: Buffer | null, headers: readonly RecordHeader[]) => void,
): void {
  const first = indexAtOrAfter(batch, fromOffset)
  if (first >= batch.count) return
  const copy = readerCopyOf(batch)
  const { layout } = batch
  for (let i = first; i < batch.count; i++) visit(offsetAt(batch, i), i, slot(copy, layout, i, 0), slot(copy, layout, i, 2), headersAt(batch, i))
}

/** The records of `batches` at or after `fromOffset`, as the reader's own copies. */
export function recordsOf(batches: readonly RecordBatch[], fromOffset = 0): LogRecord[] {
  const out: LogRecord[] = []
  for (const batch of batches) {
    forEachRecord(batch, fromOffset, (offset, i, key, value, headers) => {
      out.push({
        offset,
        timestamp: batch.timestamps[i]!,
        timestampType: batch.timestampType,
        key,
        value,
        headers,
        leaderEpoch: batch.leaderEpoch,
        producerId: batch.producerId,
        producerEpoch: batch.producerEpoch,
        // Kafka: a record's sequence is the batch's base sequence plus its offset delta.
        sequence: batch.baseSequence < 0 ? -1 : batch.baseSequence + (offset - batch.baseOffset),
        transactional: batch.transactional,
        ...(batch.control === undefined ? {} : { control: batch.control }),
      })
    })
  }
  return out
}

/** Kafka's per-record overhead in a v2 batch, roughly: attributes, varint deltas, lengths. */
export const RECORD_OVERHEAD_BYTES = 21

/** Approximate encoded size of a record, as a v2 batch would store it. */
export function recordSize(record: Pick<ProducedRecord, 'key' | 'value' | 'headers'>): number {
  let size = RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0)
  for (const header of record.headers) size += Buffer.byteLength(header.key) + (header.value?.length ?? 0) + 2
  return size
}

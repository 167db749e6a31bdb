/**
 * Builds the {@link RecordBatch} a partition log stores from a producer's batch (Kafka's
 * `MemoryRecordsBuilder`): one copy of every key and value into one buffer owned by the log, sizes
 * computed once, and no per-record object or header array when the records carry no headers.
 */
import { recordSize, type ControlType, type ProducedBatch, type RecordBatch, type RecordHeader, type TimestampType } from '../protocol/index.js'

/** Kafka's v2 batch header size, counted once per batch against `max.message.bytes`. */
export const BATCH_OVERHEAD_BYTES = 61

/** Size of a produced batch in the v2 format, as checked against `max.message.bytes`. */
export function batchSize(batch: ProducedBatch): number {
  let size = BATCH_OVERHEAD_BYTES
  for (const record of batch.records) size += recordSize(record)
  return size
}

/** Where a batch goes in the log, and how its timestamps are set (`message.timestamp.type`). */
export interface BatchPlacement {
  readonly baseOffset: number
  readonly leaderEpoch: number
  readonly timestampType: TimestampType
  readonly nowMs: number
  /** {@link batchSize} of the batch, when the caller computed it already. */
  readonly sizeInBytes?: number
}

/** Copies a producer's batch into a frozen, log-owned {@link RecordBatch}. */
export function buildRecordBatch(produced: ProducedBatch, placement: BatchPlacement): RecordBatch {
  const { records } = produced
  const count = records.length
  let payload = 0
  let hasHeaders = false
  for (const record of records) {
    payload += (record.key?.length ?? 0) + (record.value?.length ?? 0)
    if (record.headers.length > 0) hasHeaders = true
  }
  const bytes = Buffer.allocUnsafeSlow(payload)
  const layout = new Int32Array(count * 4)
  const timestamps = new Float64Array(count)
  const logAppend = placement.timestampType === 'LogAppendTime'
  let at = 0
  for (let i = 0; i < count; i++) {
    const { key, value } = records[i]!
    layout[i * 4] = at
    layout[i * 4 + 1] = key === null ? -1 : key.length
    if (key !== null) at += key.copy(bytes, at)
    layout[i * 4 + 2] = at
    layout[i * 4 + 3] = value === null ? -1 : value.length
    if (value !== null) at += value.copy(bytes, at)
    timestamps[i] = logAppend ? placement.nowMs : records[i]!.timestamp
  }
  const headers = hasHeaders ? Object.freeze(records.map((r) => copyHeaders(r.headers))) : undefined
  return Object.freeze({
    baseOffset: placement.baseOffset,
    count,
    leaderEpoch: placement.leaderEpoch,
    producerId: produced.producerId,
    producerEpoch: produced.producerEpoch,
    baseSequence: produced.baseSequence,
    transactional: produced.transactional,
    timestampType: placement.timestampType,
    timestamps,
    bytes,
    layout,
    ...(headers === undefined ? {} : { headers }),
    sizeInBytes: placement.sizeInBytes ?? batchSize(produced),
    ...(produced.compression === undefined || produced.compression === 'none' ? {} : { compression: produced.compression }),
  })
}

const NO_HEADERS: readonly RecordHeader[] = Object.freeze([])

function copyHeaders(headers: readonly RecordHeader[]): readonly RecordHeader[] {
  if (headers.length === 0) return NO_HEADERS
  return Object.freeze(headers.map((h) => Object.freeze({ key: h.key, value: h.value === null ? null : Buffer.from(h.value) })))
}

/** A transaction marker: a control batch of one record without key or value (KIP-98). */
export function buildControlBatch(type: ControlType, producerId: number, producerEpoch: number, leaderEpoch: number, offset: number, nowMs: number): RecordBatch {
  return Object.freeze({
    baseOffset: offset,
    count: 1,
    leaderEpoch,
    producerId,
    producerEpoch,
    baseSequence: -1,
    transactional: true,
    control: type,
    timestampType: 'CreateTime' as const,
    timestamps: Float64Array.of(nowMs),
    bytes: Buffer.alloc(0),
    layout: Int32Array.of(0, -1, 0, -1),
    sizeInBytes: BATCH_OVERHEAD_BYTES + recordSize({ key: null, value: null, headers: NO_HEADERS }),
  })
}

/**
 * The records of `batch` from `from` to before `to` (offsets), sharing its bytes: what a log keeps
 * after truncating inside a batch, or a follower takes from a batch that starts below its log end.
 */
export function sliceBatch(batch: RecordBatch, from: number, to: number): RecordBatch {
  const first = Math.max(0, from - batch.baseOffset)
  const end = Math.min(batch.count, to - batch.baseOffset)
  if (first === 0 && end === batch.count) return batch
  const count = end - first
  return Object.freeze({
    ...batch,
    baseOffset: batch.baseOffset + first,
    count,
    baseSequence: batch.baseSequence < 0 ? -1 : batch.baseSequence + first,
    timestamps: batch.timestamps.subarray(first, end),
    layout: batch.layout.subarray(first * 4, end * 4),
    ...(batch.headers === undefined ? {} : { headers: batch.headers.slice(first, end) }),
    sizeInBytes: Math.max(BATCH_OVERHEAD_BYTES, Math.round((batch.sizeInBytes * count) / batch.count)),
  })
}

/**
 * Builds the {@link RecordBatch} a partition log stores from a producer's batch (Kafka's
 * `MemoryRecordsBuilder`): one copy of every key and value into one buffer owned by the log, sizes
 * computed once, and no per-record object or header array when the records carry no headers.
 */
import { allocateLogBytes, copyLogLayout, copyLogTimestamps } from './log-bytes.js'
import { indexAtOrAfter, lastOffsetOf, nextOffsetOf, NO_HEADERS, offsetAt, RECORD_OVERHEAD_BYTES, recordSize, type ControlType, type LaidOutRecords, type ProducedBatch, type ProducedRecord, type RecordBatch, type RecordHeader, type TimestampType } from '../protocol/index.js'

/** Kafka's v2 batch header size, counted once per batch against `max.message.bytes`. */
export const BATCH_OVERHEAD_BYTES = 61

/** Size of a produced batch in the v2 format, as checked against `max.message.bytes`. */
export function batchSize(batch: ProducedBatch): number {
  if (batch.laidOut !== undefined) return laidOutSize(batch.laidOut)
  const { records } = batch
  let size = BATCH_OVERHEAD_BYTES
  // Indexed loops: this runs for every record produced, and an iterator per record (or per empty header list) is garbage.
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!
    size += record.headers.length === 0 ? RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0) : recordSize(record)
  }
  return size
}

/** {@link batchSize} of laid-out records: the same sum, read from the layout. */
function laidOutSize(laidOut: LaidOutRecords): number {
  const { count, layout, headers } = laidOut
  let size = BATCH_OVERHEAD_BYTES + RECORD_OVERHEAD_BYTES * count
  for (let i = 1; i < count * 4; i += 2) if (layout[i]! > 0) size += layout[i]!
  if (headers !== undefined) for (let i = 0; i < count; i++) size += recordSize({ key: null, value: null, headers: headers[i]! }) - RECORD_OVERHEAD_BYTES
  return size
}

/**
 * What is wrong with a batch's layout, if anything (the broker's CORRUPT_MESSAGE, where Kafka checks a batch's CRC and
 * record framing): every array one entry per record, every key and value within the bytes.
 */
export function layoutProblem(laidOut: LaidOutRecords): string | undefined {
  const { count, bytes, layout, timestamps, headers } = laidOut
  if (!Number.isInteger(count) || count < 0 || layout.length !== count * 4 || timestamps.length !== count || (headers !== undefined && headers.length !== count)) {
    return `A batch of ${count} records must lay out 4 numbers, a timestamp and (if any) a header list per record`
  }
  for (let i = 0; i < count * 4; i += 2) {
    const start = layout[i]!
    const length = layout[i + 1]!
    if (length < -1 || start < 0 || start + Math.max(0, length) > bytes.length) return `Record ${i >> 2} lies outside the batch's ${bytes.length} bytes`
  }
  return undefined
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
  return storeBatch(produced, placement.baseOffset, placement.leaderEpoch, placement.timestampType, placement.nowMs, placement.sizeInBytes ?? batchSize(produced))
}

/**
 * {@link buildRecordBatch} with the placement as arguments, for the log's append: one per partition of every Produce,
 * where a placement object and spreads into the batch would each cost an allocation or a slow object creation.
 */
export function storeBatch(produced: ProducedBatch, baseOffset: number, leaderEpoch: number, timestampType: TimestampType, nowMs: number, sizeInBytes: number): RecordBatch {
  const { count, bytes, layout, timestamps, headers } = produced.laidOut === undefined ? layOut(produced.records) : copyLaidOut(produced.laidOut)
  if (timestampType === 'LogAppendTime') timestamps.fill(nowMs)
  // One literal of a fixed shape; headers and a codec, the rare cases, are added to a copy of it.
  const batch = {
    baseOffset,
    count,
    leaderEpoch,
    producerId: produced.producerId,
    producerEpoch: produced.producerEpoch,
    baseSequence: produced.baseSequence,
    transactional: produced.transactional,
    timestampType,
    timestamps,
    bytes,
    layout,
    sizeInBytes,
  }
  const compressed = produced.compression !== undefined && produced.compression !== 'none'
  if (headers === undefined && !compressed) return Object.freeze(batch)
  return Object.freeze({ ...batch, ...(headers === undefined ? {} : { headers }), ...(compressed ? { compression: produced.compression } : {}) })
}

/**
 * The log's own copy of laid-out records: the bytes in one copy, the layout, timestamps and header values copied too.
 * A small batch (a partition's share of a send spread over many partitions) goes into the log's slabs, so one
 * allocation of its own does not cost each of them; never Node's shared pool (see log-bytes.ts).
 */
function copyLaidOut(laidOut: LaidOutRecords): LaidOutRecords {
  const bytes = allocateLogBytes(laidOut.bytes.length)
  bytes.set(laidOut.bytes)
  const layout = copyLogLayout(laidOut.layout)
  const timestamps = copyLogTimestamps(laidOut.timestamps)
  if (laidOut.headers === undefined) return { count: laidOut.count, bytes, layout, timestamps }
  return { count: laidOut.count, bytes, layout, timestamps, headers: Object.freeze(laidOut.headers.map(copyHeaders)) }
}

/** Lays records out in log-owned memory: every key and value copied into one buffer. */
function layOut(records: readonly ProducedRecord[]): LaidOutRecords {
  const count = records.length
  let payload = 0
  let hasHeaders = false
  for (let i = 0; i < count; i++) {
    const record = records[i]!
    payload += (record.key?.length ?? 0) + (record.value?.length ?? 0)
    if (record.headers.length > 0) hasHeaders = true
  }
  const bytes = allocateLogBytes(payload)
  const layout = new Int32Array(count * 4)
  const timestamps = new Float64Array(count)
  let at = 0
  for (let i = 0; i < count; i++) {
    const { key, value } = records[i]!
    layout[i * 4] = at
    // TypedArray#set, not Buffer#copy: for keys and values of a few bytes it skips a native call's overhead.
    if (key === null) layout[i * 4 + 1] = -1
    else {
      bytes.set(key, at)
      layout[i * 4 + 1] = key.length
      at += key.length
    }
    layout[i * 4 + 2] = at
    if (value === null) layout[i * 4 + 3] = -1
    else {
      bytes.set(value, at)
      layout[i * 4 + 3] = value.length
      at += value.length
    }
    timestamps[i] = records[i]!.timestamp
  }
  const headers = hasHeaders ? Object.freeze(records.map((r) => copyHeaders(r.headers))) : undefined
  return { count, bytes, layout, timestamps, ...(headers === undefined ? {} : { headers }) }
}


function copyToLog(value: Buffer): Buffer {
  const copy = allocateLogBytes(value.length)
  copy.set(value)
  return copy
}

function copyHeaders(headers: readonly RecordHeader[]): readonly RecordHeader[] {
  if (headers.length === 0) return NO_HEADERS
  return Object.freeze(headers.map((h) => Object.freeze({ key: h.key, value: h.value === null ? null : copyToLog(h.value) })))
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
 * A dense batch's slice starts at its first record; a cleaned batch's slice covers exactly `[from, to)`
 * within the batch (its records may not start or end there).
 */
export function sliceBatch(batch: RecordBatch, from: number, to: number): RecordBatch {
  if (batch.offsetDeltas !== undefined) return sliceCleanedBatch(batch, from, to)
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

function sliceCleanedBatch(batch: RecordBatch, from: number, to: number): RecordBatch {
  const base = Math.max(from, batch.baseOffset)
  const last = Math.min(to, nextOffsetOf(batch)) - 1
  if (base === batch.baseOffset && last === lastOffsetOf(batch)) return batch
  const first = indexAtOrAfter(batch, base)
  const end = indexAtOrAfter(batch, last + 1)
  const shift = base - batch.baseOffset
  const deltas = Int32Array.from(batch.offsetDeltas!.subarray(first, end), (d) => d - shift)
  return Object.freeze({
    ...batch,
    baseOffset: base,
    count: end - first,
    lastOffsetDelta: last - base,
    offsetDeltas: deltas,
    baseSequence: batch.baseSequence < 0 ? -1 : batch.baseSequence + shift,
    timestamps: batch.timestamps.subarray(first, end),
    layout: batch.layout.subarray(first * 4, end * 4),
    ...(batch.headers === undefined ? {} : { headers: batch.headers.slice(first, end) }),
    sizeInBytes: cleanedSize(batch, first, end),
  })
}

/** Size of the records `first`..`end` of `batch` plus one batch header (a share of the batch's size). */
function cleanedSize(batch: RecordBatch, first: number, end: number): number {
  if (batch.count === 0) return BATCH_OVERHEAD_BYTES
  return Math.max(BATCH_OVERHEAD_BYTES, BATCH_OVERHEAD_BYTES + Math.round(((batch.sizeInBytes - BATCH_OVERHEAD_BYTES) * (end - first)) / batch.count))
}

/**
 * The batch the log cleaner writes in place of `batch` (Kafka's `MemoryRecords.filterTo` for a v2 batch): only the
 * records at `kept` indexes (ascending), their bytes copied so the removed ones are freed, with the original base and
 * last offsets, producer identity and sequences, so offsets never change; `deleteHorizonMs` as KIP-534 sets it.
 */
export function retainRecords(batch: RecordBatch, kept: readonly number[], deleteHorizonMs: number | undefined): RecordBatch {
  const count = kept.length
  let payload = 0
  for (const i of kept) payload += Math.max(0, batch.layout[i * 4 + 1]!) + Math.max(0, batch.layout[i * 4 + 3]!)
  const bytes = Buffer.allocUnsafeSlow(payload)
  const layout = new Int32Array(count * 4)
  // An empty cleaned batch keeps its largest timestamp, as Kafka's empty batch header does (producer expiry reads it).
  const timestamps = count === 0 ? Float64Array.of(Math.max(...batch.timestamps)) : new Float64Array(count)
  const offsetDeltas = new Int32Array(count)
  let at = 0
  kept.forEach((i, n) => {
    for (const slot of [0, 2]) {
      const start = batch.layout[i * 4 + slot]!
      const length = batch.layout[i * 4 + slot + 1]!
      layout[n * 4 + slot] = at
      layout[n * 4 + slot + 1] = length
      if (length > 0) at += batch.bytes.copy(bytes, at, start, start + length)
    }
    timestamps[n] = batch.timestamps[i]!
    offsetDeltas[n] = offsetAt(batch, i) - batch.baseOffset
  })
  const { headers } = batch
  return Object.freeze({
    baseOffset: batch.baseOffset,
    count,
    leaderEpoch: batch.leaderEpoch,
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    transactional: batch.transactional,
    ...(batch.control === undefined ? {} : { control: batch.control }),
    timestampType: batch.timestampType,
    timestamps,
    bytes,
    layout,
    ...(headers === undefined ? {} : { headers: Object.freeze(kept.map((i) => headers[i]!)) }),
    sizeInBytes: cleanedSize(batch, 0, count),
    offsetDeltas,
    lastOffsetDelta: lastOffsetOf(batch) - batch.baseOffset,
    ...(deleteHorizonMs === undefined ? {} : { deleteHorizonMs }),
  })
}

/**
 * Record batch v2 (magic 2, KIP-98), the unit of Produce and Fetch since Kafka 0.11: a batch
 * header (base offset, leader epoch, CRC-32C, attributes, producer id/epoch, base sequence) and
 * records with varint deltas, keys, values and headers. Control batches carry one commit or abort
 * marker (key: version and type; value: version and coordinator epoch).
 *
 * Produce: the CRC is checked over attributes..end (CORRUPT_MESSAGE on mismatch), one batch per
 * partition (INVALID_RECORD otherwise, as Kafka since Produce v3). Fetch: a partition's records are
 * written as consecutive batches, uncompressed, one per run of records from the same producer
 * batch identity. Not modelled: message formats v0/v1 (magic 0 and 1), which Produce v3+ and
 * Fetch v4+ do not carry.
 */
import { Errors, type ControlType, type LogRecord, type ProducedBatch, type ProducedRecord, type RecordHeader } from '../protocol/index.js'
import { decompress, type CompressionResult } from './compression.js'
import { crc32c } from './crc32c.js'
import { WireDecodeError, WireReader, WireWriter } from './primitives.js'

/** Offset of the CRC field and of the first byte it covers (attributes), from the batch start. */
const CRC_OFFSET = 17
const ATTRIBUTES_OFFSET = 21
/** Bytes of a batch header before the records (61 in total). */
const HEADER_BYTES = 61

const TIMESTAMP_TYPE_BIT = 0x08
const TRANSACTIONAL_BIT = 0x10
const CONTROL_BIT = 0x20

/** A produced batch the wire could read, or the Kafka error that rejects it. */
export type DecodedBatch =
  | { readonly ok: true; readonly batch: ProducedBatch }
  | { readonly ok: false; readonly errorCode: number; readonly message: string }

function rejected(errorCode: number, message: string): DecodedBatch {
  return { ok: false, errorCode, message }
}

function readRecord(r: WireReader, baseTimestamp: number): ProducedRecord {
  const length = r.varint()
  if (length < 0 || length > r.remaining) throw new WireDecodeError(`record length ${length} is invalid`)
  const body = new WireReader(r.raw(length))
  body.int8()
  const timestampDelta = body.varlong()
  body.varint()
  const key = varBytes(body)
  const value = varBytes(body)
  const headerCount = body.varint()
  if (headerCount < 0 || headerCount > body.remaining) throw new WireDecodeError(`header count ${headerCount} is invalid`)
  const headers: RecordHeader[] = []
  for (let i = 0; i < headerCount; i++) {
    const headerKey = varBytes(body)
    if (headerKey === null) throw new WireDecodeError('a header key must not be null')
    headers.push({ key: headerKey.toString('utf8'), value: varBytes(body) })
  }
  return { key, value, headers, timestamp: baseTimestamp + timestampDelta }
}

function varBytes(r: WireReader): Buffer | null {
  const n = r.varint()
  if (n === -1) return null
  if (n < -1 || n > r.remaining) throw new WireDecodeError(`length ${n} is invalid`)
  return Buffer.from(r.raw(n))
}

/**
 * Reads the records field of one Produce partition: exactly one v2 batch with a valid CRC.
 * Returns the Kafka error for a batch the broker must reject; throws only on bytes that are not a
 * batch at all (the caller answers CORRUPT_MESSAGE for those too).
 */
export function decodeProducedBatch(bytes: Buffer): DecodedBatch {
  if (bytes.length < HEADER_BYTES) return rejected(Errors.CORRUPT_MESSAGE.code, `a record batch needs at least ${HEADER_BYTES} bytes, got ${bytes.length}`)
  const r = new WireReader(bytes)
  r.int64()
  const batchLength = r.int32()
  if (batchLength + 12 !== bytes.length) {
    return batchLength + 12 < bytes.length && batchLength > 0
      ? rejected(Errors.INVALID_RECORD.code, 'Produce v3+ carries exactly one record batch per partition')
      : rejected(Errors.CORRUPT_MESSAGE.code, `batch length ${batchLength} does not match the ${bytes.length} bytes sent`)
  }
  r.int32()
  const magic = r.int8()
  if (magic !== 2) return rejected(Errors.UNSUPPORTED_VERSION.code, `record batch magic ${magic} is not served: kafkalite reads message format v2 only`)
  const crc = r.uint32()
  const computed = crc32c(bytes.subarray(ATTRIBUTES_OFFSET))
  if (crc !== computed) return rejected(Errors.CORRUPT_MESSAGE.code, `record batch CRC ${crc} does not match the computed CRC-32C ${computed}`)
  const attributes = r.int16()
  if (attributes & CONTROL_BIT) return rejected(Errors.INVALID_RECORD.code, 'clients may not produce control batches')
  r.int32()
  const baseTimestamp = r.int64()
  r.int64()
  const producerId = r.int64()
  const producerEpoch = r.int16()
  const baseSequence = r.int32()
  const count = r.int32()
  const payload = decompress(attributes & 0x07, bytes.subarray(HEADER_BYTES))
  if (!payload.ok) return rejected(Errors.UNSUPPORTED_COMPRESSION_TYPE.code, payload.message)
  return readRecords(payload, count, baseTimestamp, { producerId, producerEpoch, baseSequence, transactional: (attributes & TRANSACTIONAL_BIT) !== 0 })
}

function readRecords(
  payload: Extract<CompressionResult, { ok: true }>,
  count: number,
  baseTimestamp: number,
  identity: Omit<ProducedBatch, 'records'>,
): DecodedBatch {
  if (count < 0 || count > payload.bytes.length) return rejected(Errors.CORRUPT_MESSAGE.code, `record count ${count} is invalid`)
  const r = new WireReader(payload.bytes)
  const records: ProducedRecord[] = []
  try {
    for (let i = 0; i < count; i++) records.push(readRecord(r, baseTimestamp))
  } catch (error) {
    if (error instanceof WireDecodeError) return rejected(Errors.CORRUPT_MESSAGE.code, `record ${records.length}: ${error.message}`)
    throw error
  }
  if (r.remaining !== 0) return rejected(Errors.CORRUPT_MESSAGE.code, `${r.remaining} bytes follow the last of ${count} records`)
  return { ok: true, batch: { ...identity, records } }
}

function controlKey(type: ControlType): Buffer {
  const key = Buffer.alloc(4)
  key.writeInt16BE(0, 0)
  key.writeInt16BE(type === 'COMMIT' ? 1 : 0, 2)
  return key
}

/** Kafka's marker value: version 0 and the coordinator epoch, which kafkalite does not track per marker. */
const CONTROL_VALUE = Buffer.from([0, 0, 0, 0, 0, 0])

function sameBatch(a: LogRecord, b: LogRecord): boolean {
  return (
    a.producerId === b.producerId &&
    a.producerEpoch === b.producerEpoch &&
    a.transactional === b.transactional &&
    a.leaderEpoch === b.leaderEpoch &&
    a.timestampType === b.timestampType &&
    a.control === undefined &&
    b.control === undefined &&
    (a.sequence < 0 ? b.sequence < 0 : b.sequence === a.sequence + (b.offset - a.offset))
  )
}

function writeVarBytes(w: WireWriter, bytes: Buffer | null): void {
  if (bytes === null) w.varint(-1)
  else w.varint(bytes.length).raw(bytes)
}

function writeBatch(w: WireWriter, records: readonly LogRecord[]): void {
  const first = records[0]!
  const last = records[records.length - 1]!
  const start = w.length
  let maxTimestamp = first.timestamp
  for (const record of records) if (record.timestamp > maxTimestamp) maxTimestamp = record.timestamp
  w.int64(first.offset).int32(0).int32(first.leaderEpoch).int8(2).uint32(0)
  let attributes = 0
  if (first.timestampType === 'LogAppendTime') attributes |= TIMESTAMP_TYPE_BIT
  if (first.transactional) attributes |= TRANSACTIONAL_BIT
  if (first.control !== undefined) attributes |= CONTROL_BIT
  w.int16(attributes).int32(last.offset - first.offset).int64(first.timestamp).int64(maxTimestamp)
  w.int64(first.producerId).int16(first.producerEpoch).int32(first.sequence).int32(records.length)
  const body = new WireWriter(64)
  for (const record of records) {
    body.int8(0).varlong(record.timestamp - first.timestamp).varint(record.offset - first.offset)
    if (record.control !== undefined) {
      writeVarBytes(body, controlKey(record.control))
      writeVarBytes(body, CONTROL_VALUE)
      body.varint(0)
    } else {
      writeVarBytes(body, record.key)
      writeVarBytes(body, record.value)
      body.varint(record.headers.length)
      for (const header of record.headers) {
        writeVarBytes(body, Buffer.from(header.key, 'utf8'))
        writeVarBytes(body, header.value)
      }
    }
    const bytes = body.finish()
    w.varint(bytes.length).raw(bytes)
    body.reset()
  }
  const end = w.length
  w.patchInt32(start + 8, end - start - 12)
  w.patchUint32(start + CRC_OFFSET, crc32c(w.view(start + ATTRIBUTES_OFFSET, end)))
}

/**
 * Writes a partition's fetched records as v2 batches: a run of records from one producer batch
 * (same producer id, epoch, leader epoch, transactional flag, consecutive sequences) is one batch,
 * and every control record is a batch of its own, as the transaction coordinator wrote it.
 */
export function encodeRecordBatches(records: readonly LogRecord[]): Buffer {
  const w = new WireWriter(256)
  let runStart = 0
  for (let i = 1; i <= records.length; i++) {
    if (i === records.length || !sameBatch(records[i - 1]!, records[i]!)) {
      if (i > runStart) writeBatch(w, records.slice(runStart, i))
      runStart = i
    }
  }
  return Buffer.from(w.finish())
}

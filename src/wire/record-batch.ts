/**
 * Record batch v2 (magic 2, KIP-98), the unit of Produce and Fetch since Kafka 0.11: a batch
 * header (base offset, leader epoch, CRC-32C, attributes, producer id/epoch, base sequence) and
 * records with varint deltas, keys, values and headers. Control batches carry one commit or abort
 * marker (key: version and type; value: version and coordinator epoch).
 *
 * Produce: the CRC is checked over attributes..end (CORRUPT_MESSAGE on mismatch), one batch per
 * partition (INVALID_RECORD otherwise, as Kafka since Produce v3), and the records section is
 * decompressed (compression.ts). Fetch: each batch the log stores is written as one v2 batch,
 * compressed with the codec the log kept for it. Not modelled: message formats v0/v1 (magic 0 and 1),
 * which Produce v3+ and Fetch v4+ do not carry.
 */
import { Errors, lastOffsetOf, offsetAt, type ControlType, type ProducedBatch, type ProducedRecord, type RecordBatch, type RecordHeader } from '../protocol/index.js'
import { codecId, compress, decompress, unfetchable, type CompressionResult } from './compression.js'
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
 * Reads the records field of one Produce partition (sent in Produce `produceVersion`): exactly one v2 batch with a valid CRC.
 * Returns the Kafka error for a batch the broker must reject; throws only on bytes that are not a
 * batch at all (the caller answers CORRUPT_MESSAGE for those too).
 */
export function decodeProducedBatch(bytes: Buffer, produceVersion: number): DecodedBatch {
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
  const payload = decompress(attributes & 0x07, bytes.subarray(HEADER_BYTES), produceVersion)
  if (!payload.ok) return rejected(payload.errorCode, payload.message)
  const identity = { producerId, producerEpoch, baseSequence, transactional: (attributes & TRANSACTIONAL_BIT) !== 0 }
  return readRecords(payload, count, baseTimestamp, payload.codec === 'none' ? identity : { ...identity, compression: payload.codec })
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

function writeVarBytes(w: WireWriter, bytes: Buffer | null): void {
  if (bytes === null) w.varint(-1)
  else w.varint(bytes.length).raw(bytes)
}

/** Key or value `slot` (0 or 2) of record `i` of `batch`, read from the log's bytes without copying (the writer copies). */
function stored(batch: RecordBatch, i: number, slot: 0 | 2): Buffer | null {
  const start = batch.layout[i * 4 + slot]!
  const length = batch.layout[i * 4 + slot + 1]!
  return length < 0 ? null : batch.bytes.subarray(start, start + length)
}

function writeBatch(w: WireWriter, batch: RecordBatch): void {
  const { timestamps } = batch
  const start = w.length
  const firstTimestamp = timestamps[0] ?? 0
  let maxTimestamp = firstTimestamp
  for (const timestamp of timestamps) if (timestamp > maxTimestamp) maxTimestamp = timestamp
  w.int64(batch.baseOffset).int32(0).int32(batch.leaderEpoch).int8(2).uint32(0)
  let attributes = 0
  if (batch.timestampType === 'LogAppendTime') attributes |= TIMESTAMP_TYPE_BIT
  if (batch.transactional) attributes |= TRANSACTIONAL_BIT
  if (batch.control !== undefined) attributes |= CONTROL_BIT
  const codec = batch.compression ?? 'none'
  attributes |= codecId(codec)
  w.int16(attributes).int32(lastOffsetOf(batch) - batch.baseOffset).int64(firstTimestamp).int64(maxTimestamp)
  w.int64(batch.producerId).int16(batch.producerEpoch).int32(batch.baseSequence).int32(batch.count)
  if (codec === 'none') writeRecords(w, batch, firstTimestamp)
  else {
    const records = new WireWriter(256)
    writeRecords(records, batch, firstTimestamp)
    w.raw(compress(codec, records.finish()))
  }
  const end = w.length
  w.patchInt32(start + 8, end - start - 12)
  w.patchUint32(start + CRC_OFFSET, crc32c(w.view(start + ATTRIBUTES_OFFSET, end)))
}

/** Writes the records of `batch` (offset and timestamp deltas from its first record) after a batch header. */
function writeRecords(w: WireWriter, batch: RecordBatch, firstTimestamp: number): void {
  const { timestamps } = batch
  const body = new WireWriter(64)
  for (let i = 0; i < batch.count; i++) {
    body.int8(0).varlong(timestamps[i]! - firstTimestamp).varint(offsetAt(batch, i) - batch.baseOffset)
    if (batch.control !== undefined) {
      writeVarBytes(body, controlKey(batch.control))
      writeVarBytes(body, CONTROL_VALUE)
      body.varint(0)
    } else {
      writeVarBytes(body, stored(batch, i, 0))
      writeVarBytes(body, stored(batch, i, 2))
      const headers = batch.headers?.[i] ?? []
      body.varint(headers.length)
      for (const header of headers) {
        writeVarBytes(body, Buffer.from(header.key, 'utf8'))
        writeVarBytes(body, header.value)
      }
    }
    const bytes = body.finish()
    w.varint(bytes.length).raw(bytes)
    body.reset()
  }
}

/**
 * Writes a partition's fetched batches as v2 batches, one per stored batch with its base offset,
 * leader epoch, producer identity, codec and transactional/control attributes: whole batches, so the first
 * may start below the fetch offset and the client skips the records before it (KIP-74). A control
 * batch carries its one marker record, as the transaction coordinator wrote it.
 */
export function encodeRecordBatches(batches: readonly RecordBatch[]): Buffer {
  const w = new WireWriter(256)
  for (const batch of batches) if (batch.count > 0) writeBatch(w, batch)
  return Buffer.from(w.finish())
}

/** Why a fetch in `fetchVersion` cannot carry these batches (their codec), or null when it can. */
export function unfetchableBatches(batches: readonly RecordBatch[], fetchVersion: number): string | null {
  for (const batch of batches) {
    const reason = unfetchable(batch.compression ?? 'none', fetchVersion)
    if (reason !== null) return reason
  }
  return null
}

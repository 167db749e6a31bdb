import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { Errors, type LogRecord } from '../../src/protocol/index.js'
import { crc32c } from '../../src/wire/crc32c.js'
import { WireReader } from '../../src/wire/primitives.js'
import { decodeProducedBatch, encodeRecordBatches } from '../../src/wire/record-batch.js'

function logRecord(offset: number, overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    offset,
    timestamp: 1_700_000_000_000 + offset,
    timestampType: 'CreateTime',
    key: Buffer.from(`k${offset}`),
    value: Buffer.from(`v${offset}`),
    headers: [{ key: 'h', value: Buffer.from('x') }],
    leaderEpoch: 3,
    producerId: 7,
    producerEpoch: 1,
    sequence: offset,
    transactional: false,
    sizeInBytes: 30,
    ...overrides,
  }
}

/** Turns fetched batch bytes back into a produced batch, as a client would send it (offsets are the broker's). */
function firstBatchLength(bytes: Buffer): number {
  return bytes.readInt32BE(8) + 12
}

describe('record batch v2', () => {
  it('computes CRC-32C as the standard check value (123456789 → e3069283)', () => {
    expect(crc32c(Buffer.from('123456789')).toString(16)).toBe('e3069283')
  })

  it('round-trips keys, values, headers, timestamps and producer identity through encode and decode', () => {
    const bytes = encodeRecordBatches([logRecord(0), logRecord(1, { key: null, value: null, headers: [] })])
    expect(firstBatchLength(bytes)).toBe(bytes.length)
    const decoded = decodeProducedBatch(bytes)
    expect(decoded.ok).toBe(true)
    if (!decoded.ok) return
    expect(decoded.batch).toMatchObject({ producerId: 7, producerEpoch: 1, baseSequence: 0, transactional: false })
    expect(decoded.batch.records).toEqual([
      { key: Buffer.from('k0'), value: Buffer.from('v0'), headers: [{ key: 'h', value: Buffer.from('x') }], timestamp: 1_700_000_000_000 },
      { key: null, value: null, headers: [], timestamp: 1_700_000_000_001 },
    ])
  })

  it('answers CORRUPT_MESSAGE for a batch whose bytes changed after the CRC was computed', () => {
    const bytes = encodeRecordBatches([logRecord(0)])
    bytes[bytes.length - 3] ^= 0xff
    const decoded = decodeProducedBatch(bytes)
    expect(decoded).toMatchObject({ ok: false, errorCode: Errors.CORRUPT_MESSAGE.code })
  })

  it('answers INVALID_RECORD for two batches in one partition and for a produced control batch', () => {
    const two = encodeRecordBatches([logRecord(0), logRecord(1, { producerId: 8 })])
    expect(decodeProducedBatch(two)).toMatchObject({ ok: false, errorCode: Errors.INVALID_RECORD.code })
    const marker = encodeRecordBatches([logRecord(0, { control: 'COMMIT', transactional: true })])
    expect(decodeProducedBatch(marker)).toMatchObject({ ok: false, errorCode: Errors.INVALID_RECORD.code })
  })

  it('writes a run per producer batch and each transaction marker as a control batch with its COMMIT/ABORT key', () => {
    const bytes = encodeRecordBatches([
      logRecord(0, { transactional: true }),
      logRecord(1, { transactional: true }),
      logRecord(2, { control: 'ABORT', transactional: true, sequence: -1 }),
    ])
    const first = firstBatchLength(bytes)
    const second = bytes.subarray(first)
    expect(bytes.readInt32BE(57)).toBe(2)
    const attributes = second.readInt16BE(21)
    expect(attributes & 0x20).toBe(0x20)
    expect(attributes & 0x10).toBe(0x10)
    expect(second.readBigInt64BE(0)).toBe(2n)
    const r = new WireReader(second.subarray(61))
    r.varint()
    r.int8()
    r.varlong()
    r.varint()
    expect(r.varint()).toBe(4)
    expect(r.int16()).toBe(0)
    expect(r.int16()).toBe(0)
  })

  it('decompresses gzip batches and answers UNSUPPORTED_COMPRESSION_TYPE for snappy, lz4 and zstd', () => {
    const plain = encodeRecordBatches([logRecord(0)])
    const body = gzipSync(plain.subarray(61))
    const gz = Buffer.concat([plain.subarray(0, 61), body])
    gz.writeInt32BE(gz.length - 12, 8)
    gz.writeInt16BE(1, 21)
    gz.writeUInt32BE(crc32c(gz.subarray(21)), 17)
    const decoded = decodeProducedBatch(gz)
    expect(decoded.ok && decoded.batch.records[0]!.value!.toString()).toBe('v0')
    for (const codec of [2, 3, 4]) {
      gz.writeInt16BE(codec, 21)
      gz.writeUInt32BE(crc32c(gz.subarray(21)), 17)
      expect(decodeProducedBatch(gz)).toMatchObject({ ok: false, errorCode: Errors.UNSUPPORTED_COMPRESSION_TYPE.code })
    }
  })
})

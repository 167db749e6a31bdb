import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildControlBatch, buildRecordBatch, retainRecords } from '../../src/broker/record-batch-builder.js'
import { Errors, type ProducedBatch, type ProducedRecord, type RecordBatch } from '../../src/protocol/index.js'
import { crc32c } from '../../src/wire/crc32c.js'
import { WireReader } from '../../src/wire/primitives.js'
import { loadCompressionCodecs } from '../../src/wire/compression.js'
import { decodeProducedBatch, encodeRecordBatches, unfetchableBatches } from '../../src/wire/record-batch.js'

function record(i: number, overrides: Partial<ProducedRecord> = {}): ProducedRecord {
  return { key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), headers: [{ key: 'h', value: Buffer.from('x') }], timestamp: 1_700_000_000_000 + i, ...overrides }
}

/** A stored batch at `baseOffset`, as the leader's log holds it (leader epoch 3, producer 7). */
function stored(baseOffset: number, records: ProducedRecord[], overrides: Partial<Omit<ProducedBatch, 'records'>> = {}): RecordBatch {
  return buildRecordBatch(
    { producerId: 7, producerEpoch: 1, baseSequence: baseOffset, transactional: false, records, ...overrides },
    { baseOffset, leaderEpoch: 3, timestampType: 'CreateTime', nowMs: 0 },
  )
}

/** Turns fetched batch bytes back into a produced batch, as a client would send it (offsets are the broker's). */
function firstBatchLength(bytes: Buffer): number {
  return bytes.readInt32BE(8) + 12
}

beforeAll(async () => {
  await loadCompressionCodecs()
})

describe('record batch v2', () => {
  it('computes CRC-32C as the standard check value (123456789 → e3069283)', () => {
    expect(crc32c(Buffer.from('123456789')).toString(16)).toBe('e3069283')
  })

  it('round-trips keys, values, headers, timestamps and producer identity through encode and decode', () => {
    const bytes = encodeRecordBatches([stored(0, [record(0), record(1, { key: null, value: null, headers: [] })])])
    expect(firstBatchLength(bytes)).toBe(bytes.length)
    const decoded = decodeProducedBatch(bytes, 7)
    expect(decoded.ok).toBe(true)
    if (!decoded.ok) return
    expect(decoded.batch).toMatchObject({ producerId: 7, producerEpoch: 1, baseSequence: 0, transactional: false })
    expect(decoded.batch.records).toEqual([
      { key: Buffer.from('k0'), value: Buffer.from('v0'), headers: [{ key: 'h', value: Buffer.from('x') }], timestamp: 1_700_000_000_000 },
      { key: null, value: null, headers: [], timestamp: 1_700_000_000_001 },
    ])
  })

  it('answers CORRUPT_MESSAGE for a batch whose bytes changed after the CRC was computed', () => {
    const bytes = encodeRecordBatches([stored(0, [record(0)])])
    bytes[bytes.length - 3] ^= 0xff
    const decoded = decodeProducedBatch(bytes, 7)
    expect(decoded).toMatchObject({ ok: false, errorCode: Errors.CORRUPT_MESSAGE.code })
  })

  it('answers INVALID_RECORD for two batches in one partition and for a produced control batch', () => {
    const two = encodeRecordBatches([stored(0, [record(0)]), stored(1, [record(1)], { producerId: 8 })])
    expect(decodeProducedBatch(two, 7)).toMatchObject({ ok: false, errorCode: Errors.INVALID_RECORD.code })
    const marker = encodeRecordBatches([buildControlBatch('COMMIT', 7, 1, 3, 0, 1_700_000_000_000)])
    expect(decodeProducedBatch(marker, 7)).toMatchObject({ ok: false, errorCode: Errors.INVALID_RECORD.code })
  })

  it('writes each stored batch as one v2 batch at its base offset and each transaction marker as a control batch with its COMMIT/ABORT key', () => {
    const bytes = encodeRecordBatches([stored(0, [record(0), record(1)], { transactional: true }), buildControlBatch('ABORT', 7, 1, 3, 2, 1_700_000_000_002)])
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

  it('writes a batch the log cleaner compacted with its original last offset delta and each kept record at its own offset delta', () => {
    const cleaned = retainRecords(stored(10, [record(0), record(1), record(2)]), [1], undefined)
    const bytes = encodeRecordBatches([cleaned])
    expect(bytes.readBigInt64BE(0)).toBe(10n)
    // lastOffsetDelta (after base offset, length, leader epoch, magic, CRC and attributes) and the record count.
    expect(bytes.readInt32BE(23)).toBe(2)
    expect(bytes.readInt32BE(57)).toBe(1)
    const r = new WireReader(bytes.subarray(61))
    r.varint()
    r.int8()
    r.varlong()
    expect(r.varint()).toBe(1)
  })

  it('writes each codec the log kept into the attributes and reads it back: the records and the codec survive a round trip', () => {
    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
      const bytes = encodeRecordBatches([stored(0, [record(0), record(1)], { compression: codec })])
      expect(bytes.readInt16BE(21) & 0x07, codec).toBe(['none', 'gzip', 'snappy', 'lz4', 'zstd'].indexOf(codec))
      const decoded = decodeProducedBatch(bytes, 7)
      expect(decoded.ok, codec).toBe(true)
      if (!decoded.ok) continue
      expect(decoded.batch.compression).toBe(codec)
      expect(decoded.batch.records.map((r) => r.value!.toString())).toEqual(['v0', 'v1'])
    }
  })

  it('refuses to fetch zstd batches before Fetch v10 (KIP-110) and serves every other codec in any version', () => {
    expect(unfetchableBatches([stored(0, [record(0)], { compression: 'zstd' })], 9)).toMatch(/zstd batches need Fetch v10\+ \(KIP-110\)/)
    expect(unfetchableBatches([stored(0, [record(0)], { compression: 'zstd' })], 10)).toBeNull()
    expect(unfetchableBatches([stored(0, [record(0)], { compression: 'lz4' }), stored(1, [record(1)])], 4)).toBeNull()
  })

  it('reads a gzip batch made by zlib', () => {
    const plain = encodeRecordBatches([stored(0, [record(0)])])
    const gz = Buffer.concat([plain.subarray(0, 61), gzipSync(plain.subarray(61))])
    gz.writeInt32BE(gz.length - 12, 8)
    gz.writeInt16BE(1, 21)
    gz.writeUInt32BE(crc32c(gz.subarray(21)), 17)
    const decoded = decodeProducedBatch(gz, 7)
    expect(decoded.ok && decoded.batch.records[0]!.value!.toString()).toBe('v0')
  })

  it('answers UNSUPPORTED_COMPRESSION_TYPE for an unknown codec and for zstd before Produce v7 (KIP-110), CORRUPT_MESSAGE for records that do not decompress', () => {
    const withCodec = (codec: number, body?: Buffer) => {
      const plain = encodeRecordBatches([stored(0, [record(0)], { compression: 'zstd' })])
      const bytes = body === undefined ? plain : Buffer.concat([plain.subarray(0, 61), body])
      bytes.writeInt32BE(bytes.length - 12, 8)
      bytes.writeInt16BE(codec, 21)
      bytes.writeUInt32BE(crc32c(bytes.subarray(21)), 17)
      return bytes
    }
    expect(decodeProducedBatch(withCodec(5), 7)).toMatchObject({ ok: false, errorCode: Errors.UNSUPPORTED_COMPRESSION_TYPE.code })
    expect(decodeProducedBatch(withCodec(4), 6)).toMatchObject({ ok: false, errorCode: Errors.UNSUPPORTED_COMPRESSION_TYPE.code })
    expect(decodeProducedBatch(withCodec(4), 7).ok).toBe(true)
    for (const codec of [1, 2, 3, 4]) expect(decodeProducedBatch(withCodec(codec, Buffer.from('not compressed at all')), 7)).toMatchObject({ ok: false, errorCode: Errors.CORRUPT_MESSAGE.code })
  })
})

import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildRecordBatch } from '../../src/broker/record-batch-builder.js'
import { fromRecordHeaders, messageTimestamp, toBatchContext, toBytes, toKafkaMessage, toRecordHeaders, type IHeaders } from '../../src/client/message-types.js'
import { forEachRecord } from '../../src/protocol/records.js'
import { encodeRecordBatches } from '../../src/wire/record-batch.js'

const require = createRequire(import.meta.url)
const Encoder = require('kafkajs/src/protocol/encoder')
const Decoder = require('kafkajs/src/protocol/decoder')
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0')
const decodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decoder')
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder')

/** KafkaJS's own round trip of headers through a v2 record. */
function kafkajsRoundTrip(headers: IHeaders): IHeaders {
  const encoded: { buffer: Buffer } = encodeRecord({ key: null, value: null, headers })
  const buffer = new Encoder().writeEncoder(encoded).buffer
  const decoder = new Decoder(buffer)
  decoder.readVarInt()
  return decodeRecord(decoder, { firstOffset: '0', firstTimestamp: '0' }).headers
}

const headerValue = fc.oneof(fc.string({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b)))
const headersArb = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !(k in Object.prototype)), // KafkaJS's decoder mishandles inherited names like "constructor"
  fc.oneof(headerValue, fc.array(headerValue, { minLength: 1, maxLength: 3 })),
  { maxKeys: 5 },
)

describe('message conversions', () => {
  it('header round trip equals KafkaJS encode+decode of the same headers', () => {
    fc.assert(
      fc.property(headersArb, (headers) => {
        expect(fromRecordHeaders(toRecordHeaders(headers))).toEqual(kafkajsRoundTrip(headers))
      }),
      { numRuns: 200 },
    )
  })

  it('keeps repeated header keys in order and skips undefined values', () => {
    expect(toRecordHeaders({ a: ['1', Buffer.from('2')], b: undefined, c: 'x' })).toEqual([
      { key: 'a', value: Buffer.from('1') },
      { key: 'a', value: Buffer.from('2') },
      { key: 'c', value: Buffer.from('x') },
    ])
    expect(fromRecordHeaders([{ key: 'constructor', value: Buffer.from('v') }])).toEqual({ constructor: Buffer.from('v') })
  })

  it('writes keys and values as KafkaJS does: Buffers kept, null kept, others String()-ed', () => {
    const buffer = Buffer.from([1, 2])
    expect(toBytes(buffer)).toBe(buffer)
    expect(toBytes(null)).toBeNull()
    expect(toBytes(undefined)).toBeNull()
    expect(toBytes('héllo')).toEqual(Buffer.from('héllo', 'utf8'))
    expect(toBytes(42 as never)).toEqual(Buffer.from('42'))
  })

  it('uses the message timestamp, else now', () => {
    expect(messageTimestamp('1700000000000', 5)).toBe(1700000000000)
    expect(messageTimestamp(undefined, 5)).toBe(5)
    expect(messageTimestamp('0', 5)).toBe(5)
  })

  it("turns a stored batch's records into the messages KafkaJS's decoder reads from the same batch on the wire, batchContext included", async () => {
    const records = [
      { key: Buffer.from('k'), value: null, headers: [{ key: 'h', value: Buffer.from('1') }], timestamp: 1000 },
      { key: null, value: Buffer.from('v'), headers: [], timestamp: 1500 },
    ]
    for (const transactional of [false, true]) {
      const batch = buildRecordBatch(
        { producerId: 7, producerEpoch: 2, baseSequence: 5, transactional, records },
        { baseOffset: 40, leaderEpoch: 3, timestampType: 'CreateTime', nowMs: 0 },
      )
      const kafkajs = await decodeRecordBatch(new Decoder(encodeRecordBatches([batch])))
      const ours: unknown[] = []
      const context = toBatchContext(batch)
      forEachRecord(batch, 0, (offset, i, key, value, headers) => ours.push(toKafkaMessage(offset, String(batch.timestamps[i]), key, value, headers, context)))
      expect(ours).toEqual(kafkajs.records)
      expect(context.inTransaction).toBe(transactional)
    }
  })
})

import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromRecordHeaders, toBytes, toKafkaMessage, toProducedRecord, toRecordHeaders, type IHeaders } from '../../src/client/message-types.js'

const require = createRequire(import.meta.url)
const Encoder = require('kafkajs/src/protocol/encoder')
const Decoder = require('kafkajs/src/protocol/decoder')
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0')
const decodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decoder')

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
    expect(toProducedRecord({ value: 'v', timestamp: '1700000000000' }, 5).timestamp).toBe(1700000000000)
    expect(toProducedRecord({ value: 'v' }, 5).timestamp).toBe(5)
    expect(toProducedRecord({ value: 'v', timestamp: '0' }, 5).timestamp).toBe(5)
  })

  it('turns a stored record into KafkaJS KafkaMessage shape', () => {
    const message = toKafkaMessage(7, '1000', Buffer.from('k'), null, [{ key: 'h', value: Buffer.from('1') }])
    expect(message).toEqual({
      magicByte: 2,
      attributes: 0,
      timestamp: '1000',
      offset: '7',
      key: Buffer.from('k'),
      value: null,
      headers: { h: Buffer.from('1') },
      isControlRecord: false,
    })
  })
})

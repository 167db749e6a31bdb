import { describe, expect, it } from 'vitest'
import {
  DeadLetterHeaders,
  buildDeadLetterHeaders,
  deadLetterMessage,
  describeError,
  parseDeadLetterHeaders,
} from '../../../src/client/dead-letter/dead-letter-headers.js'
import type { KafkaMessage } from '../../../src/client/message-types.js'

class PaymentDeclined extends Error {
  override name = 'PaymentDeclined'
}

function message(overrides: Partial<KafkaMessage> = {}): KafkaMessage {
  return {
    key: Buffer.from('order-1'),
    value: Buffer.from('{"orderId":"order-1"}'),
    timestamp: '1704067200000',
    attributes: 0,
    offset: '41',
    headers: { trace: Buffer.from('abc') },
    ...overrides,
  } as KafkaMessage
}

describe('dead-letter headers (Spring Kafka names and encodings)', () => {
  it("uses Spring's header names", () => {
    expect(Object.values(DeadLetterHeaders)).toEqual([
      'kafka_dlt-original-topic',
      'kafka_dlt-original-partition',
      'kafka_dlt-original-offset',
      'kafka_dlt-original-timestamp',
      'kafka_dlt-original-timestamp-type',
      'kafka_dlt-original-consumer-group',
      'kafka_dlt-exception-fqcn',
      'kafka_dlt-exception-cause-fqcn',
      'kafka_dlt-exception-message',
      'kafka_dlt-exception-stacktrace',
    ])
  })

  it('encodes where the record came from and why it failed, keeping its own headers', () => {
    const headers = buildDeadLetterHeaders({
      topic: 'orders',
      partition: 3,
      message: message(),
      groupId: 'invoice',
      error: new PaymentDeclined('card expired', { cause: new TypeError('x') }),
    })
    expect(headers.trace).toEqual(Buffer.from('abc'))
    expect(headers['kafka_dlt-original-topic']).toEqual(Buffer.from('orders'))
    expect(headers['kafka_dlt-original-partition']).toEqual(Buffer.from([0, 0, 0, 3]))
    expect(headers['kafka_dlt-original-offset']).toEqual(Buffer.from([0, 0, 0, 0, 0, 0, 0, 41]))
    expect((headers['kafka_dlt-original-timestamp'] as Buffer).readBigInt64BE()).toBe(1704067200000n)
    expect(headers['kafka_dlt-original-timestamp-type']).toEqual(Buffer.from('CreateTime'))
    expect(headers['kafka_dlt-original-consumer-group']).toEqual(Buffer.from('invoice'))
    expect(headers['kafka_dlt-exception-fqcn']).toEqual(Buffer.from('PaymentDeclined'))
    expect(headers['kafka_dlt-exception-cause-fqcn']).toEqual(Buffer.from('TypeError'))
    expect(headers['kafka_dlt-exception-message']).toEqual(Buffer.from('card expired'))
    expect(String(headers['kafka_dlt-exception-stacktrace'])).toContain('card expired')
  })

  it('parses what it builds', () => {
    const source = { topic: 'orders', partition: 1, message: message(), groupId: 'g', error: new PaymentDeclined('no') }
    expect(parseDeadLetterHeaders({ headers: buildDeadLetterHeaders(source) })).toMatchObject({
      originalTopic: 'orders',
      originalPartition: 1,
      originalOffset: '41',
      originalTimestamp: '1704067200000',
      originalTimestampType: 'CreateTime',
      originalConsumerGroup: 'g',
      exceptionFqcn: 'PaymentDeclined',
      exceptionMessage: 'no',
    })
    expect(parseDeadLetterHeaders(message())).toBeUndefined()
    expect(parseDeadLetterHeaders({})).toBeUndefined()
  })

  it('keeps the first original-* headers and replaces exception headers when a record fails again', () => {
    const first = buildDeadLetterHeaders({ topic: 'orders', partition: 0, message: message(), groupId: 'g', error: new Error('first') })
    const again = buildDeadLetterHeaders({
      topic: 'orders-retry-1000',
      partition: 2,
      message: message({ headers: first, offset: '7' }),
      groupId: 'g-retry-1000',
      error: new RangeError('second'),
    })
    expect(parseDeadLetterHeaders({ headers: again })).toMatchObject({
      originalTopic: 'orders',
      originalPartition: 0,
      originalOffset: '41',
      originalConsumerGroup: 'g',
      exceptionFqcn: 'RangeError',
      exceptionMessage: 'second',
    })
  })

  it('leaves out the message header when the error has no message, as Spring does', () => {
    const headers = buildDeadLetterHeaders({ topic: 't', partition: 0, message: message(), error: new Error() })
    expect(headers['kafka_dlt-exception-message']).toBeUndefined()
    expect(headers['kafka_dlt-original-consumer-group']).toBeUndefined()
  })

  it('describes values that are not errors', () => {
    expect(describeError('boom')).toMatchObject({ className: 'String', message: 'boom' })
    expect(describeError(42)).toMatchObject({ className: 'Number', message: '42' })
    expect(describeError(undefined)).toMatchObject({ className: 'undefined' })
    expect(describeError(Object.create(null))).toMatchObject({ className: 'object' })
  })

  it('builds a message with the same key and value and no timestamp', () => {
    const original = message()
    const out = deadLetterMessage({ topic: 't', partition: 0, message: original, error: new Error('e') })
    expect(out.key).toBe(original.key)
    expect(out.value).toBe(original.value)
    expect(out.timestamp).toBeUndefined()
  })
})

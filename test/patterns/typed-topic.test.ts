import { describe, expect, it } from 'vitest'
import { InvalidTypedTopicError } from '../../src/patterns/errors.js'
import { DecodeError, bufferSerde, jsonSerde, stringSerde } from '../../src/patterns/serde.js'
import { isTypedTopic, typedTopic } from '../../src/patterns/typed-topic.js'
import { patternsHarness } from './harness.js'

interface OrderPlaced {
  orderId: string
  total: number
}

const isOrder = (value: unknown): boolean => typeof (value as OrderPlaced)?.orderId === 'string'

describe('typed topics', () => {
  const orders = typedTopic<OrderPlaced>({ name: 'order-placed', key: (o) => o.orderId, numPartitions: 6, serde: jsonSerde({ validate: isOrder }) })

  it('makes KafkaJS messages keyed by the sharding key, with the value encoded', () => {
    expect(orders.message({ orderId: 'order-1', total: 5 }, { headers: { h: 'v' }, partition: 2, timestamp: '7' })).toEqual({
      key: 'order-1',
      value: '{"orderId":"order-1","total":5}',
      headers: { h: 'v' },
      partition: 2,
      timestamp: '7',
    })
    expect(typedTopic<string>({ name: 'plain', serde: stringSerde }).message('x')).toEqual({ key: null, value: 'x' })
    expect(orders.topicConfig()).toEqual({ topic: 'order-placed', numPartitions: 6 })
    expect(isTypedTopic(orders)).toBe(true)
    expect(isTypedTopic('order-placed')).toBe(false)
  })

  it('decodes values, and says why when it cannot', () => {
    expect(orders.decode({ value: Buffer.from('{"orderId":"o","total":1}') })).toEqual({ orderId: 'o', total: 1 })
    const garbled = orders.decode({ value: Buffer.from('{not json'), offset: '4' }, 1)
    expect(garbled).toBeInstanceOf(DecodeError)
    expect((garbled as DecodeError).message).toMatch(/order-placed.*partition 1, offset 4/)
    expect((garbled as DecodeError).cause).toBeInstanceOf(SyntaxError)
    expect(orders.decode({ value: Buffer.from('{"total":1}') })).toBeInstanceOf(DecodeError)
    expect((orders.decode({ value: null }) as DecodeError).reason).toMatch(/tombstone/)
    expect(typedTopic({ name: 'raw', serde: bufferSerde }).decode({ value: Buffer.from([1, 2]) })).toEqual(Buffer.from([1, 2]))
  })

  it.each([
    ['an empty name', { name: '' }],
    ['zero partitions', { name: 't', numPartitions: 0 }],
    ['a fractional replication factor', { name: 't', replicationFactor: 1.5 }],
    ['a key that is not a function', { name: 't', key: 'orderId' }],
    ['a serde without deserialize', { name: 't', serde: { serialize: String } }],
  ])('rejects %s', (_, options) => {
    expect(() => typedTopic(options as never)).toThrow(InvalidTypedTopicError)
  })

  it('rejects values it cannot encode or key', () => {
    const bad = typedTopic<unknown>({ name: 't', key: () => 42 as never })
    expect(() => bad.message({})).toThrow(/must return a string, a Buffer or null/)
    expect(() => typedTopic<unknown>({ name: 't' }).message(undefined)).toThrow(InvalidTypedTopicError)
  })

  it('round-trips through the cluster: same key, same partition', async () => {
    const h = patternsHarness()
    await h.createTopic(orders.name, 6)
    const producer = await h.producer()
    const sent = [
      { orderId: 'order-1', total: 10 },
      { orderId: 'order-2', total: 20 },
      { orderId: 'order-1', total: 30 },
    ]
    await h.run(orders.send(producer, sent))
    await h.run(orders.send(producer, { orderId: 'order-3', total: 40 }, { acks: -1, headers: { source: 'test' } }))
    const read = await h.read(orders.name)
    const decoded = read.map(({ partition, message }) => ({ partition, value: orders.decode(message, partition) as OrderPlaced }))
    expect(decoded.map((d) => d.value).sort((a, b) => a.total - b.total)).toEqual([...sent, { orderId: 'order-3', total: 40 }])
    const partitionsOfOrder1 = new Set(decoded.filter((d) => d.value.orderId === 'order-1').map((d) => d.partition))
    expect(partitionsOfOrder1.size).toBe(1)
    expect(String(read.find(({ message }) => String(message.key) === 'order-3')?.message.headers?.source)).toBe('test')
  })
})

import { describe, expect, it } from 'vitest'
import { KafkaJSNonRetriableError } from '../../../src/client/errors.js'
import { collect, harness, type Received } from './harness.js'

function inOffsetOrder(received: readonly Received[]): boolean {
  const last = new Map<string, number>()
  for (const r of received) {
    const key = `${r.topic}-${r.partition}`
    if ((last.get(key) ?? -1) >= r.offset) return false
    last.set(key, r.offset)
  }
  return true
}

describe('consumer: delivery and offsets', () => {
  it('a group sees every record, in offset order per partition, and commits the next offset to read', async () => {
    const h = harness()
    await h.createTopic('orders', 3)
    await h.produce('orders', 30)
    const consumer = h.consumer({ groupId: 'g1' })
    await h.clock.run(consumer.connect())
    await h.clock.run(consumer.subscribe({ topic: 'orders', fromBeginning: true }))
    const received: Received[] = []
    await h.clock.run(consumer.run({ eachMessage: collect(received) }))
    await h.clock.runUntil(() => received.length >= 30)
    await h.clock.advance(100)
    expect(received).toHaveLength(30)
    expect(new Set(received.map((r) => r.value)).size).toBe(30)
    expect(inOffsetOrder(received)).toBe(true)

    const committed = await h.committed('g1', 'orders')
    for (const p of [0, 1, 2]) {
      const seen = received.filter((r) => r.partition === p)
      if (seen.length > 0) expect(committed.get(p)).toBe(Math.max(...seen.map((r) => r.offset)) + 1)
    }
    await h.clock.run(consumer.disconnect())
  })

  it('a restarted consumer resumes from the committed offset', async () => {
    const h = harness()
    await h.createTopic('orders', 2)
    await h.produce('orders', 10, 'first')
    const first = await h.start({ groupId: 'g', topics: ['orders'] })
    await h.clock.runUntil(() => first.received.length === 10)
    await h.clock.run(first.consumer.disconnect())

    await h.produce('orders', 5, 'second')
    const second = await h.start({ groupId: 'g', topics: ['orders'] })
    await h.clock.runUntil(() => second.received.length === 5)
    await h.clock.advance(10_000)
    expect(second.received.map((r) => r.value).sort()).toEqual(['second-0', 'second-1', 'second-2', 'second-3', 'second-4'])
    await h.clock.run(second.consumer.disconnect())
  })

  it('without fromBeginning a new group starts at the end of the log (auto.offset.reset=latest)', async () => {
    const h = harness()
    await h.createTopic('orders', 1)
    await h.produce('orders', 5, 'old')
    const member = await h.start({ groupId: 'late', topics: ['orders'], fromBeginning: false })
    await h.produce('orders', 3, 'new')
    await h.clock.runUntil(() => member.received.length === 3)
    await h.clock.advance(10_000)
    expect(member.received.map((r) => r.value)).toEqual(['new-0', 'new-1', 'new-2'])
    await h.clock.run(member.consumer.disconnect())
  })

  it('each group sees every record independently of other groups', async () => {
    const h = harness()
    await h.createTopic('orders', 3)
    await h.produce('orders', 12)
    const a = await h.start({ groupId: 'a', topics: ['orders'] })
    const b = await h.start({ groupId: 'b', topics: ['orders'] })
    await h.clock.runUntil(() => a.received.length === 12 && b.received.length === 12)
    expect(a.received.map((r) => r.value).sort()).toEqual(b.received.map((r) => r.value).sort())
    await h.clock.run(Promise.all([a.consumer.disconnect(), b.consumer.disconnect()]))
  })

  it('subscribes by RegExp to the topics that exist at subscribe time', async () => {
    const h = harness()
    await h.createTopic('orders.eu', 1)
    await h.createTopic('orders.us', 1)
    await h.createTopic('payments', 1)
    await h.produce('orders.eu', 2, 'eu')
    await h.produce('orders.us', 2, 'us')
    await h.produce('payments', 2, 'pay')
    const consumer = h.consumer({ groupId: 'regex' })
    const received: Received[] = []
    await h.clock.run(consumer.connect())
    await h.clock.run(consumer.subscribe({ topics: [/^orders\./], fromBeginning: true }))
    await h.clock.run(consumer.run({ eachMessage: collect(received) }))
    await h.clock.runUntil(() => received.length === 4)
    await h.clock.advance(10_000)
    expect(new Set(received.map((r) => r.topic))).toEqual(new Set(['orders.eu', 'orders.us']))
    await h.clock.run(consumer.disconnect())
  })

  it('delivers key, value, headers, timestamp and offset in KafkaJS shape', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    const producer = h.producer()
    await h.clock.run(producer.connect())
    await h.clock.run(
      producer.send({ topic: 't', messages: [{ key: 'k', value: 'v', headers: { a: 'x', b: ['1', '2'] }, timestamp: '1700000000000' }] }),
    )
    const consumer = h.consumer({ groupId: 'shape' })
    const messages: unknown[] = []
    await h.clock.run(consumer.connect())
    await h.clock.run(consumer.subscribe({ topic: 't', fromBeginning: true }))
    await h.clock.run(consumer.run({ eachMessage: async ({ message }) => void messages.push(message) }))
    await h.clock.runUntil(() => messages.length === 1)
    expect(messages[0]).toEqual({
      magicByte: 2,
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      headers: { a: Buffer.from('x'), b: [Buffer.from('1'), Buffer.from('2')] },
      timestamp: '1700000000000',
      attributes: 0,
      offset: '0',
      isControlRecord: false,
      batchContext: expect.objectContaining({ firstOffset: '0', lastOffsetDelta: 0, magicByte: 2 }),
    })
    await h.clock.run(consumer.disconnect())
  })
})

describe('consumer: bad input', () => {
  it('requires a groupId', () => {
    const h = harness()
    expect(() => h.consumer({} as never)).toThrow(KafkaJSNonRetriableError)
    expect(() => h.consumer({ groupId: '' })).toThrow('Consumer groupId must be a non-empty string.')
  })

  it('requires heartbeatInterval below sessionTimeout, and non-negative numbers', () => {
    const h = harness()
    expect(() => h.consumer({ groupId: 'g', heartbeatInterval: 10_000, sessionTimeout: 10_000 })).toThrow(/heartbeatInterval/)
    expect(() => h.consumer({ groupId: 'g', maxWaitTimeInMs: -1 })).toThrow(/maxWaitTimeInMs/)
  })

  it('rejects bad subscriptions and calls that need run first', async () => {
    const h = harness()
    const consumer = h.consumer({ groupId: 'g' })
    await expect(consumer.subscribe({} as never)).rejects.toThrow('Missing required argument "topics"')
    await expect(consumer.subscribe({ topics: 'x' } as never)).rejects.toThrow('Argument "topics" must be an array')
    await expect(consumer.subscribe({ topics: [42] } as never)).rejects.toThrow(/has to be a String or a RegExp/)
    expect(() => consumer.seek({ topic: 't', partition: 0, offset: '1' })).toThrow(/consumer#run must be called first/)
    expect(() => consumer.pause([{ topic: 't' }])).toThrow(/consumer#run must be called first/)
    expect(() => consumer.seek({ topic: 't', partition: 0, offset: '-5' })).toThrow('Offset must not be a negative number')
    expect(() => consumer.seek({ topic: 't', partition: 0, offset: 'abc' })).toThrow(/expected a long/)
    await expect(consumer.commitOffsets([{ topic: 't', partition: 0, offset: '-1' }])).rejects.toThrow('Offset must not be a negative number')
    expect(consumer.paused()).toEqual([])
    expect(() => consumer.on('consumer.nope' as never, () => undefined)).toThrow(/Event name should be one of/)
  })

  it('refuses to subscribe while running, and ignores a second run', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    const m = await h.start({ groupId: 'g', topics: ['t'] })
    await expect(m.consumer.subscribe({ topic: 'other' })).rejects.toThrow('Cannot subscribe to topic while consumer is running')
    await h.clock.run(m.consumer.run({ eachMessage: async () => undefined }))
    await h.produce('t', 2)
    await h.clock.runUntil(() => m.received.length === 2)
    await h.clock.run(m.consumer.disconnect())
  })

  it('rejects bad run options', async () => {
    const h = harness()
    const consumer = h.consumer({ groupId: 'g' })
    await expect(consumer.run({ partitionsConsumedConcurrently: 0 })).rejects.toThrow(/partitionsConsumedConcurrently/)
    await expect(consumer.run({ autoCommitInterval: -5 })).rejects.toThrow(/autoCommitInterval/)
  })
})

import { describe, expect, it } from 'vitest'
import { harness, type Harness } from './harness.js'
import { readDeadLetters, recordingHandler, startConsumer, type Attempt } from './retry-support.js'

class PaymentDeclined extends Error {
  override name = 'PaymentDeclined'
}

class MalformedOrder extends Error {
  override name = 'MalformedOrder'
}

async function produceOrders(h: Harness, topic: string, partition: number, count: number): Promise<void> {
  const producer = h.producer()
  await h.clock.run(producer.connect())
  const messages = Array.from({ length: count }, (_, i) => ({ key: `order-${i}`, value: `v-${i}`, partition, headers: { 'trace-id': `t-${i}` } }))
  await h.clock.run(producer.send({ topic, messages }))
  await h.clock.run(producer.disconnect())
}

describe('consumer: run({ deadLetter }) dead-letter topic', () => {
  it('after the last failed attempt the record goes to the dead-letter topic with its key, value, headers and Spring’s kafka_dlt-* headers; then its offset is committed and the next record follows', async () => {
    const h = harness()
    await h.createTopic('orders', 3)
    await h.createTopic('orders-dlt', 3)
    await produceOrders(h, 'orders', 2, 3)
    const attempts: Attempt[] = []
    const consumer = await startConsumer(h, {
      groupId: 'billing',
      topics: ['orders'],
      run: {
        retry: { attempts: 3, initialBackoffMs: 100, maxBackoffMs: 1000 },
        deadLetter: { topic: 'orders-dlt' },
        eachMessage: recordingHandler(h, attempts, (_p, attempt) => {
          if (attempt.offset === 1) throw new PaymentDeclined('card expired')
        }),
      },
    })
    await h.clock.runUntil(() => attempts.some((a) => a.offset === 2))
    expect(attempts.map((a) => a.offset)).toEqual([0, 1, 1, 1, 2])
    await h.clock.advance(100)
    expect((await h.committed('billing', 'orders')).get(2)).toBe(3)

    const [dead, ...more] = await readDeadLetters(h, 'orders-dlt', 1)
    expect(more).toEqual([])
    // Spring's default destination: the same partition number in the dead-letter topic.
    expect(dead).toMatchObject({ partition: 2, key: 'order-1', value: 'v-1', headers: { 'trace-id': 't-1' } })
    const info = dead!.info!
    expect(info).toMatchObject({
      originalTopic: 'orders',
      originalPartition: 2,
      originalOffset: '1',
      originalConsumerGroup: 'billing',
      originalTimestampType: 'CreateTime',
      exceptionFqcn: 'PaymentDeclined',
      exceptionMessage: 'card expired',
    })
    expect(info.exceptionStacktrace).toMatch(/^PaymentDeclined: card expired\n\s+at /)
    expect(Number(info.originalTimestamp)).toBeGreaterThanOrEqual(0)
    await h.clock.run(consumer.disconnect())
  })

  it('defaults to `${topic}-dlt`, created on first use as Kafka auto-creates topics; the key picks the partition when the source partition number does not exist there', async () => {
    const h = harness({ numPartitions: 1 })
    await h.createTopic('orders', 2)
    await produceOrders(h, 'orders', 1, 1)
    const attempts: Attempt[] = []
    const consumer = await startConsumer(h, {
      groupId: 'g',
      topics: ['orders'],
      run: {
        deadLetter: {},
        eachMessage: recordingHandler(h, attempts, () => {
          throw new Error('boom')
        }),
      },
    })
    await h.clock.runUntil(() => attempts.length === 1)
    const dead = await readDeadLetters(h, 'orders-dlt', 1)
    expect(dead).toHaveLength(1)
    expect(dead[0]!.info).toMatchObject({ originalTopic: 'orders', originalPartition: 1, exceptionFqcn: 'Error', exceptionMessage: 'boom' })
    // deadLetter without retry: one attempt.
    expect(attempts).toHaveLength(1)
    await h.clock.run(consumer.disconnect())
  })

  it('an error class marked not retryable goes to the dead-letter topic after its first attempt; others are retried', async () => {
    const h = harness()
    await h.createTopic('orders', 1)
    await produceOrders(h, 'orders', 0, 2)
    const attempts: Attempt[] = []
    const consumer = await startConsumer(h, {
      groupId: 'g',
      topics: ['orders'],
      run: {
        retry: { attempts: 4, initialBackoffMs: 10, maxBackoffMs: 10, notRetryable: [MalformedOrder] },
        deadLetter: {},
        eachMessage: recordingHandler(h, attempts, (_p, attempt) => {
          throw attempt.offset === 0 ? new MalformedOrder('no items') : new PaymentDeclined('declined')
        }),
      },
    })
    await h.clock.runUntil(() => attempts.filter((a) => a.offset === 1).length === 4)
    expect(attempts.filter((a) => a.offset === 0)).toHaveLength(1)
    const dead = await readDeadLetters(h, 'orders-dlt', 2)
    expect(dead.map((d) => [d.value, d.info?.exceptionFqcn])).toEqual([
      ['v-0', 'MalformedOrder'],
      ['v-1', 'PaymentDeclined'],
    ])
    await h.clock.run(consumer.disconnect())
  })

  it('a predicate can mark errors not retryable', async () => {
    const h = harness()
    await h.createTopic('orders', 1)
    await produceOrders(h, 'orders', 0, 1)
    const attempts: Attempt[] = []
    const consumer = await startConsumer(h, {
      groupId: 'g',
      topics: ['orders'],
      run: {
        retry: { attempts: 4, initialBackoffMs: 10, maxBackoffMs: 10, notRetryable: (e) => (e as Error).message.startsWith('fatal') },
        deadLetter: { topic: 'orders-parking-lot' },
        eachMessage: recordingHandler(h, attempts, () => {
          throw new Error('fatal: schema mismatch')
        }),
      },
    })
    await h.clock.runUntil(() => attempts.length === 1)
    const dead = await readDeadLetters(h, 'orders-parking-lot', 1)
    expect(dead[0]!.info?.exceptionMessage).toBe('fatal: schema mismatch')
    expect(attempts).toHaveLength(1)
    await h.clock.run(consumer.disconnect())
  })

  it('when the dead-letter write fails the offset is not committed and the consumer crashes and restarts as KafkaJS does on a failed send; the record is delivered again and reaches the dead-letter topic', async () => {
    const h = harness()
    await h.createTopic('orders', 1)
    await h.createTopic('orders-dlt', 1)
    await produceOrders(h, 'orders', 0, 2)
    const toDeadLetters = (request: unknown): boolean => (request as { topics: Array<{ topic: string }> }).topics.some((t) => t.topic === 'orders-dlt')
    // The consumer's retry (retries: 1) is its dead-letter producer's too: two failed Produce requests exhaust it.
    const failing = h.cluster.transport.hooks.add({ api: 'Produce', from: 'client', action: { type: 'fail', errorCode: 19 }, times: 2, when: toDeadLetters })
    const attempts: Attempt[] = []
    const crashes: Array<{ error: Error; restart: boolean }> = []
    const consumer = await startConsumer(h, {
      groupId: 'g',
      topics: ['orders'],
      config: { retry: { retries: 1, initialRetryTime: 100, restartOnFailure: async () => true } },
      setup: (c) => c.on(c.events.CRASH, (e) => void crashes.push(e.payload)),
      run: {
        retry: { attempts: 2, initialBackoffMs: 10, maxBackoffMs: 10 },
        deadLetter: {},
        eachMessage: recordingHandler(h, attempts, (_p, attempt) => {
          if (attempt.offset === 0) throw new PaymentDeclined('declined')
        }),
      },
    })
    await h.clock.runUntil(() => failing.fired === 2)
    expect((await h.committed('g', 'orders')).get(0)).toBeUndefined()
    await h.clock.runUntil(() => attempts.some((a) => a.offset === 1))
    // The producer's retries ran out (KafkaJSNumberOfRetriesExceeded, not retried by the consumer's retrier):
    // a crash, a restart from the committed offset, a second delivery; two attempts each.
    expect(crashes).toHaveLength(1)
    expect(crashes[0]!.restart).toBe(true)
    expect(crashes[0]!.error.message).toMatch(/fewer in-sync replicas/)
    expect(attempts.filter((a) => a.offset === 0)).toHaveLength(4)
    await h.clock.advance(100)
    expect((await h.committed('g', 'orders')).get(0)).toBe(2)
    const dead = await readDeadLetters(h, 'orders-dlt', 1)
    expect(dead.map((d) => d.value)).toEqual(['v-0'])
    await h.clock.run(consumer.disconnect())
  })

  it('the dead-letter producer belongs to the consumer: connected by run, disconnected by disconnect, connected again by the next run', async () => {
    const h = harness()
    await h.createTopic('orders', 1)
    await produceOrders(h, 'orders', 0, 2)
    const attempts: Attempt[] = []
    const run = {
      deadLetter: {},
      eachMessage: recordingHandler(h, attempts, () => {
        throw new Error('boom')
      }),
    }
    const consumer = await startConsumer(h, { groupId: 'g', topics: ['orders'], run })
    await h.clock.runUntil(() => attempts.length === 2)
    await h.clock.run(consumer.disconnect())
    await h.produce('orders', 1, 'late')
    await h.clock.run(consumer.connect())
    await h.clock.run(consumer.run(run))
    await h.clock.runUntil(() => attempts.length === 3)
    const dead = await readDeadLetters(h, 'orders-dlt', 3)
    expect(dead.map((d) => d.value)).toEqual(['v-0', 'v-1', 'late-0'])
    await h.clock.run(consumer.disconnect())
  })
})

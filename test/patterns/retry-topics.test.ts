import { describe, expect, it } from 'vitest'
import { parseDeadLetterHeaders } from '../../src/client/dead-letter/dead-letter-headers.js'
import { bigIntegerBytes } from '../../src/client/dead-letter/header-values.js'
import type { KafkaMessage } from '../../src/client/message-types.js'
import { InvalidListenerError } from '../../src/patterns/errors.js'
import { kafkaListener, type ListenerContext } from '../../src/patterns/kafka-listener.js'
import { startListeners } from '../../src/patterns/listener-container.js'
import { RetryTopicHeaders, parseRetryTopicHeaders, planRetryTopics, retryTopicMessage } from '../../src/patterns/retry-topics.js'
import { stringSerde } from '../../src/patterns/serde.js'
import { typedTopic } from '../../src/patterns/typed-topic.js'
import { patternsHarness } from './harness.js'

describe('retry topic plans', () => {
  it("defaults to Spring's: 3 attempts, a fixed 1 s delay, one reused -retry-1000 topic", () => {
    const plan = planRetryTopics('orders', {})
    expect(plan).toMatchObject({ attempts: 3, delaysMs: [1000, 1000], topics: ['orders-retry-1000'] })
    expect(plan.topicForAttempt(2)).toBe('orders-retry-1000')
    expect(plan.topicForAttempt(3)).toBe('orders-retry-1000')
    expect(() => plan.topicForAttempt(4)).toThrow(RangeError)
  })

  it('names one topic per distinct delay, exponential and capped', () => {
    const plan = planRetryTopics('orders', { attempts: 5, initialBackoffMs: 1000, multiplier: 3, maxBackoffMs: 10_000 })
    expect(plan.delaysMs).toEqual([1000, 3000, 9000, 10_000])
    expect(plan.topics).toEqual(['orders-retry-1000', 'orders-retry-3000', 'orders-retry-9000', 'orders-retry-10000'])
    expect(planRetryTopics('orders', { delaysMs: [200, 200, 5000], retryTopicSuffix: '-billing-retry' }).topics).toEqual([
      'orders-billing-retry-200',
      'orders-billing-retry-5000',
    ])
  })

  it('rejects plans that cannot work', () => {
    expect(() => planRetryTopics('t', { attempts: 0 })).toThrow(/attempts/)
    expect(() => planRetryTopics('t', { delaysMs: [1.5] })).toThrow(InvalidListenerError)
    expect(() => planRetryTopics('t', { retryTopicSuffix: '' })).toThrow(InvalidListenerError)
    expect(() => planRetryTopics('t', { timeoutMs: -1 })).toThrow(/timeoutMs/)
  })

  it("writes Spring's retry headers as BigInteger bytes and keeps the original timestamp across hops", () => {
    const message = { key: Buffer.from('k'), value: Buffer.from('v'), timestamp: '1000', offset: '3', headers: {}, attributes: 0 } as KafkaMessage
    const first = retryTopicMessage({ topic: 'orders', partition: 1, message, groupId: 'g', error: new Error('x') }, { attempt: 2, delayMs: 500, now: 2000 })
    expect(first.headers?.[RetryTopicHeaders.attempts]).toEqual(bigIntegerBytes(2))
    expect(parseRetryTopicHeaders(first)).toEqual({ attempt: 2, originalTimestamp: 1000, backoffTimestamp: 2500 })
    const hop = { ...message, timestamp: '2001', offset: '0', headers: first.headers! } as KafkaMessage
    const second = retryTopicMessage({ topic: 'orders-retry-500', partition: 1, message: hop, groupId: 'g', error: new Error('y') }, { attempt: 3, delayMs: 500, now: 3000 })
    expect(parseRetryTopicHeaders(second)).toEqual({ attempt: 3, originalTimestamp: 1000, backoffTimestamp: 3500 })
    expect(parseDeadLetterHeaders(second)).toMatchObject({ originalTopic: 'orders', originalOffset: '3', exceptionMessage: 'y' })
    expect(parseRetryTopicHeaders({})).toEqual({ attempt: 1, originalTimestamp: undefined, backoffTimestamp: undefined })
    // Spring 2.7 wrote attempts as a 4-byte int: it reads the same.
    expect(parseRetryTopicHeaders({ headers: { [RetryTopicHeaders.attempts]: Buffer.from([0, 0, 0, 4]) } }).attempt).toBe(4)
  })
})

describe('retry topics end to end', () => {
  it('retries on the clock after each delay, never blocks the main partition, and dead-letters after the last attempt', async () => {
    const h = patternsHarness()
    const orders = typedTopic<string>({ name: 'orders', key: (v) => v, serde: stringSerde, numPartitions: 1 })
    const seen: Array<{ value: string; at: number; delivery: number; topic: string }> = []
    let flakyFailures = 0
    const listener = kafkaListener<string>(
      { topic: orders, groupId: 'billing', fromBeginning: true, retryTopics: { delaysMs: [1000, 5000] } },
      (value: string, context: ListenerContext) => {
        seen.push({ value, at: h.clock.now(), delivery: context.delivery, topic: context.topic })
        if (value === 'poison') throw new Error(`poison on delivery ${context.delivery}`)
        if (value === 'flaky' && flakyFailures++ === 0) throw new Error('flaky once')
      },
    )
    const container = await h.run(startListeners(h.kafka, [listener], { clock: h.clock }))
    expect(container.consumers.map((c) => [c.groupId, c.role, c.topics])).toEqual([
      ['billing', 'main', ['orders']],
      ['billing-retry-1000', 'retry', ['orders-retry-1000']],
      ['billing-retry-5000', 'retry', ['orders-retry-5000']],
    ])
    await h.clock.advance(10_000)
    const producer = await h.producer()
    const [sent] = await h.run(orders.send(producer, ['poison', 'flaky']))
    await h.run(orders.send(producer, ['after-1', 'after-2']))
    await h.clock.runUntil(() => seen.filter((s) => s.value === 'poison').length === 3, { maxMs: 60_000 })
    await h.clock.advance(10_000)

    const poison = seen.filter((s) => s.value === 'poison')
    expect(poison.map((s) => [s.topic, s.delivery])).toEqual([
      ['orders', 1],
      ['orders-retry-1000', 2],
      ['orders-retry-5000', 3],
    ])
    expect(poison[1]!.at - poison[0]!.at).toBeGreaterThanOrEqual(1000)
    expect(poison[1]!.at - poison[0]!.at).toBeLessThan(1500)
    expect(poison[2]!.at - poison[1]!.at).toBeGreaterThanOrEqual(5000)
    expect(poison[2]!.at - poison[1]!.at).toBeLessThan(5500)
    // The main partition moved on at once: the later records were handled before the first retry was due.
    const later = seen.filter((s) => s.value.startsWith('after-'))
    expect(later).toHaveLength(2)
    expect(later.every((s) => s.at < poison[1]!.at)).toBe(true)
    expect(seen.filter((s) => s.value === 'flaky').map((s) => s.delivery)).toEqual([1, 2])

    const dlt = await h.read('orders-dlt')
    expect(dlt).toHaveLength(1)
    const [{ message }] = dlt as [(typeof dlt)[0]]
    expect(String(message.value)).toBe('poison')
    expect(parseDeadLetterHeaders(message)).toMatchObject({
      originalTopic: 'orders',
      originalPartition: 0,
      originalOffset: sent!.baseOffset ?? '0',
      originalConsumerGroup: 'billing',
      exceptionMessage: 'poison on delivery 3',
    })
    const retryState = parseRetryTopicHeaders(message)
    expect(retryState.attempt).toBe(3)
    const original = (await h.read('orders')).find((r) => String(r.message.value) === 'poison')!
    expect(retryState.originalTimestamp).toBe(Number(original.message.timestamp))
    expect((await h.read('orders-retry-1000')).map((r) => String(r.message.value))).toEqual(['poison', 'flaky'])
    await h.run(container.stop())
  })

  it('sends a not-retryable error straight to the dead-letter topic, skipping the retry topics', async () => {
    const h = patternsHarness()
    class Fatal extends Error {}
    let calls = 0
    const listener = kafkaListener({ topic: 'jobs', groupId: 'g', fromBeginning: true, retryTopics: { delaysMs: [100], notRetryable: [Fatal] } }, () => {
      calls += 1
      throw new Fatal('no')
    })
    await h.createTopic('jobs', 2)
    const container = await h.run(startListeners(h.kafka, [listener], { clock: h.clock }))
    await h.run((await h.producer()).send({ topic: 'jobs', messages: [{ value: '{"n":1}', partition: 1 }] }))
    await h.clock.runUntil(() => calls === 1)
    await h.clock.advance(5_000)
    expect(calls).toBe(1)
    expect(await h.read('jobs-retry-100')).toEqual([])
    const dlt = await h.read('jobs-dlt')
    expect(dlt.map((r) => [r.partition, parseDeadLetterHeaders(r.message)?.exceptionFqcn])).toEqual([[1, 'Fatal']])
    await h.run(container.stop())
  })
})

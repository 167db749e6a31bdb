import { describe, expect, it } from 'vitest'
import { AttemptTimeoutError } from '../../src/client/dead-letter/attempt-timeout.js'
import { parseDeadLetterHeaders } from '../../src/client/dead-letter/dead-letter-headers.js'
import { InvalidListenerError } from '../../src/patterns/errors.js'
import { KafkaListener, kafkaListener, type ListenerContext } from '../../src/patterns/kafka-listener.js'
import { startListeners } from '../../src/patterns/listener-container.js'
import type { ListenerEvent } from '../../src/patterns/listener-pipeline.js'
import { typedTopic } from '../../src/patterns/typed-topic.js'
import { patternsHarness, type PatternsHarness } from './harness.js'

interface Invoice {
  orderId: string
  address: string
}

class InvalidAddress extends Error {
  override name = 'InvalidAddress'
}

const invoices = typedTopic<Invoice>({ name: 'invoices', key: (i) => i.orderId, numPartitions: 3 })

async function committedOffsets(h: PatternsHarness, groupId: string, topic: string): Promise<number[]> {
  const admin = h.kafka.admin()
  await h.run(admin.connect())
  const [result] = await h.run(admin.fetchOffsets({ groupId, topics: [topic] }))
  await h.run(admin.disconnect())
  return result!.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset))
}

describe('startListeners', () => {
  it('runs one group member per instance: the partitions are split, each handled by one instance', async () => {
    const h = patternsHarness()
    const handledBy = new Map<number, Set<string>>()
    class InvoiceService {
      constructor(readonly name: string) {}
      @KafkaListener({ topic: invoices, groupId: 'invoice', fromBeginning: true })
      async handle(_invoice: Invoice, context: ListenerContext): Promise<void> {
        const owners = handledBy.get(context.partition) ?? new Set()
        owners.add(this.name)
        handledBy.set(context.partition, owners)
      }
    }
    const container = await h.run(startListeners(h.kafka, [new InvoiceService('a'), new InvoiceService('b')], { clock: h.clock }))
    expect(container.consumers.map((c) => [c.groupId, c.role, c.topics])).toEqual([
      ['invoice', 'main', ['invoices']],
      ['invoice', 'main', ['invoices']],
    ])
    await h.clock.advance(10_000)
    const producer = await h.producer()
    await h.run(invoices.send(producer, Array.from({ length: 30 }, (_, i) => ({ orderId: `order-${i}`, address: 'ok' }))))
    await h.clock.runUntil(() => handledBy.size === 3)
    await h.clock.advance(5_000)
    const owners = [...handledBy.values()].map((set) => [...set])
    expect(owners.every((names) => names.length === 1)).toBe(true)
    expect(new Set(owners.flat())).toEqual(new Set(['a', 'b']))
    await h.run(container.stop())
    const admin = h.kafka.admin()
    await h.run(admin.connect())
    const { groups } = await h.run(admin.describeGroups(['invoice']))
    expect(groups[0]?.state).toBe('Empty')
    await h.run(admin.disconnect())
    await h.run(container.stop())
  })

  it('retries with backoff on the clock, then succeeds: nothing is dead-lettered', async () => {
    const h = patternsHarness()
    const attemptsAt: number[] = []
    const events: ListenerEvent[] = []
    const listener = kafkaListener<Invoice>(
      { topic: invoices, groupId: 'invoice', fromBeginning: true, retry: { attempts: 4, initialBackoffMs: 100, maxBackoffMs: 1000 } },
      (_invoice, context) => {
        attemptsAt.push(h.clock.now())
        expect(context.attempt).toBe(attemptsAt.length)
        if (attemptsAt.length < 3) throw new Error('flaky')
      },
    )
    const container = await h.run(startListeners(h.kafka, [listener], { clock: h.clock, onEvent: (e) => events.push(e) }))
    await h.run(invoices.send(await h.producer(), { orderId: 'order-1', address: 'ok' }))
    await h.clock.runUntil(() => attemptsAt.length === 3)
    const waits = attemptsAt.slice(1).map((t, i) => t - attemptsAt[i]!)
    expect(waits[0]).toBeGreaterThanOrEqual(80)
    expect(waits[0]).toBeLessThanOrEqual(120)
    expect(waits[1]).toBeGreaterThanOrEqual(160)
    expect(waits[1]).toBeLessThanOrEqual(240)
    expect(events.map((e) => e.type)).toEqual(['attempt-failed', 'backoff', 'attempt-failed', 'backoff'])
    await h.clock.advance(10_000)
    expect(await committedOffsets(h, 'invoice', 'invoices')).toContain(1)
    await h.run(container.stop())
    expect(await h.read('invoices-dlt')).toEqual([])
  })

  it('dead-letters a record that always fails, with its key, value, headers and every dead-letter header, then commits it', async () => {
    const h = patternsHarness()
    let attempts = 0
    const listener = kafkaListener<Invoice>(
      { topic: invoices, groupId: 'invoice', fromBeginning: true, retry: { attempts: 3, initialBackoffMs: 10 } },
      () => {
        attempts += 1
        throw new InvalidAddress('no such street')
      },
    )
    const container = await h.run(startListeners(h.kafka, [listener], { clock: h.clock }))
    const producer = await h.producer()
    const [sent] = await h.run(producer.send({ topic: 'invoices', messages: [{ ...invoices.message({ orderId: 'order-9', address: '?' }), headers: { trace: 't-1' } }] }))
    const dlt = await (async () => {
      await h.clock.runUntil(() => attempts === 3)
      await h.clock.advance(5_000)
      return h.read('invoices-dlt')
    })()
    expect(dlt).toHaveLength(1)
    const [{ partition, message }] = dlt as [(typeof dlt)[0]]
    expect(partition).toBe(sent!.partition)
    expect(String(message.key)).toBe('order-9')
    expect(JSON.parse(String(message.value))).toEqual({ orderId: 'order-9', address: '?' })
    expect(String(message.headers?.trace)).toBe('t-1')
    expect(parseDeadLetterHeaders(message)).toMatchObject({
      originalTopic: 'invoices',
      originalPartition: sent!.partition,
      originalOffset: '0',
      originalTimestampType: 'CreateTime',
      originalConsumerGroup: 'invoice',
      exceptionFqcn: 'InvalidAddress',
      exceptionMessage: 'no such street',
    })
    expect(parseDeadLetterHeaders(message)?.exceptionStacktrace).toContain('InvalidAddress: no such street')
    expect(Number(parseDeadLetterHeaders(message)?.originalTimestamp)).toBeGreaterThan(0)
    const committed = await committedOffsets(h, 'invoice', 'invoices')
    expect(committed[sent!.partition]).toBe(1)
    expect(attempts).toBe(3)
    await h.run(container.stop())
  })

  it('sends a not-retryable error to the dead-letter topic after one attempt', async () => {
    const h = patternsHarness()
    let attempts = 0
    const listener = kafkaListener<Invoice>(
      { topic: invoices, groupId: 'invoice', fromBeginning: true, retry: { attempts: 5, notRetryable: [InvalidAddress] } },
      () => {
        attempts += 1
        throw new InvalidAddress('bad')
      },
    )
    const container = await h.run(startListeners(h.kafka, [listener], { clock: h.clock }))
    await h.run(invoices.send(await h.producer(), { orderId: 'o', address: '' }))
    await h.clock.runUntil(() => attempts === 1)
    await h.clock.advance(10_000)
    expect(attempts).toBe(1)
    expect((await h.read('invoices-dlt')).map((r) => parseDeadLetterHeaders(r.message)?.exceptionFqcn)).toEqual(['InvalidAddress'])
    await h.run(container.stop())
  })

  it('fails an attempt that outlives timeoutMs and aborts its signal, even if it would succeed later', async () => {
    const h = patternsHarness()
    const signals: AbortSignal[] = []
    const listener = kafkaListener<Invoice>(
      { topic: invoices, groupId: 'invoice', fromBeginning: true, retry: { attempts: 2, timeoutMs: 1_000, initialBackoffMs: 10 } },
      async (_invoice, context) => {
        signals.push(context.signal)
        await h.clock.sleep(5_000)
      },
    )
    const container = await h.run(startListeners(h.kafka, [listener], { clock: h.clock }))
    await h.run(invoices.send(await h.producer(), { orderId: 'slow', address: 'ok' }))
    await h.clock.runUntil(() => signals.length === 2)
    await h.clock.advance(10_000)
    expect(signals.every((s) => s.aborted && s.reason instanceof AttemptTimeoutError)).toBe(true)
    const dlt = await h.read('invoices-dlt')
    expect(parseDeadLetterHeaders(dlt[0]!.message)).toMatchObject({ exceptionFqcn: 'AttemptTimeoutError' })
    await h.run(container.stop())
  })

  it('sends an undecodable value to the dead-letter topic without calling the handler', async () => {
    const h = patternsHarness()
    const handled: Invoice[] = []
    const listener = kafkaListener<Invoice>({ topic: invoices, groupId: 'invoice', fromBeginning: true }, (invoice) => {
      handled.push(invoice)
    })
    const container = await h.run(startListeners(h.kafka, [listener], { clock: h.clock }))
    const producer = await h.producer()
    await h.run(producer.send({ topic: 'invoices', messages: [{ key: 'bad', value: '{oops' }, invoices.message({ orderId: 'good', address: 'ok' })] }))
    await h.clock.runUntil(() => handled.length === 1)
    await h.clock.advance(5_000)
    expect(handled).toEqual([{ orderId: 'good', address: 'ok' }])
    const dlt = await h.read('invoices-dlt')
    expect(dlt.map((r) => String(r.message.value))).toEqual(['{oops'])
    expect(parseDeadLetterHeaders(dlt[0]!.message)).toMatchObject({ originalTopic: 'invoices', exceptionFqcn: 'DecodeError' })
    expect(parseDeadLetterHeaders(dlt[0]!.message)?.exceptionMessage).toMatch(/Could not decode/)
    await h.run(container.stop())
  })

  it('without a retry or dead-letter policy, a failing handler is not skipped: the error reaches the consumer, as in KafkaJS', async () => {
    const h = patternsHarness()
    let calls = 0
    const listener = kafkaListener<Invoice>({ topic: invoices, groupId: 'invoice', fromBeginning: true }, () => {
      calls += 1
      throw new Error('boom')
    })
    const container = await h.run(startListeners(h.kafka, [listener], { clock: h.clock }))
    await h.run(invoices.send(await h.producer(), { orderId: 'o', address: 'ok' }))
    await h.clock.runUntil(() => calls >= 2)
    await h.run(container.stop())
    expect(await h.read('invoices-dlt')).toEqual([])
    expect((await committedOffsets(h, 'invoice', 'invoices')).every((offset) => offset <= 0)).toBe(true)
  })

  it('stopping during a backoff leaves the record uncommitted; the next container handles it', async () => {
    const h = patternsHarness()
    let calls = 0
    const failing = kafkaListener<Invoice>(
      { topic: invoices, groupId: 'invoice', fromBeginning: true, retry: { attempts: 3, initialBackoffMs: 60_000, maxBackoffMs: 60_000 } },
      () => {
        calls += 1
        throw new Error('down')
      },
    )
    const first = await h.run(startListeners(h.kafka, [failing], { clock: h.clock }))
    await h.run(invoices.send(await h.producer(), { orderId: 'o', address: 'ok' }))
    await h.clock.runUntil(() => calls === 1)
    await h.run(first.stop())
    expect(calls).toBe(1)
    expect(await committedOffsets(h, 'invoice', 'invoices')).not.toContain(1)
    const handled: Invoice[] = []
    const working = kafkaListener<Invoice>({ topic: invoices, groupId: 'invoice', fromBeginning: true }, (invoice) => {
      handled.push(invoice)
    })
    const second = await h.run(startListeners(h.kafka, [working], { clock: h.clock }))
    await h.clock.runUntil(() => handled.length === 1)
    expect(handled).toEqual([{ orderId: 'o', address: 'ok' }])
    expect(await h.read('invoices-dlt')).toEqual([])
    await h.run(second.stop())
  })

  it('rejects bad input before starting anything', async () => {
    const h = patternsHarness()
    await expect(startListeners(h.kafka, [])).rejects.toThrow(InvalidListenerError)
    await expect(startListeners(h.kafka, [{}])).rejects.toThrow(/no @KafkaListener methods/)
    const one = kafkaListener({ topic: 'orders', groupId: 'a', retryTopics: { delaysMs: [1000] } }, () => {})
    const other = kafkaListener({ topic: 'orders', groupId: 'b', retryTopics: { delaysMs: [1000] } }, () => {})
    await expect(startListeners(h.kafka, [one, other])).rejects.toThrow(/retryTopicSuffix/)
    const admin = h.kafka.admin()
    await h.run(admin.connect())
    expect(await h.run(admin.listTopics())).toEqual([])
    await h.run(admin.disconnect())
  })
})

describe('the container with kafkalite consumers', () => {
  it("keeps the client's consumer type, so its events and group description are at hand", async () => {
    const h = patternsHarness()
    await h.createTopic('events', 2)
    const listener = kafkaListener({ topic: 'events', groupId: 'observer' }, () => {})
    const container = await h.run(startListeners(h.kafka, [listener, kafkaListener({ topic: 'events', groupId: 'observer' }, () => {})], { clock: h.clock }))
    const [first, second] = container.consumers as [(typeof container.consumers)[0], (typeof container.consumers)[0]]
    const joins: string[] = []
    first.consumer.on(first.consumer.events.GROUP_JOIN, (event) => joins.push(event.payload.memberId))
    await h.run(second.consumer.disconnect())
    await h.clock.runUntil(() => joins.length > 0)
    const description = await h.run(first.consumer.describeGroup())
    expect(description.state).toBe('Stable')
    expect(description.members).toHaveLength(1)
    expect(container.clock).toBe(h.clock)
    await h.run(container.stop())
  })
})

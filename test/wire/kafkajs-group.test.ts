/**
 * The unmocked KafkaJS client over TCP against cluster.listen(): acks=all produce, a consumer group of three that
 * rebalances when one member leaves, seek and pause. Wall-clock time (the listener runs on the system clock).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Consumer, EachMessagePayload } from 'kafkajs'
import { condition, tcpKafka, type TcpKafka } from './tcp-kafka.js'

let env: TcpKafka | undefined
const consumers: Consumer[] = []

afterEach(async () => {
  for (const c of consumers.splice(0)) await c.disconnect().catch(() => undefined)
  await env?.close()
  env = undefined
})

const FAST = { heartbeatInterval: 300, maxWaitTimeInMs: 100, sessionTimeout: 10000, rebalanceTimeout: 10000 }

describe('KafkaJS over TCP: produce and consume in a group', () => {
  it('acks=all sends are read exactly once by a group of three, and again after a member leaves and the group rebalances', async () => {
    env = await tcpKafka()
    const admin = env.kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 6, replicationFactor: 3 }] })
    await admin.disconnect()
    const producer = env.kafka.producer()
    await producer.connect()
    const sendBatch = async (from: number) => {
      const results = await producer.send({ topic: 'orders', acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${from + i}`, value: `order-${from + i}` })) })
      expect(results.every((r) => r.errorCode === 0)).toBe(true)
    }
    const seen = new Map<string, string>()
    const assignments = new Map<string, number[]>()
    let target = 30
    let enough = condition(() => seen.size >= target)
    for (const name of ['a', 'b', 'c']) {
      const consumer = env.kafka.consumer({ groupId: 'billing', ...FAST })
      consumers.push(consumer)
      consumer.on(consumer.events.GROUP_JOIN, (e) => assignments.set(name, e.payload.memberAssignment['orders'] ?? []))
      await consumer.connect()
      await consumer.subscribe({ topic: 'orders', fromBeginning: true })
      await consumer.run({
        eachMessage: async ({ message }: EachMessagePayload) => {
          const value = message.value!.toString()
          expect(seen.has(value), `${value} read twice`).toBe(false)
          seen.set(value, name)
          enough.check()
        },
      })
    }
    await sendBatch(0)
    await enough.promise
    expect(new Set(seen.values()).size).toBeGreaterThanOrEqual(2)

    const leaving = consumers.shift()!
    await leaving.disconnect()
    const rebalanced = condition(() => [...assignments].filter(([n]) => n !== 'a').flatMap(([, p]) => p).length === 6)
    for (const consumer of consumers) consumer.on(consumer.events.GROUP_JOIN, () => rebalanced.check())
    await rebalanced.promise
    target = 60
    enough = condition(() => seen.size >= target)
    await sendBatch(30)
    await enough.promise
    expect([...seen].filter(([v]) => Number(v.split('-')[1]) >= 30).every(([, n]) => n !== 'a')).toBe(true)
    await producer.disconnect()
  }, 60_000)

  it('seek re-reads from an offset, and a paused topic is not fetched until resumed', async () => {
    env = await tcpKafka({ numPartitions: 1 })
    const producer = env.kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'events', acks: -1, messages: Array.from({ length: 5 }, (_, i) => ({ value: `e${i}` })) })
    const consumer = env.kafka.consumer({ groupId: 'seeker', ...FAST })
    consumers.push(consumer)
    await consumer.connect()
    await consumer.subscribe({ topic: 'events', fromBeginning: true })
    const reads: string[] = []
    const firstPass = condition(() => reads.length === 5)
    const afterSeek = condition(() => reads.length === 8)
    const afterResume = condition(() => reads.includes('late'))
    await consumer.run({
      eachMessage: async ({ message }) => {
        reads.push(message.value!.toString())
        firstPass.check()
        afterSeek.check()
        afterResume.check()
      },
    })
    await firstPass.promise
    consumer.seek({ topic: 'events', partition: 0, offset: '2' })
    await afterSeek.promise
    expect(reads).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e2', 'e3', 'e4'])
    consumer.pause([{ topic: 'events' }])
    expect(consumer.paused()).toEqual([{ topic: 'events', partitions: [0] }])
    await producer.send({ topic: 'events', acks: -1, messages: [{ value: 'late' }] })
    const fetchesBefore = env.listener.requests['Fetch'] ?? 0
    await new Promise<void>((resolve) => consumer.on(consumer.events.FETCH, () => resolve()))
    expect(reads).not.toContain('late')
    expect((env.listener.requests['Fetch'] ?? 0)).toBeGreaterThanOrEqual(fetchesBefore)
    consumer.resume([{ topic: 'events' }])
    await afterResume.promise
    expect(reads.at(-1)).toBe('late')
    await producer.disconnect()
  }, 60_000)
})

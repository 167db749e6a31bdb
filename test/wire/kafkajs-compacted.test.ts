/**
 * The unmocked KafkaJS client over TCP on a compacted topic: it reads a cleaned log (offset gaps inside and between
 * batches) from the beginning and gets every surviving record at its offset, and a send without a key is refused
 * with INVALID_RECORD. Wall-clock time (the listener runs on the system clock); the cleaning is run directly.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { EachMessagePayload } from 'kafkajs'
import { brokerSideOf } from '../../src/cluster.js'
import { condition, tcpKafka, type TcpKafka } from './tcp-kafka.js'

let env: TcpKafka | undefined

afterEach(async () => {
  await env?.close()
  env = undefined
})

describe('KafkaJS over TCP: a compacted topic', () => {
  it('reads the survivors of a cleaning at their offsets, and a keyless send fails with INVALID_RECORD', async () => {
    env = await tcpKafka({ brokers: 1, defaultReplicationFactor: 1, minInsyncReplicas: 1 })
    const admin = env.kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'status', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'segment.bytes', value: '200' }] }] })
    await admin.disconnect()
    const producer = env.kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'status', messages: [{ key: 'a', value: '1' }, { key: 'b', value: '1' }, { key: 'a', value: '2' }] })
    await producer.send({ topic: 'status', messages: [{ key: 'b', value: '2' }, { key: 'c', value: '1' }] })
    await producer.send({ topic: 'status', messages: [{ key: 'a', value: '3' }] })
    await producer.send({ topic: 'status', messages: [{ key: 'z', value: 'active segment' }] })
    const error = await producer.send({ topic: 'status', messages: [{ value: 'no key' }] }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'KafkaJSProtocolError', type: 'INVALID_RECORD' })
    await producer.disconnect()
    const replica = brokerSideOf(env.cluster).broker(0).replica('status', 0)!
    expect(replica.applyCompaction()).toBe(true)
    expect(replica.log.read(0, Infinity, Infinity).map((r) => r.offset)).toEqual([3, 4, 5, 6])
    const consumer = env.kafka.consumer({ groupId: 'reader', maxWaitTimeInMs: 100 })
    const seen: string[] = []
    const done = condition(() => seen.length >= 4)
    await consumer.connect()
    await consumer.subscribe({ topics: ['status'], fromBeginning: true })
    await consumer.run({
      eachMessage: async ({ message }: EachMessagePayload) => {
        seen.push(`${message.offset}:${message.key!.toString()}=${message.value!.toString()}`)
        done.check()
      },
    })
    await done.promise
    await consumer.disconnect()
    expect(seen).toEqual(['3:b=2', '4:c=1', '5:a=3', '6:z=active segment'])
  }, 30_000)
})

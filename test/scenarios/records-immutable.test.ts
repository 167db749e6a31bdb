/**
 * Records are immutable once appended (issue 8, defect 6): Kafka's records are bytes on a disk and on a
 * wire, so neither the producer reusing its buffer after `send` resolves, nor a handler writing into
 * `message.value`, `message.key` or a header value, changes what anyone else reads.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, VirtualClock, logLevel, type KafkaMessage } from 'kafkalite'

describe('records are immutable once appended', () => {
  it('a producer mutating its buffer after send and a handler writing into a message leave other readers the original bytes', async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 3, clock, seed: 3, defaultReplicationFactor: 3 })
    const kafka = new Kafka({ clientId: 'immutable', cluster, logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await clock.run(admin.connect())
    await clock.run(admin.createTopics({ topics: [{ topic: 'payments', numPartitions: 1 }] }))

    const producer = kafka.producer()
    await clock.run(producer.connect())
    const key = Buffer.from('key-1')
    const value = Buffer.from('original value')
    const header = Buffer.from('header value')
    await clock.run(producer.send({ topic: 'payments', acks: -1, messages: [{ key, value, headers: { trace: header } }] }))
    // The producer reuses its buffers once send has resolved.
    key.fill(0x41)
    value.fill(0x42)
    header.fill(0x43)

    const readAll = async (groupId: string, vandalize: boolean): Promise<KafkaMessage[]> => {
      const consumer = kafka.consumer({ groupId })
      const seen: KafkaMessage[] = []
      await clock.run(consumer.connect())
      await clock.run(consumer.subscribe({ topics: ['payments'], fromBeginning: true }))
      await clock.run(
        consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(message)
            if (vandalize) {
              message.value!.fill(0x44)
              message.key!.fill(0x45)
              ;(message.headers!.trace as Buffer).fill(0x46)
            }
          },
        }),
      )
      await clock.runUntil(() => seen.length === 1)
      await clock.run(consumer.disconnect())
      return seen
    }

    const vandal = await readAll('vandal', true)
    expect(vandal[0]!.value!.toString()).toBe('D'.repeat('original value'.length))
    const [message] = await readAll('auditor', false)
    expect(message!.key!.toString()).toBe('key-1')
    expect(message!.value!.toString()).toBe('original value')
    expect((message!.headers!.trace as Buffer).toString()).toBe('header value')

    // Every replica holds the original bytes: a new leader serves them too.
    const leader = cluster.describe().partitions.find((p) => p.topic === 'payments')!.leader
    cluster.crashBroker(leader)
    const [afterFailover] = await readAll('after-failover', false)
    expect(afterFailover!.value!.toString()).toBe('original value')
    await clock.run(producer.disconnect())
    await clock.run(admin.disconnect())
  })
})

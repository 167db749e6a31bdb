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

  it("code writing through a pooled Buffer's whole ArrayBuffer does not reach the log's bytes", async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 1, clock, seed: 4 })
    const kafka = new Kafka({ clientId: 'pool', cluster, logLevel: logLevel.NOTHING })
    const producer = kafka.producer()
    await clock.run(producer.connect())
    await clock.run(producer.send({ topic: 'pool', messages: [{ key: 'key-1', value: 'original value', headers: { trace: 'header value' } }] }))
    // A Buffer from Node's shared pool, and a classic mistake: a view over its whole ArrayBuffer, byteOffset ignored.
    const pooled = Buffer.from('anything')
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length)
    new Uint8Array(pooled.buffer).fill(0x45)

    const consumer = kafka.consumer({ groupId: 'reader' })
    const seen: KafkaMessage[] = []
    await clock.run(consumer.connect())
    await clock.run(consumer.subscribe({ topics: ['pool'], fromBeginning: true }))
    await clock.run(consumer.run({ eachMessage: async ({ message }) => void seen.push(message) }))
    await clock.runUntil(() => seen.length === 1)
    expect(seen[0]!.key!.toString()).toBe('key-1')
    expect(seen[0]!.value!.toString()).toBe('original value')
    expect((seen[0]!.headers!.trace as Buffer).toString()).toBe('header value')
    await clock.run(cluster.close())
  })

  it("a handler's header values are its own memory: a write through a pooled Buffer's whole ArrayBuffer after the read changes none", async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 1, clock, seed: 5 })
    const kafka = new Kafka({ clientId: 'pool-reader', cluster, logLevel: logLevel.NOTHING })
    const producer = kafka.producer()
    await clock.run(producer.connect())
    await clock.run(producer.send({ topic: 'held', messages: [{ key: 'key-1', value: 'original value', headers: { trace: 'header value' } }] }))

    const consumer = kafka.consumer({ groupId: 'holder' })
    const seen: KafkaMessage[] = []
    await clock.run(consumer.connect())
    await clock.run(consumer.subscribe({ topics: ['held'], fromBeginning: true }))
    await clock.run(
      consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(message)
          // Other code in the process makes the classic mistake right after the message was handed out.
          const pooled = Buffer.from('anything')
          new Uint8Array(pooled.buffer).fill(0x45)
        },
      }),
    )
    await clock.runUntil(() => seen.length === 1)
    expect(seen[0]!.key!.toString()).toBe('key-1')
    expect(seen[0]!.value!.toString()).toBe('original value')
    expect((seen[0]!.headers!.trace as Buffer).toString()).toBe('header value')
    await clock.run(cluster.close())
  })
})

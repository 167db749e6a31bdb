/**
 * A user who creates `__consumer_offsets` themselves (Kafka allows it) still gets working groups:
 * the coordinator follows the topic's real partition count, as Kafka's GroupMetadataManager does.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, VirtualClock, logLevel } from 'kafkalite'

describe('a user-created __consumer_offsets', () => {
  it('with fewer partitions than offsets.topic.num.partitions: groups still consume and commit', async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 1, clock, seed: 5 })
    const kafka = new Kafka({ clientId: 't', cluster, logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await clock.run(admin.connect())
    await clock.run(admin.createTopics({ topics: [{ topic: '__consumer_offsets', numPartitions: 1 }, { topic: 'orders', numPartitions: 2 }] }))
    const producer = kafka.producer()
    await clock.run(producer.connect())
    await clock.run(producer.send({ topic: 'orders', messages: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }] }))
    const seen: string[] = []
    const consumer = kafka.consumer({ groupId: 'g1' })
    await clock.run(consumer.connect())
    await clock.run(consumer.subscribe({ topics: ['orders'], fromBeginning: true }))
    await clock.run(consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) }))
    await clock.runUntil(() => seen.length === 3)
    await clock.run(consumer.disconnect())
    const [offsets] = await clock.run(admin.fetchOffsets({ groupId: 'g1', topics: ['orders'] }))
    expect(offsets!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)).toBe(3)
    await clock.run(producer.disconnect())
    await clock.run(admin.disconnect())
  })
})

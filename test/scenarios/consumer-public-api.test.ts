/**
 * The consumer through kafkalite's public entry point, as an application uses it: a Kafka client
 * on a cluster on virtual time, an admin creating the topic, a producer, a consumer group that
 * stops and runs again, and the group as admin and describeGroup see it.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, VirtualClock, logLevel } from 'kafkalite'
import type { EachMessagePayload } from 'kafkalite'

describe('consumer through the public API', () => {
  it('produces, consumes, stops, runs again from the committed offsets, and describes its group', async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 3, clock, seed: 7, defaultReplicationFactor: 3 })
    const kafka = new Kafka({ clientId: 'shop', cluster, logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await clock.run(admin.connect())
    await clock.run(admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] }))

    const producer = kafka.producer()
    await clock.run(producer.connect())
    const send = (from: number, count: number) =>
      clock.run(producer.send({ topic: 'orders', messages: Array.from({ length: count }, (_, i) => ({ key: `order-${from + i}`, value: `${from + i}` })) }))
    await send(0, 9)

    const consumer = kafka.consumer({ groupId: 'inventory' })
    const seen: string[] = []
    const eachMessage = async ({ message }: EachMessagePayload) => void seen.push(message.value!.toString())
    await clock.run(consumer.connect())
    await clock.run(consumer.subscribe({ topics: ['orders'], fromBeginning: true }))
    await clock.run(consumer.run({ eachMessage }))
    await clock.runUntil(() => seen.length === 9)

    const described = await clock.run(consumer.describeGroup())
    expect(described).toMatchObject({ groupId: 'inventory', state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' })
    expect(described.members).toEqual([expect.objectContaining({ clientId: 'shop', clientHost: expect.any(String) })])

    await clock.run(consumer.stop())
    await send(9, 6)
    await clock.run(consumer.run({ eachMessage }))
    await clock.runUntil(() => seen.length === 15)
    await clock.advance(10_000)
    expect(seen.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i))

    const offsets = await clock.run(admin.fetchOffsets({ groupId: 'inventory', topics: ['orders'] }))
    const total = offsets[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0)
    expect(total).toBe(15)

    await clock.run(consumer.disconnect())
    expect((await clock.run(admin.describeGroups(['inventory']))).groups[0]!.state).toBe('Empty')
    await clock.run(producer.disconnect())
    await clock.run(admin.disconnect())
  })
})

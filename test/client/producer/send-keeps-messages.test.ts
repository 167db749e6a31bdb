import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, VirtualClock, logLevel } from 'kafkalite'

describe('producer.send keeps the messages it was given', () => {
  it('sends them even if the caller empties its array while metadata loads', async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 1, clock, seed: 5 })
    const kafka = new Kafka({ clientId: 'keeps', cluster, logLevel: logLevel.NOTHING })
    const producer = kafka.producer()
    await clock.run(producer.connect())
    const messages = [{ key: 'a', value: '1' }, { key: 'b', value: '2' }]
    const sent = producer.send({ topic: 'orders', messages })
    messages.length = 0
    const metadata = await clock.run(sent)
    expect(metadata.length).toBeGreaterThan(0)
    const admin = kafka.admin()
    await clock.run(admin.connect())
    const offsets = await clock.run(admin.fetchTopicOffsets('orders'))
    expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(2)
    await clock.run(cluster.close())
  })
})

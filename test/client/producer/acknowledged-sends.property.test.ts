import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Cluster } from '../../../src/cluster.js'
import { Kafka } from '../../../src/client/kafka.js'
import { VirtualClock } from '../../../src/time/virtual-clock.js'

async function threeBrokers(seed: number) {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: 3, clock, seed, minInsyncReplicas: 2 })
  const kafka = new Kafka({ clientId: 'failover', cluster, logLevel: 0 })
  const admin = kafka.admin()
  const producer = kafka.producer()
  await clock.run(admin.connect())
  await clock.run(producer.connect())
  await clock.run(admin.createTopics({ topics: [{ topic: 't', numPartitions: 3, replicationFactor: 3 }] }))
  return { clock, cluster, admin, producer }
}

describe('acknowledged sends survive a broker crash', () => {
  it('every acknowledged acks=all send is in the log at its base offset, whichever broker crashes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 2 }), fc.array(fc.nat(2), { minLength: 1, maxLength: 8 }), async (seed, victim, partitions) => {
        const { clock, cluster, admin, producer } = await threeBrokers(seed)
        const acked: Array<{ partition: number; offset: number }> = []
        for (const [i, partition] of partitions.entries()) {
          if (i === Math.floor(partitions.length / 2)) cluster.crashBroker(victim)
          const [meta] = await clock.run(producer.send({ topic: 't', messages: [{ value: `m${i}`, partition }] }))
          acked.push({ partition, offset: Number(meta!.baseOffset) })
        }
        const offsets = await clock.run(admin.fetchTopicOffsets('t'))
        for (const { partition, offset } of acked) expect(offset).toBeLessThan(Number(offsets.find((o) => o.partition === partition)!.high))
        // Offsets are never reused: each acknowledged send got its own.
        expect(new Set(acked.map((a) => `${a.partition}:${a.offset}`)).size).toBe(acked.length)
      }),
      { numRuns: 25 },
    )
  })
})

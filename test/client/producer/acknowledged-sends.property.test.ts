import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { threeBrokers } from './three-brokers.js'

describe('acknowledged sends survive a broker crash', () => {
  it('every acknowledged acks=all send is in the log at its base offset, whichever broker crashes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 2 }), fc.array(fc.nat(2), { minLength: 1, maxLength: 8 }), async (seed, victim, partitions) => {
        const { clock, cluster, kafka, admin, producer } = await threeBrokers(seed)
        const acked: Array<{ partition: number; offset: number; value: string }> = []
        for (const [i, partition] of partitions.entries()) {
          if (i === Math.floor(partitions.length / 2)) cluster.crashBroker(victim)
          const value = `m${i}`
          const [meta] = await clock.run(producer.send({ topic: 't', messages: [{ value, partition }] }))
          acked.push({ partition, offset: Number(meta!.baseOffset), value })
        }
        // Kafka creates __consumer_offsets only once offsets.topic.replication.factor (3) brokers are alive.
        cluster.restartBroker(victim)
        const highs = new Map((await clock.run(admin.fetchTopicOffsets('t'))).map((o) => [o.partition, Number(o.high)]))
        const log = new Map<string, string>()
        const reader = kafka.consumer({ groupId: `reader-${seed}` })
        await clock.run(reader.connect())
        await clock.run(reader.subscribe({ topics: ['t'], fromBeginning: true }))
        await clock.run(reader.run({ eachMessage: async ({ partition, message }) => void log.set(`${partition}:${message.offset}`, message.value!.toString()) }))
        const total = [...highs.values()].reduce((sum, high) => sum + high, 0)
        await clock.runUntil(() => log.size === total)
        await clock.run(reader.disconnect())
        for (const { partition, offset, value } of acked) expect(log.get(`${partition}:${offset}`), `partition ${partition} offset ${offset}`).toBe(value)
      }),
      { numRuns: 25 },
    )
  })
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { threeBrokers } from './three-brokers.js'

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

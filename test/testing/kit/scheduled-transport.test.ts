import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { withCluster } from 'kafkalite/testing'

describe('scheduledTransport', () => {
  it("fast-check's scheduler decides which of two racing sends is appended first, and both orders are explored", async () => {
    const orders = new Set<string>()
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), (s) =>
        withCluster(
          {
            brokers: 1,
            scheduler: s,
            setup: async (_cluster, kafka) => {
              const admin = kafka.admin()
              await admin.connect()
              await admin.createTopics({ topics: [{ topic: 't', numPartitions: 1 }], waitForLeaders: true })
              await admin.disconnect()
            },
          },
          async (_cluster, kafka) => {
            const [a, b] = [kafka.producer(), kafka.producer()]
            await Promise.all([a.connect(), b.connect()])
            const [ra, rb] = await Promise.all([
              a.send({ topic: 't', messages: [{ value: 'a', partition: 0 }] }),
              b.send({ topic: 't', messages: [{ value: 'b', partition: 0 }] }),
            ])
            const first = Number(ra[0]!.baseOffset) < Number(rb[0]!.baseOffset) ? 'a' : 'b'
            orders.add(first)
            expect([Number(ra[0]!.baseOffset), Number(rb[0]!.baseOffset)].sort()).toEqual([0, 1])
          },
        ),
      ),
      { numRuns: 30 },
    )
    expect([...orders].sort()).toEqual(['a', 'b'])
  })
})

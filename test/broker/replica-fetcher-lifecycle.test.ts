/**
 * Replica fetchers across crashes, restarts, isolation and heals, each landing while follower fetches are parked at
 * their leaders: afterwards every follower fetches from each leader at the steady idle rate (one long-poll per
 * replica.fetch.wait.max.ms), so no stopped fetcher keeps a round chain alive beside its replacement, and an acks=all
 * send still completes at once.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, VirtualClock, logLevel } from 'kafkalite'

describe('replica fetcher lifecycle', () => {
  it('leaves exactly one round chain per follower and leader after crashes, restarts, isolation and heals mid-round', async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 3, clock, seed: 11, defaultReplicationFactor: 3 })
    const kafka = new Kafka({ clientId: 'lifecycle', cluster, logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await clock.run(admin.connect())
    await clock.run(admin.createTopics({ topics: [{ topic: 'steady', numPartitions: 6 }] }))
    await clock.run(admin.disconnect())

    const fetchesOver = async (ms: number): Promise<number> => {
      const before = cluster.transport.stats.byApi.Fetch ?? 0
      await clock.advance(ms)
      return (cluster.transport.stats.byApi.Fetch ?? 0) - before
    }
    // A fetcher per follower and leader: each leader's partitions have two followers here (RF 3, all in the ISR).
    const fetcherPairs = (): number => {
      const pairs = new Set<string>()
      for (const p of cluster.describe().partitions) for (const id of p.isr) if (id !== p.leader) pairs.add(`${id}<-${p.leader}`)
      return pairs.size
    }
    await clock.advance(30_000)
    const baseline = (await fetchesOver(10_000)) / fetcherPairs()
    expect(baseline).toBeGreaterThan(0)

    // Each fault lands 250 ms into a 500 ms long-poll, so fetches are parked or in flight.
    cluster.crashBroker(1)
    await clock.advance(250)
    cluster.restartBroker(1)
    await clock.advance(250)
    cluster.isolateBroker(2)
    await clock.advance(250)
    cluster.heal()
    await clock.advance(120)
    cluster.crashBroker(0)
    cluster.restartBroker(0)
    await clock.advance(60_000)

    const after = (await fetchesOver(10_000)) / fetcherPairs()
    expect(after).toBeCloseTo(baseline, 0)

    const producer = kafka.producer()
    await clock.run(producer.connect())
    const started = clock.now()
    await clock.run(producer.send({ topic: 'steady', acks: -1, messages: [{ value: 'after the faults' }] }))
    expect(clock.now() - started).toBeLessThan(100)
    await clock.run(cluster.close())
  })
})

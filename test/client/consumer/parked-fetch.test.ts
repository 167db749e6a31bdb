/**
 * A consumer's fetch parks at the broker for up to `maxWaitTimeInMs`. Stopping the consumer, or a
 * rebalance of its group, must end that wait at once (a fetch may legally answer early and empty),
 * not when the long-poll or the next heartbeat would. On the virtual clock this is exact: the
 * long-poll is set far above the heartbeat interval, so neither can be what ends the wait.
 * test/scenarios/system-clock-latency.test.ts measures the same on the system clock.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, logLevel, VirtualClock, type Consumer } from 'kafkalite'

const LONG_POLL_MS = 60_000
const HEARTBEAT_MS = 10_000

function setUp(): { clock: VirtualClock; cluster: Cluster; kafka: Kafka } {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: 3, defaultReplicationFactor: 3, numPartitions: 6, clock, seed: 3 })
  return { clock, cluster, kafka: new Kafka({ clientId: 'parked', cluster, logLevel: logLevel.NOTHING }) }
}

async function running(clock: VirtualClock, kafka: Kafka, joins: number[]): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: 'g', maxWaitTimeInMs: LONG_POLL_MS, heartbeatInterval: HEARTBEAT_MS, sessionTimeout: 30_000 })
  consumer.on(consumer.events.GROUP_JOIN, () => joins.push(clock.now()))
  await clock.run(consumer.subscribe({ topics: ['orders'], fromBeginning: true }))
  await clock.run(consumer.run({ eachMessage: async () => undefined }))
  return consumer
}

/** Lets every fetch reach the broker and park there (no records come). */
async function parked(clock: VirtualClock): Promise<void> {
  await clock.advance(100)
}

describe('a parked fetch ends at once', () => {
  it('when its consumer disconnects: no virtual time passes, not maxWaitTimeInMs', async () => {
    const { clock, cluster, kafka } = setUp()
    const consumer = await running(clock, kafka, [])
    await parked(clock)
    const before = clock.now()
    await clock.run(consumer.disconnect())
    expect(clock.now() - before).toBe(0)
    await clock.run(cluster.close())
  })

  it("when its group starts rebalancing: a second member's join costs no long-poll and no heartbeat interval", async () => {
    const { clock, cluster, kafka } = setUp()
    const firstJoins: number[] = []
    await running(clock, kafka, firstJoins)
    await parked(clock)
    expect(firstJoins).toHaveLength(1)
    const before = clock.now()
    await running(clock, kafka, [])
    await clock.runUntil(() => firstJoins.length === 2)
    // The first member heard of the rebalance from its fetch's early answer, before any heartbeat was due.
    expect(firstJoins[1]! - before).toBeLessThan(HEARTBEAT_MS / 10)
    await clock.run(cluster.close())
  })
})

/**
 * On the system clock, as an app's test runs it: stopping a consumer and joining a group must cost
 * milliseconds, not a long-poll (`maxWaitTimeInMs`, 5 s by default). Wall time is the point here,
 * so it is measured; the bounds are generous for a loaded machine.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster, Kafka, logLevel, type Consumer } from 'kafkalite'

const clusters: Cluster[] = []
afterEach(async () => {
  await Promise.all(clusters.splice(0).map((c) => c.close()))
})

async function started(kafka: Kafka, groupId: string, seen: string[]): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId })
  await consumer.connect()
  await consumer.subscribe({ topics: ['orders'], fromBeginning: true })
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) })
  return consumer
}

function setUp(brokers: number): Kafka {
  const cluster = new Cluster({ brokers, defaultReplicationFactor: brokers, numPartitions: 6 })
  clusters.push(cluster)
  return new Kafka({ clientId: 'latency', cluster, logLevel: logLevel.NOTHING })
}

describe('on the system clock', () => {
  it('consumer.disconnect() ends its parked fetches at once (< 200 ms, not maxWaitTimeInMs)', async () => {
    const kafka = setUp(3)
    const seen: string[] = []
    const consumer = await started(kafka, 'g', seen)
    const started_ = performance.now()
    await consumer.disconnect()
    expect(performance.now() - started_).toBeLessThan(200)
  })

  it('a second member joins in < 500 ms: the first hears of the rebalance without waiting out its long-poll', async () => {
    const kafka = setUp(1)
    const first = await started(kafka, 'g', [])
    const joined: number[] = []
    first.on(first.events.GROUP_JOIN, () => joined.push(performance.now()))
    const before = performance.now()
    const second = await started(kafka, 'g', [])
    // run() resolves once the second member has its assignment, which needs the first to rejoin.
    expect(performance.now() - before).toBeLessThan(500)
    expect(joined.length).toBe(1)
    await Promise.all([first.disconnect(), second.disconnect()])
  })
})

import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, KafkaliteClusterClosedError, logLevel, VirtualClock } from 'kafkalite'

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  for (let e = error; e !== undefined && e !== null && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e)
  return chain
}

function replicated(clock: VirtualClock): { cluster: Cluster; kafka: Kafka } {
  const cluster = new Cluster({ brokers: 3, defaultReplicationFactor: 3, minInsyncReplicas: 2, clock, seed: 9 })
  return { cluster, kafka: new Kafka({ clientId: 'shop', cluster, logLevel: logLevel.NOTHING }) }
}

describe('Cluster.close()', () => {
  it('stops every broker timer and disconnects every client: nothing stays scheduled on the clock', async () => {
    const clock = new VirtualClock()
    const { cluster, kafka } = replicated(clock)
    const producer = kafka.producer()
    await clock.run(producer.connect())
    await clock.run(producer.send({ topic: 'orders', messages: [{ key: 'k', value: 'v' }] }))
    const consumer = kafka.consumer({ groupId: 'g' })
    const seen: string[] = []
    await clock.run(consumer.subscribe({ topics: ['orders'], fromBeginning: true }))
    await clock.run(consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) }))
    await clock.runUntil(() => seen.length === 1)
    const stopped: string[] = []
    consumer.on(consumer.events.STOP, () => stopped.push('consumer'))
    expect(clock.pendingTimers()).toBeGreaterThan(0)

    await clock.run(cluster.close())

    expect(stopped).toEqual(['consumer'])
    expect(clock.pendingTimers()).toBe(0)
    expect(cluster.closed).toBe(true)
  })

  it('is idempotent', async () => {
    const clock = new VirtualClock()
    const { cluster } = replicated(clock)
    const first = cluster.close()
    expect(cluster.close()).toBe(first)
    await clock.run(first)
    await clock.run(cluster.close())
  })

  it('makes a client used afterwards fail with KafkaliteClusterClosedError, not retry', async () => {
    const clock = new VirtualClock()
    const { cluster, kafka } = replicated(clock)
    const admin = kafka.admin()
    await clock.run(admin.createTopics({ topics: [{ topic: 'orders' }] }))
    await clock.run(cluster.close())
    // As KafkaJS's retrier, a non-retriable error reaches the caller as KafkaJSNonRetriableError, caused by the typed one.
    const listed = await clock.run(admin.listTopics()).catch((e: Error) => e)
    expect(causeChain(listed).some((e) => e instanceof KafkaliteClusterClosedError)).toBe(true)
    expect(String(listed)).toMatch(/cluster was closed/)
    const connected = await clock.run(kafka.producer().connect()).catch((e: Error) => e)
    expect(causeChain(connected).some((e) => e instanceof KafkaliteClusterClosedError)).toBe(true)
  })

  it('closes at the end of an `await using` scope', async () => {
    const clock = new VirtualClock()
    let outer: Cluster | undefined
    {
      await using cluster = new Cluster({ brokers: 3, clock })
      outer = cluster
      expect(cluster.closed).toBe(false)
    }
    expect(outer.closed).toBe(true)
    expect(clock.pendingTimers()).toBe(0)
  })
})

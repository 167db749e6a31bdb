/**
 * Teardown and rebalance costs on the system clock, as an app's test suite pays them: how long
 * `consumer.disconnect()` takes with a fetch parked at the broker, how long a second member's
 * join takes, and how long `cluster.close()` takes. Each used to wait out a 5 s long-poll.
 */
import { Cluster, Kafka, logLevel, VirtualClock, type Consumer } from '../src/index.js'

/** One measured figure, in milliseconds of wall time. */
export interface LifecycleFigure {
  name: string
  ms: number
}

async function running(kafka: Kafka, groupId: string): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId })
  await consumer.connect()
  await consumer.subscribe({ topics: ['lifecycle'], fromBeginning: true })
  await consumer.run({ eachMessage: async () => undefined })
  return consumer
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

/** Median of `rounds` runs of each figure, on a 3-broker replicated cluster with the default `maxWaitTimeInMs` (5000). */
export async function lifecycleFigures(rounds = 5): Promise<LifecycleFigure[]> {
  const disconnect: number[] = []
  const join: number[] = []
  const close: number[] = []
  for (let i = 0; i < rounds; i++) {
    const cluster = new Cluster({ brokers: 3, defaultReplicationFactor: 3, numPartitions: 6, seed: i + 1 })
    const kafka = new Kafka({ clientId: 'bench', cluster, logLevel: logLevel.NOTHING })
    const first = await running(kafka, 'g')
    // The second member stays in the group; close() below disconnects it.
    join.push(await timed(() => running(kafka, 'g')))
    disconnect.push(await timed(() => first.disconnect()))
    close.push(await timed(() => cluster.close()))
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  return [
    { name: 'consumer.disconnect() with a parked fetch', ms: median(disconnect) },
    { name: 'second member joins a running group', ms: median(join) },
    { name: 'cluster.close() with a consumer running', ms: median(close) },
  ]
}

/**
 * Wall time of a session-timeout rebalance on virtual time (3 brokers RF 3, 6 partitions): one of two members hangs in
 * its handler, so it stops heartbeating; the clock runs until the coordinator has expired it (`session.timeout.ms`
 * 10 s) and the other member owns all six partitions. Median of `rounds`, after one uncounted round (`cold`): as the
 * other figures, taken once the JIT has compiled the path (the first round of a process took 6-17 ms here, the later
 * ones 2-3 ms).
 */
export async function sessionTimeoutRebalance(rounds = 5): Promise<{ median: number; cold: number }> {
  const times: number[] = []
  for (let i = 0; i <= rounds; i++) {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 3, defaultReplicationFactor: 3, numPartitions: 6, clock, seed: i + 1 })
    const kafka = new Kafka({ clientId: 'bench', cluster, logLevel: logLevel.NOTHING })
    const owned = new Map<string, number>()
    let hang = false
    let release = (): void => undefined
    const hung = new Promise<void>((resolve) => (release = resolve))
    const members = ['a', 'b'].map((id) => {
      const consumer = kafka.consumer({ groupId: 'g', sessionTimeout: 10_000 })
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => owned.set(id, payload.memberAssignment['lifecycle']?.length ?? 0))
      return consumer
    })
    for (const [index, consumer] of members.entries()) {
      await clock.run(consumer.connect())
      await clock.run(consumer.subscribe({ topics: ['lifecycle'], fromBeginning: true }))
      // Member b hangs on its first message once `hang` is set, until released: no more heartbeats from it.
      await clock.run(consumer.run({ eachMessage: () => (index === 1 && hang ? hung : Promise.resolve()) }))
    }
    await clock.runUntil(() => owned.get('a') === 3 && owned.get('b') === 3)
    hang = true
    const producer = kafka.producer()
    await clock.run(producer.connect())
    await clock.run(producer.send({ topic: 'lifecycle', messages: Array.from({ length: 60 }, (_, n) => ({ key: `k${n}`, value: 'v' })) }))
    const start = performance.now()
    await clock.runUntil(() => owned.get('a') === 6)
    times.push(performance.now() - start)
    release()
    await clock.run(cluster.close())
  }
  const [cold, ...counted] = times
  return { median: counted.sort((a, b) => a - b)[Math.floor(counted.length / 2)]!, cold: cold! }
}

/** The figures as lines for `npm run bench`. */
export function formatLifecycle(figures: readonly LifecycleFigure[]): string {
  return ['\nsystem clock, 3 brokers, maxWaitTimeInMs 5000 (median of 5):', ...figures.map((f) => `  ${f.name.padEnd(44)} ${f.ms.toFixed(1).padStart(8)} ms`)].join('\n')
}

/**
 * Teardown and rebalance costs on the system clock, as an app's test suite pays them: how long
 * `consumer.disconnect()` takes with a fetch parked at the broker, how long a second member's
 * join takes, and how long `cluster.close()` takes. Each used to wait out a 5 s long-poll.
 */
import { Cluster, Kafka, logLevel, type Consumer } from '../src/index.js'

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

/** The figures as lines for `npm run bench`. */
export function formatLifecycle(figures: readonly LifecycleFigure[]): string {
  return ['\nsystem clock, 3 brokers, maxWaitTimeInMs 5000 (median of 5):', ...figures.map((f) => `  ${f.name.padEnd(44)} ${f.ms.toFixed(1).padStart(8)} ms`)].join('\n')
}

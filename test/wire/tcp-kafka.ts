/** A kafkalite cluster behind its wire listener and the real (unmocked) KafkaJS client pointed at it, for over-TCP tests. */
import { Kafka, logLevel } from 'kafkajs'
import { Cluster, type ClusterOptions } from '../../src/cluster.js'
import type { WireListener } from '../../src/wire/listener.js'

export interface TcpKafka {
  readonly cluster: Cluster
  readonly listener: WireListener
  readonly kafka: Kafka
  readonly logs: string[]
  close(): Promise<void>
}

/** Starts a cluster (system clock: TCP clients run on wall time) and its listener on free loopback ports. */
export async function tcpKafka(options: ClusterOptions = {}): Promise<TcpKafka> {
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1'
  const cluster = new Cluster({ brokers: 3, defaultReplicationFactor: 3, minInsyncReplicas: 2, seed: 5, ...options })
  const logs: string[] = []
  const listener = await cluster.listen({ port: 0, logLevel: 'warn', log: (level, line) => logs.push(`${level} ${line}`) })
  const kafka = new Kafka({
    clientId: 'tcp-test',
    brokers: [...listener.brokers],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 50, retries: 10 },
  })
  return { cluster, listener, kafka, logs, close: () => cluster.close() }
}

/** A promise resolved by `settle()` once `done()` is true: for waiting on consumer callbacks without timers. */
export function condition(done: () => boolean): { promise: Promise<void>; check: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  const check = () => {
    if (done()) resolve()
  }
  return { promise, check }
}

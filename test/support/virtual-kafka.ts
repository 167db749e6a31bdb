/**
 * A kafkalite cluster on a VirtualClock with a KafkaJS-compatible client and a History recorder: the set-up of the
 * guarantee properties and failover scenarios. The client reaches the cluster through a {@link ProduceTap}, so a
 * test can tell a failed send that certainly wrote nothing from one that may have.
 */
import { Cluster, History, Kafka, logLevel, VirtualClock, type Admin, type ClusterOptions, type RetryOptions } from 'kafkalite'
import { ProduceTap } from './produce-tap.js'

/** Options of {@link virtualKafka}: the cluster's, plus the client's. */
export interface VirtualKafkaOptions extends Omit<ClusterOptions, 'clock'> {
  /** The client's `requestTimeout` (default KafkaJS's 30000 ms). */
  requestTimeout?: number
  /** The client's `retry` (default KafkaJS's). */
  retry?: RetryOptions
}

/** A topic to create: KafkaJS's `ITopicConfig`, reduced to what the tests use. */
export interface TopicSpec {
  topic: string
  numPartitions: number
  replicationFactor?: number
  configEntries?: Array<{ name: string; value: string }>
}

export interface VirtualKafka {
  readonly clock: VirtualClock
  readonly cluster: Cluster
  readonly tap: ProduceTap
  readonly kafka: Kafka
  /** Records the run; its operations take their time from the virtual clock. */
  readonly history: History
  /** Drives the virtual clock until `promise` settles (at most `maxMs` of cluster time, default 10 minutes). */
  run<T>(promise: Promise<T>, maxMs?: number): Promise<T>
  /** A connected admin client, made once. */
  admin(): Promise<Admin>
  /** Creates topics and waits for their leaders. */
  createTopics(...topics: TopicSpec[]): Promise<void>
  /** Records a fault in the history (process `nemesis`), as Jepsen does. */
  fault(description: string): void
}

/** A cluster on virtual time (seeded with `options.seed`), a client through a tap, and an empty history. */
export function virtualKafka(options: VirtualKafkaOptions = {}): VirtualKafka {
  const { requestTimeout, retry, ...clusterOptions } = options
  const clock = new VirtualClock()
  const cluster = new Cluster({ ...clusterOptions, clock })
  const tap = new ProduceTap(cluster)
  const kafka = new Kafka({ clientId: 'guarantees', cluster: tap, logLevel: logLevel.NOTHING, requestTimeout, retry })
  const history = new History({ now: () => clock.now() })
  let admin: Admin | undefined
  const run = <T>(promise: Promise<T>, maxMs?: number): Promise<T> => clock.run(promise, maxMs === undefined ? {} : { maxMs })
  const vk: VirtualKafka = {
    clock,
    cluster,
    tap,
    kafka,
    history,
    run,
    async admin() {
      if (admin === undefined) {
        const made = kafka.admin()
        await run(made.connect())
        admin = made
      }
      return admin
    },
    async createTopics(...topics) {
      const a = await vk.admin()
      await run(a.createTopics({ topics, waitForLeaders: true }))
    },
    fault(description) {
      history.record({ type: 'fault', process: 'nemesis', description })
    },
  }
  return vk
}

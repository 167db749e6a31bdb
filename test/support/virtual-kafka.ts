/**
 * A kafkalite cluster on a VirtualClock that the test drives step by step (`clock.advance` between its steps), with
 * a KafkaJS-compatible client and the testing kit's `Recording`: the set-up of the step-driven guarantee properties
 * and failover scenarios. (`withCluster` is the kit's fixture for a body that runs on a driven clock; these tests
 * interleave their own clock steps with faults, so they drive it themselves.) The client reaches the cluster
 * through a {@link ProduceTap}, so a test can tell a failed send that certainly wrote nothing from one that may have.
 */
import { Cluster, Kafka, logLevel, VirtualClock, type Admin, type ClusterOptions, type Consumer, type ConsumerConfig, type Producer, type ProducerConfig, type RetryOptions } from 'kafkalite'
import { Recording, readFinalLog, recordConsumer, recordProducer, type Delivery, type FinalLog } from 'kafkalite/testing'
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

/** Options of {@link VirtualKafka.startRecordedConsumer}: the consumer's, and what it subscribes to. */
export interface RecordedMemberOptions extends Partial<ConsumerConfig> {
  groupId: string
  topics: string[]
  /** The history's process id of this member (its reads are checked for order as one consumer's). */
  process: string
}

/** A running group member whose deliveries, rebalances and commits the kit's `recordConsumer` records. */
export interface RecordedMember {
  readonly consumer: Consumer
  readonly process: string
  /** Every record it was given so far, in order. */
  reads(): Delivery[]
  /** CRASH events seen. */
  readonly crashes: number
}

export interface VirtualKafka {
  readonly clock: VirtualClock
  readonly cluster: Cluster
  readonly tap: ProduceTap
  readonly kafka: Kafka
  /** Records the run (the kit's recorders write to it); its operations take their time from the virtual clock. */
  readonly recording: Recording
  /** Drives the virtual clock until `promise` settles (at most `maxMs` of cluster time, default 10 minutes). */
  run<T>(promise: Promise<T>, maxMs?: number): Promise<T>
  /** A connected admin client, made once. */
  admin(): Promise<Admin>
  /** Creates topics and waits for their leaders. */
  createTopics(...topics: TopicSpec[]): Promise<void>
  /**
   * A connected producer whose sends the kit's `recordProducer` records under `process`; a failed send is `fail` when
   * the tap saw no attempt that may have written it, `info` otherwise.
   */
  recordedProducer(process: string, config?: ProducerConfig): Promise<Producer>
  /** Connects, subscribes (from the beginning) and runs a recorded member with autoCommit; resolves once it runs. */
  startRecordedConsumer(options: RecordedMemberOptions): Promise<RecordedMember>
  /** The kit's `readFinalLog` of `topics` at read_committed, its reads recorded in the history (for `drained` checks). */
  readFinalLog(...topics: string[]): Promise<FinalLog>
}

/** A cluster on virtual time (seeded with `options.seed`), a client through a tap, and an empty recording. */
export function virtualKafka(options: VirtualKafkaOptions = {}): VirtualKafka {
  const { requestTimeout, retry, ...clusterOptions } = options
  const clock = new VirtualClock()
  const cluster = new Cluster({ ...clusterOptions, clock })
  const tap = new ProduceTap(cluster)
  const kafka = new Kafka({ clientId: 'guarantees', cluster: tap, logLevel: logLevel.NOTHING, requestTimeout, retry })
  const recording = new Recording({ now: () => clock.now() })
  let admin: Admin | undefined
  const run = <T>(promise: Promise<T>, maxMs?: number): Promise<T> => clock.run(promise, maxMs === undefined ? {} : { maxMs })
  const vk: VirtualKafka = {
    clock,
    cluster,
    tap,
    kafka,
    recording,
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
    async recordedProducer(process, config = {}) {
      const producer = recordProducer(kafka.producer(config), recording, {
        process,
        wroteNothing: (topic, message) => !tap.mayHaveLanded(topic, message.value?.toString() ?? ''),
      })
      await run(producer.connect())
      return producer
    },
    async startRecordedConsumer({ topics, process, ...config }) {
      const consumer = recordConsumer(kafka.consumer(config), recording, { process })
      let crashes = 0
      consumer.on(consumer.events.CRASH, () => void crashes++)
      await run(consumer.connect())
      await run(consumer.subscribe({ topics, fromBeginning: true }))
      await run(consumer.run({ eachMessage: async () => undefined }))
      return {
        consumer,
        process,
        reads: () => recording.deliveries.filter((d) => d.member === process),
        get crashes() {
          return crashes
        },
      }
    },
    readFinalLog(...topics) {
      return run(readFinalLog(kafka, clock, topics, { isolation: 'read_committed', history: recording.history }))
    },
  }
  return vk
}

/**
 * The part of KafkaJS's public API the patterns layer uses, as structural types: kafkalite's own
 * `Kafka` satisfies them, and so does a real KafkaJS `Kafka`, so listeners, typed topics and the
 * dead-letter tools never depend on broker internals (DESIGN.md: patterns sit on the client).
 */
import type { KafkaMessage, ProducerRecord, RecordMetadata } from '../client/message-types.js'
import type { Clock } from '../time/clock.js'
import { SeededRandom } from '../time/seeded-random.js'
import { SystemClock } from '../time/system-clock.js'
import type { PartitionAssigner } from '../client/assigners/index.js'

/** Anything that sends records, as KafkaJS's `producer.send`. */
export interface MessageSender {
  send(record: ProducerRecord): Promise<RecordMetadata[]>
}

/** A KafkaJS producer, as far as the patterns use it. */
export interface ProducerLike extends MessageSender {
  connect(): Promise<void>
  disconnect(): Promise<void>
}

/** KafkaJS's `eachMessage` payload, as far as the patterns use it. */
export interface EachMessagePayloadLike {
  topic: string
  partition: number
  message: KafkaMessage
  heartbeat(): Promise<void>
}

/** KafkaJS's `consumer.run` config, as far as the patterns use it. */
export interface RunConfigLike {
  eachMessage: (payload: EachMessagePayloadLike) => Promise<void>
  partitionsConsumedConcurrently?: number
  autoCommit?: boolean
}

/** A KafkaJS consumer, as far as the patterns use it. */
export interface ConsumerLike {
  connect(): Promise<void>
  disconnect(): Promise<void>
  subscribe(subscription: { topics: string[]; fromBeginning?: boolean }): Promise<void>
  run(config: RunConfigLike): Promise<void>
  commitOffsets(offsets: Array<{ topic: string; partition: number; offset: string }>): Promise<void>
}

/** KafkaJS's `ConsumerConfig` fields the patterns pass through to the consumers they create. */
export interface ConsumerOptions {
  /** KafkaJS's default is round-robin, which ignores each member's own topics: listeners that share a group but read different topics want `range`. */
  partitionAssigners?: PartitionAssigner[]
  maxBytesPerPartition?: number
  sessionTimeout?: number
  rebalanceTimeout?: number
  heartbeatInterval?: number
  maxWaitTimeInMs?: number
  allowAutoTopicCreation?: boolean
  readUncommitted?: boolean
}

/** A KafkaJS admin, as far as the patterns use it. */
export interface AdminLike {
  connect(): Promise<void>
  disconnect(): Promise<void>
  listTopics(): Promise<string[]>
  fetchTopicMetadata(options: { topics: string[] }): Promise<{ topics: Array<{ name: string; partitions: Array<{ partitionId: number }> }> }>
  createTopics(options: { topics: Array<{ topic: string; numPartitions?: number; replicationFactor?: number }>; waitForLeaders?: boolean }): Promise<boolean>
  fetchTopicOffsets(topic: string): Promise<Array<{ partition: number; offset: string; high: string; low: string }>>
  fetchOffsets(options: { groupId: string; topics: string[] }): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>
  deleteGroups(groupIds: string[]): Promise<unknown>
}

/** A KafkaJS `Kafka`, as far as the patterns use it. */
export interface KafkaLike {
  producer(config?: { allowAutoTopicCreation?: boolean }): ProducerLike
  consumer(config: { groupId: string } & ConsumerOptions): ConsumerLike
  admin(): AdminLike
}

/** Where the patterns take time and randomness from. */
export interface TimeSource {
  /** The cluster's clock (pass a `VirtualClock` in tests); default: the client's, else the system clock. */
  clock?: Clock
  /** The cluster's seeded random, for backoff jitter; default: the client's, else a fresh generator. */
  random?: SeededRandom
  /** A cluster (or any connection with a clock and random): its clock and random become the defaults. */
  cluster?: { clock: Clock; random: SeededRandom }
}

/**
 * The clock and random the patterns use for a client: explicit options first, then the given
 * cluster's, then any `clock`/`random` the client itself exposes, then system time.
 */
export function resolveTime(kafka: KafkaLike, options: TimeSource = {}): { clock: Clock; random: SeededRandom } {
  const exposed = kafka as Partial<{ clock: Clock; random: SeededRandom }>
  return {
    clock: options.clock ?? options.cluster?.clock ?? exposed.clock ?? new SystemClock(),
    random: options.random ?? options.cluster?.random ?? exposed.random ?? new SeededRandom(),
  }
}

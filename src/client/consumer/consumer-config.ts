/**
 * The consumer's configuration with KafkaJS's option names and defaults (`kafka.consumer(config)`,
 * `consumer.subscribe(...)`, `consumer.run(...)`), and the checks KafkaJS makes on them.
 */
import type { PartitionAssigner } from '../assigners/index.js'
import { KafkaJSNonRetriableError } from '../errors.js'
import { checkNumber } from '../numeric-option.js'
import type { DeadLetterPolicy, RetryPolicy } from '../dead-letter/retry-policy.js'
import type { RetryOptions } from '../retry.js'
import type { EachBatchHandler, EachMessageHandler } from './handler-payloads.js'

/** KafkaJS's `ConsumerConfig`. */
export interface ConsumerConfig {
  /** The consumer group (required). */
  groupId: string
  /** Assignors in order of preference (default `[PartitionAssigners.roundRobin]`). */
  partitionAssigners?: PartitionAssigner[]
  /** Refresh metadata at least this often, ms (default 300000). */
  metadataMaxAge?: number
  /** The coordinator evicts a member silent for this long, ms (default 30000). */
  sessionTimeout?: number
  /** How long the coordinator waits for members to rejoin during a rebalance, ms (default 60000). */
  rebalanceTimeout?: number
  /** Heartbeat at most this often, ms (default 3000); must be below `sessionTimeout`. */
  heartbeatInterval?: number
  /** Bytes per partition per fetch (default 1048576). */
  maxBytesPerPartition?: number
  /** The broker waits for this many bytes before answering a fetch (default 1). */
  minBytes?: number
  /** Bytes per fetch (default 10485760). */
  maxBytes?: number
  /** Longest the broker holds a fetch waiting for `minBytes`, ms (default 5000). */
  maxWaitTimeInMs?: number
  retry?: RetryOptions
  /** Let metadata requests create subscribed topics (default true). */
  allowAutoTopicCreation?: boolean
  /** Accepted for compatibility; in-process requests are not queued per connection. */
  maxInFlightRequests?: number
  /** Read records of open and aborted transactions too (default false: read_committed). */
  readUncommitted?: boolean
  /** Accepted for compatibility; kafkalite always fetches from the leader. */
  rackId?: string
  /**
   * Makes this consumer a static member of its group (Kafka's `group.instance.id`, KIP-345; not a
   * KafkaJS option, Confluent's KafkaJS-compatible client takes it as librdkafka's `group.instance.id`).
   * A static member keeps its assignment across a restart within `sessionTimeout` without a
   * rebalance, and does not leave the group on `disconnect()`: the session timeout removes it. A
   * second consumer with the same id takes the place over; the first crashes with FENCED_INSTANCE_ID.
   * Unique per group; default none (a dynamic member).
   */
  groupInstanceId?: string
}

/** KafkaJS's `ConsumerRunConfig`. */
export interface ConsumerRunConfig {
  /** Commit resolved offsets after each batch (default true). */
  autoCommit?: boolean
  /** Also commit every this many ms while processing (default null: after each batch only). */
  autoCommitInterval?: number | null
  /** Also commit after this many resolved messages (default null). */
  autoCommitThreshold?: number | null
  /** Resolve the batch's last offset when `eachBatch` returns (default true). */
  eachBatchAutoResolve?: boolean
  /** How many partitions are processed at once (default 1). */
  partitionsConsumedConcurrently?: number
  eachBatch?: EachBatchHandler
  eachMessage?: EachMessageHandler
  /**
   * Blocking retries of a failed `eachMessage` (issue 4, Spring Kafka's `DefaultErrorHandler`; not in
   * KafkaJS): `attempts` in all, exponential backoff with jitter on the cluster clock, each attempt
   * bounded by `timeoutMs` (the payload's `signal` aborts). Without `deadLetter`, a record whose
   * attempts run out goes to KafkaJS's retry-then-crash path. `eachMessage` only.
   */
  retry?: RetryPolicy
  /**
   * Where a record goes once its attempts run out or its error is not retryable (Spring's
   * `DeadLetterPublishingRecoverer`): `topic` (default `${topic}-dlt`), with the record's key, value
   * and headers plus Spring's `kafka_dlt-*` headers, written with acks=all before its offset is
   * resolved. `eachMessage` only.
   */
  deadLetter?: DeadLetterPolicy
}

/** `consumer.subscribe`'s argument: `topics` (or the deprecated `topic`), names or RegExps. */
export type ConsumerSubscribeTopics =
  | { topics: Array<string | RegExp>; fromBeginning?: boolean }
  | { topic: string | RegExp; fromBeginning?: boolean }

/** The consumer's settings with KafkaJS's defaults filled in. */
export type ResolvedConsumerConfig = Required<Omit<ConsumerConfig, 'partitionAssigners' | 'retry' | 'maxInFlightRequests' | 'groupInstanceId'>> &
  Pick<ConsumerConfig, 'retry' | 'maxInFlightRequests' | 'groupInstanceId'>

const DEFAULTS = {
  metadataMaxAge: 300_000,
  sessionTimeout: 30_000,
  rebalanceTimeout: 60_000,
  heartbeatInterval: 3_000,
  maxBytesPerPartition: 1_048_576,
  minBytes: 1,
  maxBytes: 10_485_760,
  maxWaitTimeInMs: 5_000,
  allowAutoTopicCreation: true,
  readUncommitted: false,
  rackId: '',
} as const

/**
 * The shortest a fetch waits at the broker when nothing is there. Kafka accepts `fetch.max.wait.ms` = 0 (the broker
 * answers at once) and the client asks again after a network round trip; kafkalite's in-process network has none, so
 * an idle consumer would fetch tens of thousands of times per second of cluster time. A fetch still returns as soon as
 * a record arrives (docs/semantics.md).
 */
export const MIN_FETCH_WAIT_MS = 10

const NUMERIC: ReadonlyArray<keyof typeof DEFAULTS> = [
  'metadataMaxAge',
  'sessionTimeout',
  'rebalanceTimeout',
  'heartbeatInterval',
  'maxBytesPerPartition',
  'minBytes',
  'maxBytes',
  'maxWaitTimeInMs',
]

/** Fills in KafkaJS's defaults and rejects what KafkaJS rejects (and negative or non-numeric sizes and times). */
export function resolveConsumerConfig(config: ConsumerConfig): ResolvedConsumerConfig {
  if (config === undefined || config === null || typeof config.groupId !== 'string' || config.groupId === '') {
    throw new KafkaJSNonRetriableError('Consumer groupId must be a non-empty string.')
  }
  const defined = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as ConsumerConfig
  const resolved = { ...DEFAULTS, ...defined } as ResolvedConsumerConfig & { partitionAssigners?: unknown }
  delete resolved.partitionAssigners
  // Each is an INT32 in Kafka (session.timeout.ms, fetch.max.wait.ms, ...); metadata.max.age.ms is capped alike, a wait that long is no refresh.
  for (const name of NUMERIC) checkNumber(`Consumer ${name}`, resolved[name])
  // Kafka's JoinGroupRequest.validateGroupInstanceId: a non-empty legal name of at most 249 characters.
  const { groupInstanceId } = resolved
  if (groupInstanceId !== undefined && (typeof groupInstanceId !== 'string' || !/^[a-zA-Z0-9._-]{1,249}$/.test(groupInstanceId))) {
    throw new KafkaJSNonRetriableError(
      `Consumer groupInstanceId ${JSON.stringify(groupInstanceId)} is illegal: it must be 1 to 249 characters of ASCII alphanumerics, '.', '_' and '-'`,
    )
  }
  if (resolved.heartbeatInterval >= resolved.sessionTimeout) {
    throw new KafkaJSNonRetriableError(
      `Consumer heartbeatInterval (${resolved.heartbeatInterval}) must be lower than sessionTimeout (${resolved.sessionTimeout}). It is recommended to set heartbeatInterval to approximately a third of the sessionTimeout.`,
    )
  }
  return resolved
}

/** Checks `run`'s options; KafkaJS accepts any values here, kafkalite rejects the ones that cannot work. */
export function validateRunConfig(config: ConsumerRunConfig): void {
  const { partitionsConsumedConcurrently, autoCommitInterval, autoCommitThreshold } = config
  if (partitionsConsumedConcurrently !== undefined) checkNumber('partitionsConsumedConcurrently', partitionsConsumedConcurrently, { min: 1, integer: true })
  // Java's auto.commit.interval.ms is an INT32.
  if (autoCommitInterval !== undefined && autoCommitInterval !== null) checkNumber('autoCommitInterval (null, or ms)', autoCommitInterval)
  if (autoCommitThreshold !== undefined && autoCommitThreshold !== null) checkNumber('autoCommitThreshold (null, or a count)', autoCommitThreshold)
  if (config.eachMessage !== undefined && typeof config.eachMessage !== 'function') throw new KafkaJSNonRetriableError('eachMessage must be a function')
  if (config.eachBatch !== undefined && typeof config.eachBatch !== 'function') throw new KafkaJSNonRetriableError('eachBatch must be a function')
}

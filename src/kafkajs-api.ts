/**
 * The named exports of `kafkalite/kafkajs`, a drop-in for the `kafkajs` package. It exports what KafkaJS 2.2.x exports,
 * and its `Kafka` accepts KafkaJS's config (`brokers` included) and talks to one process-wide
 * default cluster, so an app written for KafkaJS runs unchanged:
 *
 * ```ts
 * vi.mock('kafkajs', () => import('kafkalite/kafkajs'))
 * beforeEach(() => resetDefaultCluster())
 * ```
 */
import { Cluster, Kafka as ClusterKafka, type ClusterOptions, type KafkaConfig } from 'kafkalite'
import type { ClusterConnection } from './client/cluster/cluster-connection.js'

let defaultOptions: ClusterOptions = {}
let defaultCluster: Cluster | undefined

/** The process-wide default cluster (created on first use: 1 broker, SystemClock, unless `resetDefaultCluster` said otherwise). */
export function getDefaultCluster(): Cluster {
  defaultCluster ??= new Cluster(defaultOptions)
  return defaultCluster
}

/**
 * Starts a fresh default cluster (no topics, groups or offsets), e.g. in `beforeEach`. `options`
 * configure it and every later default cluster (brokers, clock, seed, topic defaults).
 * Clients keep working: their requests go to the new cluster, which they rediscover through
 * metadata as after a failover; timers they already scheduled stay on the old cluster's clock.
 */
export function resetDefaultCluster(options?: ClusterOptions): Cluster {
  if (options !== undefined) defaultOptions = options
  defaultCluster = new Cluster(defaultOptions)
  return defaultCluster
}

/** A connection that always leads to the current default cluster, so a module-level `new Kafka()` survives resets. */
const defaultConnection: ClusterConnection = {
  get transport() {
    return getDefaultCluster().transport
  },
  get clock() {
    return getDefaultCluster().clock
  },
  get random() {
    return getDefaultCluster().random
  },
  brokerIds: () => getDefaultCluster().brokerIds(),
}

/**
 * KafkaJS's `Kafka`. `brokers` is accepted and ignored: every client connects to the default
 * cluster (or to `cluster`, if given).
 */
export class Kafka extends ClusterKafka {
  constructor(config: KafkaConfig) {
    super({ ...config, cluster: config?.cluster ?? defaultConnection })
  }
}

// Everything below is re-exported from the package's main entry point (not from the modules
// behind it), so that both entry points share one copy of the library in ESM and in CommonJS:
// an error thrown by a `kafkalite/kafkajs` client is `instanceof` the class `kafkalite` exports.
export type {
  KafkaConfig,
  ClusterOptions,
  ICustomPartitioner,
  PartitionerArgs,
  PartitionMetadata,
  Assigner,
  PartitionAssigner,
  LogCreator,
  LogEntry,
  Logger,
  IHeaders,
  KafkaMessage,
  Message,
  ProducerBatch,
  ProducerRecord,
  RecordMetadata,
  TopicMessages,
  Producer,
  ProducerConfig,
  Transaction,
  Consumer,
  ConsumerConfig,
  ConsumerRunConfig,
  ConsumerSubscribeTopics,
  EachBatchPayload,
  EachMessagePayload,
  Admin,
  AdminConfig,
  ITopicConfig,
  ITopicMetadata,
  SeekEntry,
  RetryOptions,
  InstrumentationEvent,
  RemoveInstrumentationEventListener,
} from 'kafkalite'
export {
  Partitioners,
  PartitionAssigners,
  AssignerProtocol,
  logLevel,
  CompressionTypes,
  CompressionCodecs,
  ConfigResourceTypes,
  AclResourceTypes,
  AclOperationTypes,
  AclPermissionTypes,
  ResourcePatternTypes,
  ConfigSource,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSPartialMessageError,
  KafkaJSBrokerNotFound,
  KafkaJSProtocolError,
  KafkaJSConnectionError,
  KafkaJSConnectionClosedError,
  KafkaJSRequestTimeoutError,
  KafkaJSSASLAuthenticationError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSOffsetOutOfRange,
  KafkaJSMemberIdRequired,
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSNotImplemented,
  KafkaJSMetadataNotLoaded,
  KafkaJSTopicMetadataNotLoaded,
  KafkaJSStaleTopicMetadataAssignment,
  KafkaJSDeleteGroupsError,
  KafkaJSTimeout,
  KafkaJSLockTimeout,
  KafkaJSServerDoesNotSupportApiKey,
  KafkaJSUnsupportedMagicByteInMessageSet,
  KafkaJSDeleteTopicRecordsError,
  KafkaJSInvariantViolation,
  KafkaJSInvalidVarIntError,
  KafkaJSInvalidLongError,
  KafkaJSCreateTopicError,
  KafkaJSAggregateError,
  KafkaJSFetcherRebalanceError,
  KafkaJSNoBrokerAvailableError,
  KafkaJSAlterPartitionReassignmentsError,
} from 'kafkalite'

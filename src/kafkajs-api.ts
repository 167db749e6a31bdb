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
import { Cluster, type ClusterOptions } from './cluster.js'
import type { ClusterConnection } from './client/cluster/cluster-connection.js'
import { Kafka as ClusterKafka, type KafkaConfig } from './client/kafka.js'

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

export type { KafkaConfig } from './client/kafka.js'
export type { ClusterOptions } from './cluster.js'
export { Partitioners } from './client/partitioners/index.js'
export type { ICustomPartitioner, PartitionerArgs, PartitionMetadata } from './client/partitioners/index.js'
export { PartitionAssigners, AssignerProtocol } from './client/assigners/index.js'
export type { Assigner, PartitionAssigner } from './client/assigners/index.js'
export { logLevel } from './client/logger.js'
export type { LogCreator, LogEntry, Logger } from './client/logger.js'
export { CompressionTypes } from './client/message-types.js'
export type { IHeaders, KafkaMessage, Message, ProducerBatch, ProducerRecord, RecordMetadata, TopicMessages } from './client/message-types.js'
export { CompressionCodecs } from './client/producer/compression.js'
export { ConfigResourceTypes, AlterConfigOpTypes, AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes, ConfigSource } from './client/admin/resource-types.js'
export type { Producer, ProducerConfig } from './client/producer/producer.js'
export type { Transaction } from './client/producer/transaction.js'
export type { Consumer } from './client/consumer/consumer.js'
export type { ConsumerConfig, ConsumerRunConfig, ConsumerSubscribeTopics } from './client/consumer/consumer-config.js'
export type { EachBatchPayload, EachMessagePayload } from './client/consumer/handler-payloads.js'
export type { Admin, AdminConfig } from './client/admin/admin.js'
export type { AclEntry, AclFilter, DeleteAclResponse, DescribeAclResponse, AlterConfigsResult, IncrementalResourceConfig, IResourceConfig, ITopicConfig, ITopicMetadata, SeekEntry } from './client/admin/admin-types.js'
export type { RetryOptions } from './client/retry.js'
export type { InstrumentationEvent, RemoveInstrumentationEventListener } from './client/instrumentation/instrumentation-emitter.js'
export {
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
} from './client/errors.js'


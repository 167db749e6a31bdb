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
import type { ClientContext } from './client/client-context.js'
import { Kafka as ClusterKafka, type KafkaConfig } from './client/kafka.js'

let defaultCluster: Cluster | undefined

/** The process-wide default cluster (created on first use with the defaults: 1 broker, SystemClock). */
export function getDefaultCluster(): Cluster {
  defaultCluster ??= new Cluster()
  return defaultCluster
}

/**
 * Isolates tests, e.g. `beforeEach(() => resetDefaultCluster())`: closes the current default
 * cluster and everything on it (its clients are disconnected; one used again fails with
 * `KafkaliteClusterClosedError`), and starts a fresh one (no topics, groups or offsets) from
 * `options` alone: nothing, the clock included, carries over from an earlier reset. A module-level
 * `new Kafka()` survives: clients it makes afterwards connect to the new cluster.
 */
export function resetDefaultCluster(options: ClusterOptions = {}): Cluster {
  // close() shuts the network and the brokers at once; only the disconnects of the old clients run on.
  void defaultCluster?.close()
  defaultCluster = new Cluster(options)
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
 * cluster of the moment it is made (or to `cluster`, if given), and stays with that cluster.
 */
export class Kafka extends ClusterKafka {
  private readonly onDefaultCluster: boolean

  constructor(config: KafkaConfig) {
    super({ ...config, cluster: config?.cluster ?? defaultConnection })
    this.onDefaultCluster = config?.cluster === undefined || config.cluster === null
  }

  /** A client belongs to the default cluster it was made on: a reset closes it with that cluster instead of moving it into the next test. */
  protected override clientContext(): ClientContext {
    const context = super.clientContext()
    return this.onDefaultCluster ? { ...context, connection: getDefaultCluster() } : context
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
export { ConfigResourceTypes, AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes, ConfigSource } from './client/admin/resource-types.js'
export type { Producer, ProducerConfig } from './client/producer/producer.js'
export type { Transaction } from './client/producer/transaction.js'
export type { Consumer } from './client/consumer/consumer.js'
export type { ConsumerConfig, ConsumerRunConfig, ConsumerSubscribeTopics } from './client/consumer/consumer-config.js'
export type { EachBatchPayload, EachMessagePayload } from './client/consumer/handler-payloads.js'
export type { Admin, AdminConfig } from './client/admin/admin.js'
export type { ITopicConfig, ITopicMetadata, SeekEntry } from './client/admin/admin-types.js'
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


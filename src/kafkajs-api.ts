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
import { Cluster, Kafka as ClusterKafka, type ClientContext, type ClusterOptions, type KafkaConfig } from 'kafkalite'
import type { ClientBootstrap } from './client/network/client-bootstrap.js'

let defaultCluster: Cluster | undefined

/** The process-wide default cluster (created on first use with the defaults: 1 broker, SystemClock). */
export function getDefaultCluster(): Cluster {
  defaultCluster ??= new Cluster()
  return defaultCluster
}

/**
 * Isolates tests, e.g. `beforeEach(() => resetDefaultCluster())`: closes the current default
 * cluster and everything on it (its clients are disconnected; one connected again fails, with a
 * `KafkaliteClusterClosedError` as the error's `cause`), and starts a fresh one (no topics, groups or offsets) from
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
const defaultConnection: ClientBootstrap = {
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
  AclEntry,
  AclFilter,
  AlterConfigsResult,
  DeleteAclResponse,
  DescribeAclResponse,
  IncrementalResourceConfig,
  IResourceConfig,
  ITopicConfig,
  ITopicMetadata,
  ListPartitionReassignmentsResponse,
  PartitionReassignment,
  SeekEntry,
  TopicPartitions,
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
  AlterConfigOpTypes,
  ElectionTypes,
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

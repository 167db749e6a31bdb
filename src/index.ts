/**
 * kafkalite: an embedded, in-process Kafka with a KafkaJS-compatible client.
 *
 * ```ts
 * import { Cluster, Kafka } from 'kafkalite'
 * const cluster = new Cluster({ brokers: 3 })
 * const kafka = new Kafka({ clientId: 'shop', cluster })
 * ```
 */
export { Cluster, type ClusterOptions } from './cluster.js'
export type { ConsoleHandle, ConsoleNoteOptions, ConsoleOptions } from './console/index.js'
export type { CrashOptions } from './broker/broker-fleet.js'
export type { ListenOptions, ListenSaslOptions, ListenTlsOptions, WireListener } from './wire/listener.js'
export type { SaslMechanism } from './wire/sasl.js'
export type { WireLogLevel, WireLogSink } from './wire/wire-logger.js'
export type { ClusterDescription, BrokerDescription, PartitionDescription, ReplicaDescription, TransactionDescription } from './broker/cluster-description.js'
export type { TransactionState } from './broker/transaction/transaction-metadata.js'
export { KafkaliteClusterError, UnknownBrokerError, BrokerStateError, InvalidClusterOptionError, InvariantViolationError } from './broker/cluster-errors.js'

export { Kafka, type KafkaConfig } from './client/kafka.js'
export type { ClientContext } from './client/client-context.js'
export type { ClientBootstrap, TrackedClient } from './client/network/client-bootstrap.js'
export { Producer, type ProducerConfig } from './client/producer/producer.js'
export type { Transaction } from './client/producer/transaction.js'
export * from './client/consumer/index.js'
export { Admin, type AdminConfig } from './client/admin/admin.js'
export type {
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
} from './client/admin/admin-types.js'
export { murmur2, toPositive } from './client/murmur2.js'
export { Partitioners, type ICustomPartitioner, type PartitionerArgs, type PartitionMetadata } from './client/partitioners/index.js'
export { PartitionAssigners, AssignerProtocol, MemberAssignment, MemberMetadata } from './client/assigners/index.js'
export type { Assigner, PartitionAssigner } from './client/assigners/index.js'
export { logLevel, type LogCreator, type LogEntry, type Logger, type LogLevel } from './client/logger.js'
export {
  CompressionTypes,
  type IHeaders,
  type KafkaMessage,
  type Message,
  type ProducerBatch,
  type ProducerRecord,
  type RecordBatchContext,
  type RecordMetadata,
  type TopicMessages,
} from './client/message-types.js'
export { CompressionCodecs } from './client/producer/compression.js'
export { ElectionTypes } from './client/admin/reassignment-admin.js'
export { ConfigResourceTypes, ConfigSource, AlterConfigOpTypes, AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes } from './client/admin/resource-types.js'
export type { RetryOptions } from './client/retry.js'
export type { InstrumentationEvent, RemoveInstrumentationEventListener } from './client/instrumentation/instrumentation-emitter.js'
export * from './client/errors.js'
export { KafkaliteClusterClosedError } from './client/network/cluster-closed-error.js'

export { SystemClock, VirtualClock, VirtualTimeoutError, SeededRandom, type Clock, type TimerHandle, type RunOptions, type VirtualClockOptions, type IdleWarningOptions } from './time/index.js'
export { InProcessTransport, InvalidHookError, type HookAction, type HookHandle, type HookMatch, type RequestHook } from './transport/index.js'
export type { ApiName, Endpoint } from './protocol/api.js'
export { Errors as KafkaErrors, errorForCode, type KafkaErrorCode, type ErrorName } from './protocol/error-codes.js'

export * from './testing/history/index.js'
export * from './client/dead-letter/index.js'
export * from './patterns/index.js'

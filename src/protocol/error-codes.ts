/**
 * Kafka's error codes, with the names, numbers and retriable flags of Apache Kafka's
 * `org.apache.kafka.common.protocol.Errors`. Brokers answer with these codes, never with
 * exceptions, exactly as on the wire; clients turn them into KafkaJS error classes.
 */

/** One of Kafka's protocol errors. */
export interface KafkaErrorCode {
  readonly type: string
  readonly code: number
  readonly retriable: boolean
  readonly message: string
}

function e(type: string, code: number, retriable: boolean, message: string): KafkaErrorCode {
  return Object.freeze({ type, code, retriable, message })
}

/** Kafka's errors by name. */
export const Errors = {
  UNKNOWN_SERVER_ERROR: e('UNKNOWN_SERVER_ERROR', -1, false, 'The server experienced an unexpected error when processing the request'),
  NONE: e('NONE', 0, false, ''),
  OFFSET_OUT_OF_RANGE: e('OFFSET_OUT_OF_RANGE', 1, false, 'The requested offset is not within the range of offsets maintained by the server'),
  CORRUPT_MESSAGE: e('CORRUPT_MESSAGE', 2, true, 'This message has failed its CRC checksum, exceeds the valid size, or is otherwise corrupt'),
  UNKNOWN_TOPIC_OR_PARTITION: e('UNKNOWN_TOPIC_OR_PARTITION', 3, true, 'This server does not host this topic-partition'),
  INVALID_FETCH_SIZE: e('INVALID_FETCH_SIZE', 4, false, 'The requested fetch size is invalid'),
  LEADER_NOT_AVAILABLE: e('LEADER_NOT_AVAILABLE', 5, true, 'There is no leader for this topic-partition as we are in the middle of a leadership election'),
  NOT_LEADER_OR_FOLLOWER: e('NOT_LEADER_OR_FOLLOWER', 6, true, 'For requests intended only for the leader, this error indicates that the broker is not the current leader'),
  REQUEST_TIMED_OUT: e('REQUEST_TIMED_OUT', 7, true, 'The request timed out'),
  BROKER_NOT_AVAILABLE: e('BROKER_NOT_AVAILABLE', 8, false, 'The broker is not available'),
  REPLICA_NOT_AVAILABLE: e('REPLICA_NOT_AVAILABLE', 9, true, 'The replica is not available for the requested topic-partition'),
  MESSAGE_TOO_LARGE: e('MESSAGE_TOO_LARGE', 10, false, 'The request included a message larger than the max message size the server will accept'),
  STALE_CONTROLLER_EPOCH: e('STALE_CONTROLLER_EPOCH', 11, false, 'The controller moved to another broker'),
  OFFSET_METADATA_TOO_LARGE: e('OFFSET_METADATA_TOO_LARGE', 12, false, 'The metadata field of the offset request was too large'),
  NETWORK_EXCEPTION: e('NETWORK_EXCEPTION', 13, true, 'The server disconnected before a response was received'),
  COORDINATOR_LOAD_IN_PROGRESS: e('COORDINATOR_LOAD_IN_PROGRESS', 14, true, 'The coordinator is loading and hence cannot process requests'),
  COORDINATOR_NOT_AVAILABLE: e('COORDINATOR_NOT_AVAILABLE', 15, true, 'The coordinator is not available'),
  NOT_COORDINATOR: e('NOT_COORDINATOR', 16, true, 'This is not the correct coordinator'),
  INVALID_TOPIC_EXCEPTION: e('INVALID_TOPIC_EXCEPTION', 17, false, 'The request attempted to perform an operation on an invalid topic'),
  RECORD_LIST_TOO_LARGE: e('RECORD_LIST_TOO_LARGE', 18, false, 'The request included message batch larger than the configured segment size on the server'),
  NOT_ENOUGH_REPLICAS: e('NOT_ENOUGH_REPLICAS', 19, true, 'Messages are rejected since there are fewer in-sync replicas than required'),
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: e('NOT_ENOUGH_REPLICAS_AFTER_APPEND', 20, true, 'Messages are written to the log, but to fewer in-sync replicas than required'),
  INVALID_REQUIRED_ACKS: e('INVALID_REQUIRED_ACKS', 21, false, 'Produce request specified an invalid value for required acks'),
  ILLEGAL_GENERATION: e('ILLEGAL_GENERATION', 22, false, 'Specified group generation id is not valid'),
  INCONSISTENT_GROUP_PROTOCOL: e('INCONSISTENT_GROUP_PROTOCOL', 23, false, "The group member's supported protocols are incompatible with those of existing members"),
  INVALID_GROUP_ID: e('INVALID_GROUP_ID', 24, false, 'The configured groupId is invalid'),
  UNKNOWN_MEMBER_ID: e('UNKNOWN_MEMBER_ID', 25, false, 'The coordinator is not aware of this member'),
  INVALID_SESSION_TIMEOUT: e('INVALID_SESSION_TIMEOUT', 26, false, 'The session timeout is not within the range allowed by the broker (group.min.session.timeout.ms and group.max.session.timeout.ms)'),
  REBALANCE_IN_PROGRESS: e('REBALANCE_IN_PROGRESS', 27, false, 'The group is rebalancing, so a rejoin is needed'),
  INVALID_COMMIT_OFFSET_SIZE: e('INVALID_COMMIT_OFFSET_SIZE', 28, false, 'The committing offset data size is not valid'),
  TOPIC_AUTHORIZATION_FAILED: e('TOPIC_AUTHORIZATION_FAILED', 29, false, 'Topic authorization failed'),
  GROUP_AUTHORIZATION_FAILED: e('GROUP_AUTHORIZATION_FAILED', 30, false, 'Group authorization failed'),
  CLUSTER_AUTHORIZATION_FAILED: e('CLUSTER_AUTHORIZATION_FAILED', 31, false, 'Cluster authorization failed'),
  INVALID_TIMESTAMP: e('INVALID_TIMESTAMP', 32, false, 'The timestamp of the message is out of acceptable range'),
  UNSUPPORTED_SASL_MECHANISM: e('UNSUPPORTED_SASL_MECHANISM', 33, false, 'The broker does not support the requested SASL mechanism'),
  ILLEGAL_SASL_STATE: e('ILLEGAL_SASL_STATE', 34, false, 'Request is not valid given the current SASL state'),
  UNSUPPORTED_VERSION: e('UNSUPPORTED_VERSION', 35, false, 'The version of API is not supported'),
  TOPIC_ALREADY_EXISTS: e('TOPIC_ALREADY_EXISTS', 36, false, 'Topic with this name already exists'),
  INVALID_PARTITIONS: e('INVALID_PARTITIONS', 37, false, 'Number of partitions is invalid'),
  INVALID_REPLICATION_FACTOR: e('INVALID_REPLICATION_FACTOR', 38, false, 'Replication-factor is invalid'),
  INVALID_REPLICA_ASSIGNMENT: e('INVALID_REPLICA_ASSIGNMENT', 39, false, 'Replica assignment is invalid'),
  INVALID_CONFIG: e('INVALID_CONFIG', 40, false, 'Configuration is invalid'),
  NOT_CONTROLLER: e('NOT_CONTROLLER', 41, true, 'This is not the correct controller for this cluster'),
  INVALID_REQUEST: e('INVALID_REQUEST', 42, false, 'This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker'),
  POLICY_VIOLATION: e('POLICY_VIOLATION', 44, false, 'Request parameters do not satisfy the configured policy'),
  OUT_OF_ORDER_SEQUENCE_NUMBER: e('OUT_OF_ORDER_SEQUENCE_NUMBER', 45, false, 'The broker received an out of order sequence number'),
  DUPLICATE_SEQUENCE_NUMBER: e('DUPLICATE_SEQUENCE_NUMBER', 46, false, 'The broker received a duplicate sequence number'),
  INVALID_PRODUCER_EPOCH: e('INVALID_PRODUCER_EPOCH', 47, false, "Producer attempted to produce with an old epoch"),
  INVALID_TXN_STATE: e('INVALID_TXN_STATE', 48, false, 'The producer attempted a transactional operation in an invalid state'),
  INVALID_PRODUCER_ID_MAPPING: e('INVALID_PRODUCER_ID_MAPPING', 49, false, 'The producer attempted to use a producer id which is not currently assigned to its transactional id'),
  INVALID_TRANSACTION_TIMEOUT: e('INVALID_TRANSACTION_TIMEOUT', 50, false, 'The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms)'),
  CONCURRENT_TRANSACTIONS: e('CONCURRENT_TRANSACTIONS', 51, true, 'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing'),
  TRANSACTION_COORDINATOR_FENCED: e('TRANSACTION_COORDINATOR_FENCED', 52, false, 'Indicates that the transaction coordinator sending a WriteTxnMarker is no longer the current coordinator for a given producer'),
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: e('TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 53, false, 'Transactional Id authorization failed'),
  SECURITY_DISABLED: e('SECURITY_DISABLED', 54, false, 'Security features are disabled'),
  OPERATION_NOT_ATTEMPTED: e('OPERATION_NOT_ATTEMPTED', 55, false, 'The broker did not attempt to execute this operation. This may happen for batched RPCs where some operations in the batch failed, causing the broker to respond without trying the rest'),
  KAFKA_STORAGE_ERROR: e('KAFKA_STORAGE_ERROR', 56, true, 'Disk error when trying to access log file on the disk'),
  SASL_AUTHENTICATION_FAILED: e('SASL_AUTHENTICATION_FAILED', 58, false, 'SASL Authentication failed'),
  UNKNOWN_PRODUCER_ID: e('UNKNOWN_PRODUCER_ID', 59, false, 'This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question'),
  GROUP_ID_NOT_FOUND: e('GROUP_ID_NOT_FOUND', 69, false, 'The group id does not exist'),
  FETCH_SESSION_ID_NOT_FOUND: e('FETCH_SESSION_ID_NOT_FOUND', 70, true, 'The fetch session ID was not found'),
  INVALID_FETCH_SESSION_EPOCH: e('INVALID_FETCH_SESSION_EPOCH', 71, true, 'The fetch session epoch is invalid'),
  FENCED_LEADER_EPOCH: e('FENCED_LEADER_EPOCH', 74, true, 'The leader epoch in the request is older than the epoch on the broker'),
  UNKNOWN_LEADER_EPOCH: e('UNKNOWN_LEADER_EPOCH', 75, true, 'The leader epoch in the request is newer than the epoch on the broker'),
  UNSUPPORTED_COMPRESSION_TYPE: e('UNSUPPORTED_COMPRESSION_TYPE', 76, false, 'The requesting client does not support the compression type of given partition'),
  NON_EMPTY_GROUP: e('NON_EMPTY_GROUP', 68, false, 'The group is not empty'),
  MEMBER_ID_REQUIRED: e('MEMBER_ID_REQUIRED', 79, false, 'The group member needs to have a valid member id before actually entering a consumer group'),
  OFFSET_NOT_AVAILABLE: e('OFFSET_NOT_AVAILABLE', 78, true, 'The leader high watermark has not caught up from a recent leader election, so offsets cannot be guaranteed to increase monotonically'),
  GROUP_MAX_SIZE_REACHED: e('GROUP_MAX_SIZE_REACHED', 81, false, 'The consumer group has reached its max size'),
  PREFERRED_LEADER_NOT_AVAILABLE: e('PREFERRED_LEADER_NOT_AVAILABLE', 80, true, 'The preferred leader was not available'),
  ELIGIBLE_LEADERS_NOT_AVAILABLE: e('ELIGIBLE_LEADERS_NOT_AVAILABLE', 83, true, 'Eligible topic partition leaders are not available'),
  ELECTION_NOT_NEEDED: e('ELECTION_NOT_NEEDED', 84, false, 'Leader election not needed for topic partition'),
  NO_REASSIGNMENT_IN_PROGRESS: e('NO_REASSIGNMENT_IN_PROGRESS', 85, false, 'No partition reassignment is in progress'),
  FENCED_INSTANCE_ID: e('FENCED_INSTANCE_ID', 82, false, 'The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id'),
  INVALID_RECORD: e('INVALID_RECORD', 87, false, 'This record has failed the validation on broker and hence will be rejected'),
  UNSTABLE_OFFSET_COMMIT: e('UNSTABLE_OFFSET_COMMIT', 88, true, 'There are unstable offsets that need to be cleared'),
  PRODUCER_FENCED: e('PRODUCER_FENCED', 90, false, 'There is a newer producer with the same transactionalId which fences the current one'),
  UNKNOWN_TOPIC_ID: e('UNKNOWN_TOPIC_ID', 100, true, 'This server does not host this topic ID'),
  INELIGIBLE_REPLICA: e('INELIGIBLE_REPLICA', 107, false, 'The new ISR contains at least one ineligible replica'),
} as const satisfies Record<string, KafkaErrorCode>

/** A Kafka error name, e.g. `'NOT_LEADER_OR_FOLLOWER'`. */
export type ErrorName = keyof typeof Errors

const byCode = new Map<number, KafkaErrorCode>(Object.values(Errors).map((err) => [err.code, err]))

/** Looks up an error by its numeric code; unknown codes map to UNKNOWN_SERVER_ERROR with the code kept. */
export function errorForCode(code: number): KafkaErrorCode {
  return byCode.get(code) ?? { ...Errors.UNKNOWN_SERVER_ERROR, code }
}

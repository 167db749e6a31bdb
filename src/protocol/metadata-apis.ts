/** Requests and responses for cluster metadata and topic administration. */

export interface BrokerMetadata {
  readonly nodeId: number
  readonly host: string
  readonly port: number
  readonly rack: string | null
}

export interface PartitionMetadata {
  readonly partition: number
  readonly errorCode: number
  /** -1 when no leader is available. */
  readonly leader: number
  readonly leaderEpoch: number
  readonly replicas: readonly number[]
  readonly isr: readonly number[]
  readonly offlineReplicas: readonly number[]
}

export interface TopicMetadata {
  readonly topic: string
  /** The topic's id (Metadata v10+, KIP-516): a topic deleted and created again under its name gets a new one. */
  readonly topicId?: string
  readonly errorCode: number
  readonly isInternal: boolean
  readonly partitions: readonly PartitionMetadata[]
}

/** Metadata (API key 3). `topics: null` asks for every topic. */
export interface MetadataRequest {
  readonly topics: readonly string[] | null
  /** Create unknown topics if the broker allows it (`auto.create.topics.enable`). */
  readonly allowAutoTopicCreation: boolean
}

export interface MetadataResponse {
  readonly brokers: readonly BrokerMetadata[]
  readonly clusterId: string
  readonly controllerId: number
  readonly topics: readonly TopicMetadata[]
}

export interface ConfigEntry {
  readonly name: string
  readonly value: string | null
}

/** CreateTopics (API key 19). */
export interface CreateTopicsRequest {
  readonly topics: ReadonlyArray<{
    readonly name: string
    /** -1 for the broker default (`num.partitions`). */
    readonly numPartitions: number
    /** -1 for the broker default (`default.replication.factor`). */
    readonly replicationFactor: number
    /** Explicit placement: partition -> broker ids; empty for automatic placement. */
    readonly replicaAssignment: ReadonlyArray<{ readonly partition: number; readonly brokerIds: readonly number[] }>
    readonly configs: readonly ConfigEntry[]
  }>
  readonly timeoutMs: number
  readonly validateOnly: boolean
}

export interface TopicResult {
  readonly name: string
  readonly errorCode: number
  readonly errorMessage: string | null
}

export interface CreateTopicsResponse {
  readonly topics: readonly TopicResult[]
}

/** DeleteTopics (API key 20). */
export interface DeleteTopicsRequest {
  readonly topicNames: readonly string[]
  readonly timeoutMs: number
}

export interface DeleteTopicsResponse {
  readonly topics: readonly TopicResult[]
}

/** CreatePartitions (API key 37): `count` is the new total. */
export interface CreatePartitionsRequest {
  readonly topics: ReadonlyArray<{
    readonly name: string
    readonly count: number
    readonly assignments: ReadonlyArray<readonly number[]> | null
  }>
  readonly timeoutMs: number
  readonly validateOnly: boolean
}

export interface CreatePartitionsResponse {
  readonly results: readonly TopicResult[]
}

/** Kafka's ConfigResource types. */
export const ConfigResourceType = { UNKNOWN: 0, ANY: 1, TOPIC: 2, GROUP: 3, BROKER: 4, BROKER_LOGGER: 8 } as const

/** Kafka's config sources (DescribeConfigs v1+). */
export const ConfigSource = {
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const

/** DescribeConfigs (API key 32). */
export interface DescribeConfigsRequest {
  readonly resources: ReadonlyArray<{
    readonly resourceType: number
    readonly resourceName: string
    /** null for every config. */
    readonly configNames: readonly string[] | null
  }>
  readonly includeSynonyms: boolean
}

export interface DescribeConfigsResponse {
  readonly resources: ReadonlyArray<{
    readonly errorCode: number
    readonly errorMessage: string | null
    readonly resourceType: number
    readonly resourceName: string
    readonly configEntries: ReadonlyArray<{
      readonly configName: string
      readonly configValue: string | null
      readonly readOnly: boolean
      readonly isDefault: boolean
      readonly configSource: number
      readonly isSensitive: boolean
      /** Every source the config's value could come from, highest precedence first (v1+, when asked for). */
      readonly synonyms: ReadonlyArray<{ readonly name: string; readonly value: string | null; readonly source: number }>
    }>
  }>
}

/** The answer for one resource of AlterConfigs or IncrementalAlterConfigs. */
export interface AlterConfigsResourceResult {
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly resourceType: number
  readonly resourceName: string
}

/** AlterConfigs (API key 33): replaces a resource's whole set of dynamic configs (those not named return to their defaults). */
export interface AlterConfigsRequest {
  readonly resources: ReadonlyArray<{
    readonly resourceType: number
    readonly resourceName: string
    readonly configs: readonly ConfigEntry[]
  }>
  readonly validateOnly: boolean
}

export interface AlterConfigsResponse {
  readonly resources: readonly AlterConfigsResourceResult[]
}

/** Kafka's `AlterConfigOp.OpType` (KIP-339). APPEND and SUBTRACT apply to list configs only. */
export const AlterConfigOp = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const

/** IncrementalAlterConfigs (API key 44, KIP-339): changes only the named configs. */
export interface IncrementalAlterConfigsRequest {
  readonly resources: ReadonlyArray<{
    readonly resourceType: number
    readonly resourceName: string
    readonly configs: ReadonlyArray<{ readonly name: string; readonly configOperation: number; readonly value: string | null }>
  }>
  readonly validateOnly: boolean
}

export interface IncrementalAlterConfigsResponse {
  readonly resources: readonly AlterConfigsResourceResult[]
}

/** AlterPartitionReassignments (API key 45, KIP-455): `replicas` null cancels a partition's move. */
export interface AlterPartitionReassignmentsRequest {
  readonly timeoutMs: number
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: ReadonlyArray<{ readonly partitionIndex: number; readonly replicas: readonly number[] | null }> }>
}

export interface AlterPartitionReassignmentsResponse {
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly responses: ReadonlyArray<{
    readonly name: string
    readonly partitions: ReadonlyArray<{ readonly partitionIndex: number; readonly errorCode: number; readonly errorMessage: string | null }>
  }>
}

/** ListPartitionReassignments (API key 46): `topics` null lists every ongoing move. */
export interface ListPartitionReassignmentsRequest {
  readonly timeoutMs: number
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitionIndexes: readonly number[] }> | null
}

export interface ListPartitionReassignmentsResponse {
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly topics: ReadonlyArray<{
    readonly name: string
    readonly partitions: ReadonlyArray<{
      readonly partitionIndex: number
      readonly replicas: readonly number[]
      readonly addingReplicas: readonly number[]
      readonly removingReplicas: readonly number[]
    }>
  }>
}

/** ElectLeaders (API key 43, KIP-460): `electionType` 0 PREFERRED, 1 UNCLEAN; `topicPartitions` null for all. */
export interface ElectLeadersRequest {
  readonly electionType: number
  readonly topicPartitions: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }> | null
  readonly timeoutMs: number
}

export interface ElectLeadersResponse {
  readonly errorCode: number
  readonly replicaElectionResults: ReadonlyArray<{
    readonly topic: string
    readonly partitionResult: ReadonlyArray<{ readonly partitionId: number; readonly errorCode: number; readonly errorMessage: string | null }>
  }>
}

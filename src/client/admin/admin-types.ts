/** KafkaJS's admin argument and result shapes (structurally as in `kafkajs/types/index.d.ts`). */
import type { KafkaJSProtocolError } from '../errors.js'
import type { PartitionMetadata } from '../partitioners/partitioner-types.js'
import type { RetryOptions } from '../retry.js'
import type { AclOperationTypes, AclPermissionTypes, AclResourceTypes, AlterConfigOpTypes, ConfigResourceTypes, ConfigSource, ResourcePatternTypes } from './resource-types.js'

/** KafkaJS's `AdminConfig`. */
export interface AdminConfig {
  retry?: RetryOptions
}

export interface ReplicaAssignment {
  partition: number
  replicas: number[]
}

export interface IResourceConfigEntry {
  name: string
  value: string
}

/** One topic of `createTopics`. -1 or absent counts mean the broker defaults. */
export interface ITopicConfig {
  topic: string
  numPartitions?: number
  replicationFactor?: number
  replicaAssignment?: ReplicaAssignment[]
  configEntries?: IResourceConfigEntry[]
}

/** One topic of `createPartitions`: `count` is the new total number of partitions. */
export interface ITopicPartitionConfig {
  topic: string
  count: number
  assignments?: number[][]
}

/** Partition metadata as `fetchTopicMetadata` returns it: the same shape partitioners see (KafkaJS's `PartitionMetadata`). */
export type { PartitionMetadata }

export interface ITopicMetadata {
  name: string
  partitions: PartitionMetadata[]
}

/** A partition and an offset (as a string, as KafkaJS). */
export interface PartitionOffset {
  partition: number
  offset: string
}

export type SeekEntry = PartitionOffset
export type FetchOffsetsPartition = PartitionOffset & { metadata: string | null }

/** One resource of `alterConfigs`: its dynamic configs become exactly `configEntries`. */
export interface IResourceConfig {
  type: ConfigResourceTypes
  /** A topic name, a broker id, or '' for the cluster-wide broker default. */
  name: string
  configEntries: IResourceConfigEntry[]
}

/** One config change of `incrementalAlterConfigs`: `value` is ignored for DELETE. */
export interface IncrementalConfigEntry {
  name: string
  value?: string
  /** Default SET. */
  operation?: AlterConfigOpTypes
}

/** One resource of `incrementalAlterConfigs`. */
export interface IncrementalResourceConfig {
  type: ConfigResourceTypes
  name: string
  configEntries: IncrementalConfigEntry[]
}

/** The answer of `alterConfigs` and `incrementalAlterConfigs`: one entry per resource (all succeeded, else the call rejects). */
export interface AlterConfigsResult {
  resources: Array<{ errorCode: number; errorMessage: string | null; resourceType: ConfigResourceTypes; resourceName: string }>
}

export interface ResourceConfigQuery {
  type: ConfigResourceTypes
  name: string
  configNames?: string[]
}

export interface ConfigSynonyms {
  configName: string
  configValue: string
  configSource: ConfigSource
}

export interface ConfigEntries {
  configName: string
  configValue: string
  isDefault: boolean
  configSource: ConfigSource
  isSensitive: boolean
  readOnly: boolean
  configSynonyms: ConfigSynonyms[]
}

export interface DescribeConfigResponse {
  resources: {
    configEntries: ConfigEntries[]
    errorCode: number
    errorMessage: string
    resourceName: string
    resourceType: ConfigResourceTypes
  }[]
  throttleTime: number
}

export type MemberDescription = {
  clientHost: string
  clientId: string
  memberId: string
  memberAssignment: Buffer
  memberMetadata: Buffer
}

/** Kafka's `ConsumerGroupState` names, as KafkaJS types them. */
export type ConsumerGroupState = 'Unknown' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead' | 'Empty'

export type GroupDescription = {
  groupId: string
  members: MemberDescription[]
  protocol: string
  protocolType: string
  state: ConsumerGroupState
  /** Present at runtime in KafkaJS too (0 for a described group). */
  errorCode?: number
}

export type GroupDescriptions = {
  groups: GroupDescription[]
}

export type GroupOverview = {
  groupId: string
  protocolType: string
}

export type DeleteGroupsResult = {
  groupId: string
  errorCode?: number
  error?: KafkaJSProtocolError
}

/** Who may or may not do what (KafkaJS's `Acl`). */
export interface Acl {
  /** `User:alice`, or `User:*`. */
  principal: string
  /** A host, or `*`. */
  host: string
  operation: AclOperationTypes
  permissionType: AclPermissionTypes
}

/** The resources an ACL applies to: a LITERAL name (`*` for all) or a PREFIXED one. */
export interface AclResource {
  resourceType: AclResourceTypes
  resourceName: string
  resourcePatternType: ResourcePatternTypes
}

/** One ACL of `createAcls`. */
export type AclEntry = Acl & AclResource

export type DescribeAclResource = AclResource & { acls: Acl[] }

export interface DescribeAclResponse {
  throttleTime: number
  errorCode: number
  errorMessage?: string
  resources: DescribeAclResource[]
}

/** A filter of `describeAcls` and `deleteAcls`: absent names match all; ANY matches any value; MATCH the patterns that apply to a name. */
export interface AclFilter {
  resourceType: AclResourceTypes
  resourceName?: string
  resourcePatternType: ResourcePatternTypes
  principal?: string
  host?: string
  operation: AclOperationTypes
  permissionType: AclPermissionTypes
}

export interface MatchingAcl extends AclEntry {
  errorCode: number
  errorMessage?: string
}

export interface DeleteAclFilterResponses {
  errorCode: number
  errorMessage?: string
  matchingAcls: MatchingAcl[]
}

export interface DeleteAclResponse {
  throttleTime: number
  filterResponses: DeleteAclFilterResponses[]
}

/** One topic of `alterPartitionReassignments`: the target replicas per partition. */
export interface PartitionReassignment {
  topic: string
  partitionAssignment: ReplicaAssignment[]
}

/** Some partitions of a topic. */
export interface TopicPartitions {
  topic: string
  partitions: number[]
}

export interface OngoingPartitionReassignment {
  partitionIndex: number
  /** The current replica set: the target replicas followed by those being removed. */
  replicas: number[]
  addingReplicas?: number[]
  removingReplicas?: number[]
}

export interface OngoingTopicReassignment {
  topic: string
  partitions: OngoingPartitionReassignment[]
}

export interface ListPartitionReassignmentsResponse {
  topics: OngoingTopicReassignment[]
}

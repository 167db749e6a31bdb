/**
 * KafkaJS's admin client. Each operation lives in a file by subject (topics, offsets, groups,
 * configs, ACLs, records); this facade holds the cluster client and the instrumentation events.
 */
import { createBrokerRouter, type ClientContext } from '../client-context.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { InstrumentationEmitter, type InstrumentationEvent, type RemoveInstrumentationEventListener } from '../instrumentation/instrumentation-emitter.js'
import type { Logger } from '../logger.js'
import { AdminEvents, type AdminEventName } from './admin-events.js'
import type {
  AclEntry,
  AclFilter,
  AdminConfig,
  AlterConfigsResult,
  DeleteAclResponse,
  DeleteGroupsResult,
  DescribeAclResponse,
  DescribeConfigResponse,
  FetchOffsetsPartition,
  GroupDescriptions,
  GroupOverview,
  IncrementalResourceConfig,
  IResourceConfig,
  ListPartitionReassignmentsResponse,
  PartitionReassignment,
  TopicPartitions,
  ITopicConfig,
  ITopicMetadata,
  ITopicPartitionConfig,
  PartitionOffset,
  ResourceConfigQuery,
  SeekEntry,
} from './admin-types.js'
import { createAcls, deleteAcls, describeAcls } from './acl-admin.js'
import { alterPartitionReassignments, electLeaders, ElectionTypes, listPartitionReassignments } from './reassignment-admin.js'
import { alterConfigs, describeConfigs, incrementalAlterConfigs } from './config-admin.js'
import { deleteGroups, describeGroups, listGroups } from './group-admin.js'
import { deleteTopicRecords, type DeleteRecordsPartition } from './records-admin.js'
import { fetchOffsets, fetchTopicOffsets, fetchTopicOffsetsByTimestamp, resetOffsets, setOffsets } from './offset-admin.js'
import { createPartitions, createTopics, deleteTopics, describeCluster, fetchTopicMetadata, listTopics } from './topic-admin.js'

export type { AdminConfig }


/** A KafkaJS-compatible admin client; create it with `kafka.admin()`. */
export class Admin {
  /** The event names accepted by {@link Admin.on}. */
  readonly events = AdminEvents
  private readonly client: BrokerRouter
  private readonly emitter: InstrumentationEmitter
  private readonly log: Logger

  constructor(context: ClientContext, config: AdminConfig = {}) {
    this.log = context.logger.namespace('Admin')
    this.emitter = new InstrumentationEmitter({ clock: context.connection.clock, events: AdminEvents, client: 'admin', log: this.log })
    // The admin never creates topics by looking them up (KafkaJS: allowAutoTopicCreation false).
    this.client = createBrokerRouter(context, {
      retry: config.retry,
      allowAutoTopicCreation: false,
      network: {
        request: (event) => this.emitter.emit(AdminEvents.REQUEST, event),
        requestTimeout: (event) => this.emitter.emit(AdminEvents.REQUEST_TIMEOUT, event),
      },
    })
  }

  /** Loads cluster metadata; rejects with KafkaJSConnectionError if no broker answers. */
  async connect(): Promise<void> {
    await this.client.refreshMetadata()
    this.emitter.emit(AdminEvents.CONNECT, undefined)
  }

  async disconnect(): Promise<void> {
    this.emitter.emit(AdminEvents.DISCONNECT, undefined)
  }

  /** Every topic name in the cluster. */
  listTopics(): Promise<string[]> {
    return listTopics(this.client)
  }

  /** Creates topics; true if created, false if they all existed already. Waits for leaders unless `waitForLeaders: false`. */
  createTopics(options: { topics: ITopicConfig[]; validateOnly?: boolean; timeout?: number; waitForLeaders?: boolean }): Promise<boolean> {
    return createTopics(this.client, options)
  }

  /** Deletes topics with their records. */
  deleteTopics(options: { topics: string[]; timeout?: number }): Promise<void> {
    return deleteTopics(this.client, options)
  }

  /** Raises topics' partition counts (`count` is the new total). */
  createPartitions(options: { topicPartitions: ITopicPartitionConfig[]; validateOnly?: boolean; timeout?: number }): Promise<boolean> {
    return createPartitions(this.client, options)
  }

  /** Leaders, replicas and ISR of the topics' partitions (every topic if none given). */
  fetchTopicMetadata(options?: { topics?: string[] }): Promise<{ topics: ITopicMetadata[] }> {
    return fetchTopicMetadata(this.client, options)
  }

  /** Per partition: high watermark (`offset`, `high`) and log start offset (`low`). */
  fetchTopicOffsets(topic: string): Promise<Array<PartitionOffset & { high: string; low: string }>> {
    return fetchTopicOffsets(this.client, topic)
  }

  /** Per partition: the first offset with a timestamp at or after `timestamp` (the high watermark if none). */
  fetchTopicOffsetsByTimestamp(topic: string, timestamp?: number | string): Promise<SeekEntry[]> {
    return fetchTopicOffsetsByTimestamp(this.client, topic, timestamp)
  }

  /** A group's committed offsets (`'-1'` where none). */
  fetchOffsets(options: { groupId: string; topics?: string[]; resolveOffsets?: boolean }): Promise<Array<{ topic: string; partitions: FetchOffsetsPartition[] }>> {
    return fetchOffsets(this.client, options)
  }

  /** Commits offsets for a group that has no running member. */
  setOffsets(options: { groupId: string; topic: string; partitions: SeekEntry[] }): Promise<void> {
    return setOffsets(this.client, options)
  }

  /** Moves a group that has no running member to the earliest or latest offsets of a topic. */
  resetOffsets(options: { groupId: string; topic: string; earliest?: boolean }): Promise<void> {
    return resetOffsets(this.client, options)
  }

  /** Brokers, controller and cluster id. */
  describeCluster(): Promise<{ brokers: Array<{ nodeId: number; host: string; port: number }>; controller: number | null; clusterId: string }> {
    return describeCluster(this.client)
  }

  /** Topic and broker configs. */
  describeConfigs(options: { resources: ResourceConfigQuery[]; includeSynonyms?: boolean }): Promise<DescribeConfigResponse> {
    return describeConfigs(this.client, options)
  }

  /** Every consumer group in the cluster. */
  listGroups(): Promise<{ groups: GroupOverview[] }> {
    return listGroups(this.client)
  }

  /** State, protocol and members of groups. */
  describeGroups(groupIds: string[]): Promise<GroupDescriptions> {
    return describeGroups(this.client, groupIds)
  }

  /** Deletes empty groups and their offsets; KafkaJSDeleteGroupsError lists the ones that could not be deleted. */
  deleteGroups(groupIds: string[]): Promise<DeleteGroupsResult[]> {
    return deleteGroups(this.client, groupIds)
  }

  /**
   * Replaces the dynamic configs of topics and brokers (AlterConfigs): configs not named return to
   * their defaults. Takes effect at once (retention, cleanup policy, min.insync.replicas, ...).
   * Rejects with KafkaJSProtocolError (INVALID_CONFIG, INVALID_REQUEST, ...) naming what was wrong.
   */
  alterConfigs(options: { resources: IResourceConfig[]; validateOnly?: boolean }): Promise<AlterConfigsResult> {
    return alterConfigs(this.client, options)
  }

  /**
   * Changes single configs (IncrementalAlterConfigs, KIP-339): SET, DELETE, APPEND or SUBTRACT
   * (`AlterConfigOpTypes`), leaving the others as they are. A kafkalite extra: KafkaJS 2.2.4 lacks it.
   */
  incrementalAlterConfigs(options: { resources: IncrementalResourceConfig[]; validateOnly?: boolean }): Promise<AlterConfigsResult> {
    return incrementalAlterConfigs(this.client, options)
  }

  /**
   * Deletes every record below `offset` in each partition (DeleteRecords; `'-1'`: up to the high
   * watermark): the log start offset moves there on every replica. Rejects with
   * KafkaJSDeleteTopicRecordsError listing the partitions that failed (e.g. OFFSET_OUT_OF_RANGE above the high watermark).
   */
  deleteTopicRecords(options: { topic: string; partitions: DeleteRecordsPartition[] }): Promise<void> {
    return deleteTopicRecords(this.client, this.log, options)
  }

  /**
   * Creates ACLs; resolves true. Needs a cluster with the `authorizer` option (else
   * KafkaJSProtocolError SECURITY_DISABLED) and ALTER on the cluster (CLUSTER_AUTHORIZATION_FAILED).
   */
  createAcls(options: { acl: AclEntry[] }): Promise<boolean> {
    return createAcls(this.client, options)
  }

  /** The ACLs matching a filter, grouped by resource pattern (needs DESCRIBE on the cluster). */
  describeAcls(filter: AclFilter): Promise<DescribeAclResponse> {
    return describeAcls(this.client, filter)
  }

  /** Deletes the ACLs matching each filter and lists them per filter (needs ALTER on the cluster). */
  deleteAcls(options: { filters: AclFilter[] }): Promise<DeleteAclResponse> {
    return deleteAcls(this.client, options)
  }

  /**
   * Moves partitions to new replicas (KIP-455): the new ones are added, catch up and join the ISR,
   * then the old ones leave. Resolves once the moves are accepted; follow them with
   * `listPartitionReassignments`.
   */
  alterPartitionReassignments(options: { topics: PartitionReassignment[]; timeout?: number }): Promise<void> {
    return alterPartitionReassignments(this.client, options)
  }

  /** The reassignments in progress, with the replicas being added and removed. */
  listPartitionReassignments(options: { topics?: TopicPartitions[]; timeout?: number } = {}): Promise<ListPartitionReassignmentsResponse> {
    return listPartitionReassignments(this.client, options)
  }

  /**
   * Elects leaders (KIP-460): PREFERRED (default) moves leadership back to each partition's first
   * replica; UNCLEAN elects any live replica of a leaderless partition (may lose records).
   * Every partition if `topicPartitions` is absent. A kafkalite extra: KafkaJS 2.2.4 lacks it.
   */
  electLeaders(options: { electionType?: ElectionTypes; topicPartitions?: TopicPartitions[]; timeout?: number } = {}): Promise<Array<{ topic: string; partition: number; errorCode: number }>> {
    return electLeaders(this.client, options)
  }

  /** The admin's logger (namespace `Admin`). */
  logger(): Logger {
    return this.log
  }

  /** Adds an instrumentation listener; returns the function that removes it. Listener errors are logged, never thrown. */
  on(eventName: AdminEventName, listener: (event: InstrumentationEvent<any>) => unknown): RemoveInstrumentationEventListener {
    return this.emitter.on(eventName, listener)
  }

}

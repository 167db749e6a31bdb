/**
 * KafkaJS's admin client. Each operation lives in a file by subject (topics, offsets, groups,
 * configs, records); this facade holds the cluster client, the instrumentation events, and the methods
 * KafkaJS has that kafkalite does not model (ACLs, reassignments), which reject
 * with KafkaJSNotImplemented.
 */
import { createClusterClient, type ClientContext } from '../client-context.js'
import type { ClusterClient } from '../cluster/cluster-client.js'
import { KafkaJSNotImplemented } from '../errors.js'
import { InstrumentationEmitter, type InstrumentationEvent, type RemoveInstrumentationEventListener } from '../instrumentation/instrumentation-emitter.js'
import type { Logger } from '../logger.js'
import { AdminEvents, type AdminEventName } from './admin-events.js'
import type {
  AdminConfig,
  DeleteGroupsResult,
  DescribeConfigResponse,
  FetchOffsetsPartition,
  GroupDescriptions,
  GroupOverview,
  ITopicConfig,
  ITopicMetadata,
  ITopicPartitionConfig,
  PartitionOffset,
  ResourceConfigQuery,
  SeekEntry,
} from './admin-types.js'
import { describeConfigs } from './config-admin.js'
import { deleteGroups, describeGroups, listGroups } from './group-admin.js'
import { deleteTopicRecords, type DeleteRecordsPartition } from './records-admin.js'
import { fetchOffsets, fetchTopicOffsets, fetchTopicOffsetsByTimestamp, resetOffsets, setOffsets } from './offset-admin.js'
import { createPartitions, createTopics, deleteTopics, describeCluster, fetchTopicMetadata, listTopics } from './topic-admin.js'

export type { AdminConfig }

const NO_ACLS = 'ACLs are not implemented in kafkalite: every client may do everything'
const NO_REASSIGNMENT = 'Partition reassignment is not implemented in kafkalite'

/** A KafkaJS-compatible admin client; create it with `kafka.admin()`. */
export class Admin {
  /** The event names accepted by {@link Admin.on}. */
  readonly events = AdminEvents
  private readonly client: ClusterClient
  private readonly emitter: InstrumentationEmitter
  private readonly log: Logger

  constructor(context: ClientContext, config: AdminConfig = {}) {
    this.log = context.logger.namespace('Admin')
    this.emitter = new InstrumentationEmitter({ clock: context.connection.clock, events: AdminEvents, client: 'admin', log: this.log })
    // The admin never creates topics by looking them up (KafkaJS: allowAutoTopicCreation false).
    this.client = createClusterClient(context, {
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

  /** Not modelled: kafkalite has no dynamic configs. */
  async alterConfigs(_options: unknown): Promise<never> {
    throw new KafkaJSNotImplemented('alterConfigs is not implemented in kafkalite: set topic configs in createTopics({ topics: [{ configEntries }] })')
  }

  /**
   * Deletes every record below `offset` in each partition (DeleteRecords; `'-1'`: up to the high
   * watermark): the log start offset moves there on every replica. Rejects with
   * KafkaJSDeleteTopicRecordsError listing the partitions that failed (e.g. OFFSET_OUT_OF_RANGE above the high watermark).
   */
  deleteTopicRecords(options: { topic: string; partitions: DeleteRecordsPartition[] }): Promise<void> {
    return deleteTopicRecords(this.client, this.log, options)
  }

  /** Not modelled: kafkalite has no ACLs. */
  async createAcls(_options: unknown): Promise<never> {
    throw new KafkaJSNotImplemented(NO_ACLS)
  }

  /** Not modelled: kafkalite has no ACLs. */
  async describeAcls(_options: unknown): Promise<never> {
    throw new KafkaJSNotImplemented(NO_ACLS)
  }

  /** Not modelled: kafkalite has no ACLs. */
  async deleteAcls(_options: unknown): Promise<never> {
    throw new KafkaJSNotImplemented(NO_ACLS)
  }

  /** Not modelled: replicas stay where the controller placed them. */
  async alterPartitionReassignments(_options: unknown): Promise<never> {
    throw new KafkaJSNotImplemented(NO_REASSIGNMENT)
  }

  /** Not modelled: replicas stay where the controller placed them. */
  async listPartitionReassignments(_options: unknown): Promise<never> {
    throw new KafkaJSNotImplemented(NO_REASSIGNMENT)
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

/**
 * The request vocabulary shared by clients, transport and brokers: each of Kafka's APIs by
 * name, with its request and response types. A client reaches a broker only by sending one
 * of these through a {@link RequestChannel}.
 */
import type * as acl from './acl-apis.js'
import type * as data from './data-apis.js'
import type * as meta from './metadata-apis.js'
import type * as group from './group-apis.js'
import type * as txn from './transaction-apis.js'

/** Each API name with its request and response. */
export interface ApiMap {
  Produce: [data.ProduceRequest, data.ProduceResponse]
  Fetch: [data.FetchRequest, data.FetchResponse]
  ListOffsets: [data.ListOffsetsRequest, data.ListOffsetsResponse]
  Metadata: [meta.MetadataRequest, meta.MetadataResponse]
  OffsetCommit: [group.OffsetCommitRequest, group.OffsetCommitResponse]
  OffsetFetch: [group.OffsetFetchRequest, group.OffsetFetchResponse]
  FindCoordinator: [group.FindCoordinatorRequest, group.FindCoordinatorResponse]
  JoinGroup: [group.JoinGroupRequest, group.JoinGroupResponse]
  Heartbeat: [group.HeartbeatRequest, group.HeartbeatResponse]
  LeaveGroup: [group.LeaveGroupRequest, group.LeaveGroupResponse]
  SyncGroup: [group.SyncGroupRequest, group.SyncGroupResponse]
  DescribeGroups: [group.DescribeGroupsRequest, group.DescribeGroupsResponse]
  ListGroups: [group.ListGroupsRequest, group.ListGroupsResponse]
  CreateTopics: [meta.CreateTopicsRequest, meta.CreateTopicsResponse]
  DeleteTopics: [meta.DeleteTopicsRequest, meta.DeleteTopicsResponse]
  InitProducerId: [txn.InitProducerIdRequest, txn.InitProducerIdResponse]
  OffsetForLeaderEpoch: [data.OffsetForLeaderEpochRequest, data.OffsetForLeaderEpochResponse]
  AddPartitionsToTxn: [txn.AddPartitionsToTxnRequest, txn.AddPartitionsToTxnResponse]
  AddOffsetsToTxn: [txn.AddOffsetsToTxnRequest, txn.AddOffsetsToTxnResponse]
  EndTxn: [txn.EndTxnRequest, txn.EndTxnResponse]
  WriteTxnMarkers: [txn.WriteTxnMarkersRequest, txn.WriteTxnMarkersResponse]
  TxnOffsetCommit: [txn.TxnOffsetCommitRequest, txn.TxnOffsetCommitResponse]
  DescribeConfigs: [meta.DescribeConfigsRequest, meta.DescribeConfigsResponse]
  AlterConfigs: [meta.AlterConfigsRequest, meta.AlterConfigsResponse]
  IncrementalAlterConfigs: [meta.IncrementalAlterConfigsRequest, meta.IncrementalAlterConfigsResponse]
  DescribeAcls: [acl.DescribeAclsRequest, acl.DescribeAclsResponse]
  CreateAcls: [acl.CreateAclsRequest, acl.CreateAclsResponse]
  DeleteAcls: [acl.DeleteAclsRequest, acl.DeleteAclsResponse]
  CreatePartitions: [meta.CreatePartitionsRequest, meta.CreatePartitionsResponse]
  ElectLeaders: [meta.ElectLeadersRequest, meta.ElectLeadersResponse]
  AlterPartitionReassignments: [meta.AlterPartitionReassignmentsRequest, meta.AlterPartitionReassignmentsResponse]
  ListPartitionReassignments: [meta.ListPartitionReassignmentsRequest, meta.ListPartitionReassignmentsResponse]
  DeleteGroups: [group.DeleteGroupsRequest, group.DeleteGroupsResponse]
  DeleteRecords: [data.DeleteRecordsRequest, data.DeleteRecordsResponse]
}

/** A Kafka API name, e.g. `'Fetch'`. */
export type ApiName = keyof ApiMap
export type RequestOf<K extends ApiName> = ApiMap[K][0]
export type ResponseOf<K extends ApiName> = ApiMap[K][1]

/** Kafka's numeric API keys, for logs and for a future wire-protocol listener. */
export const ApiKeys: Readonly<Record<ApiName, number>> = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteRecords: 21,
  InitProducerId: 22,
  OffsetForLeaderEpoch: 23,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  WriteTxnMarkers: 27,
  TxnOffsetCommit: 28,
  DescribeAcls: 29,
  CreateAcls: 30,
  DeleteAcls: 31,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  CreatePartitions: 37,
  DeleteGroups: 42,
  ElectLeaders: 43,
  AlterPartitionReassignments: 45,
  ListPartitionReassignments: 46,
  IncrementalAlterConfigs: 44,
}

/**
 * Who sends a request: a client (by client id, and the principal it authenticated as: the
 * in-process `principal` option, or SASL on the wire; Kafka's `User:ANONYMOUS` when absent) or a
 * broker (replication, txn markers), which the authorizer always allows (inter-broker principal).
 */
export type Endpoint =
  | { readonly kind: 'client'; readonly clientId: string; readonly principal?: string }
  | { readonly kind: 'broker'; readonly brokerId: number }

/** Per-call options of a {@link RequestChannel}. */
export interface SendOptions {
  /** The client's `requestTimeout`: reject with a timeout if no answer comes in this many ms of cluster time. */
  readonly requestTimeoutMs?: number
  /**
   * The sender closing its connection: when it aborts, the request rejects at once with
   * {@link RequestAbortedError} and a request parked at the broker (a long-polling Fetch) ends,
   * as when a client closes its socket.
   */
  readonly signal?: AbortSignal
}

/**
 * How anything reaches a broker. The transport layer implements it (in-process calls with
 * fault hooks); brokers use the same channel to reach each other.
 *
 * Rejects with {@link BrokerUnreachableError} when the broker is down or cut off, and with
 * {@link RequestTimeoutError} when no answer comes in time; Kafka errors come back as error
 * codes in the response.
 */
export interface RequestChannel {
  send<K extends ApiName>(from: Endpoint, brokerId: number, api: K, request: RequestOf<K>, options?: SendOptions): Promise<ResponseOf<K>>
  /**
   * Optional: {@link send} with the outcome handed to `onResponse` or `onError` (exactly one of them, once) instead
   * of a promise. Brokers replicate through it when the channel has it, so a replication round creates no promise.
   */
  call?<K extends ApiName>(
    from: Endpoint,
    brokerId: number,
    api: K,
    request: RequestOf<K>,
    options: SendOptions,
    onResponse: (response: ResponseOf<K>) => void,
    onError: (error: unknown) => void,
  ): void
}

/**
 * Where a served request's outcome goes: exactly one of the two, once. The in-process transport's waiting request is
 * one, and the broker answers into it, so a request in flight needs no closure per callback.
 */
export interface Reply<T> {
  resolve(value: T): void
  reject(error: unknown): void
}

/** The broker could not be reached: it is down, isolated, or unknown. Like a refused TCP connection. */
export class BrokerUnreachableError extends Error {
  override name = 'BrokerUnreachableError'
  constructor(
    readonly brokerId: number,
    reason: string,
  ) {
    super(`Broker ${brokerId} is unreachable: ${reason}`)
  }
}

/** No response arrived within the request timeout (a dropped or delayed request, or a hung broker). */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError'
  constructor(
    readonly brokerId: number,
    readonly api: ApiName,
    readonly timeoutMs: number,
  ) {
    super(`${api} request to broker ${brokerId} timed out after ${timeoutMs} ms`)
  }
}

/** The sender gave the request up (its client stopped) before the answer came: its connection closed. */
export class RequestAbortedError extends Error {
  override name = 'RequestAbortedError'
  constructor(
    readonly brokerId: number,
    readonly api: ApiName,
  ) {
    super(`${api} request to broker ${brokerId} was abandoned: its client stopped`)
  }
}

/** The cluster was closed (`cluster.close()`, or `resetDefaultCluster()` replaced it): nothing answers any more. */
export class ClusterClosedError extends Error {
  override name = 'ClusterClosedError'
  constructor(
    readonly brokerId: number,
    readonly api: ApiName,
  ) {
    super(`${api} request to broker ${brokerId}: the cluster is closed`)
  }
}

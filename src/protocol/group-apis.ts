/** Requests and responses of Kafka's classic consumer group protocol and offset storage. */

/** FindCoordinator (API key 10). keyType 0 = group, 1 = transaction. */
export interface FindCoordinatorRequest {
  readonly key: string
  readonly keyType: 0 | 1
}

export interface FindCoordinatorResponse {
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly nodeId: number
  readonly host: string
  readonly port: number
}

/** JoinGroup (API key 11). An empty memberId asks the coordinator for one (KIP-394: MEMBER_ID_REQUIRED). */
export interface JoinGroupRequest {
  readonly groupId: string
  readonly sessionTimeoutMs: number
  readonly rebalanceTimeoutMs: number
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly clientId: string
  readonly protocolType: string
  /** The assignors this member supports, in order of preference, each with its subscription metadata. */
  readonly protocols: ReadonlyArray<{ readonly name: string; readonly metadata: Buffer }>
}

export interface JoinGroupMember {
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly metadata: Buffer
}

export interface JoinGroupResponse {
  readonly errorCode: number
  readonly generationId: number
  readonly protocolName: string | null
  readonly leader: string
  readonly memberId: string
  /** Every member's metadata, for the leader only (empty for followers). */
  readonly members: readonly JoinGroupMember[]
}

/** SyncGroup (API key 14): the leader sends the assignments, every member receives its own. */
export interface SyncGroupRequest {
  readonly groupId: string
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly assignments: ReadonlyArray<{ readonly memberId: string; readonly assignment: Buffer }>
}

export interface SyncGroupResponse {
  readonly errorCode: number
  readonly assignment: Buffer
}

/** Heartbeat (API key 12). */
export interface HeartbeatRequest {
  readonly groupId: string
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId: string | null
}

export interface HeartbeatResponse {
  readonly errorCode: number
}

/** LeaveGroup (API key 13). */
export interface LeaveGroupRequest {
  readonly groupId: string
  readonly members: ReadonlyArray<{ readonly memberId: string; readonly groupInstanceId: string | null }>
}

export interface LeaveGroupResponse {
  readonly errorCode: number
  readonly members: ReadonlyArray<{ readonly memberId: string; readonly errorCode: number }>
}

/** OffsetCommit (API key 8). generationId -1 with an empty memberId is a "simple" commit (admin, no group). */
export interface OffsetCommitRequest {
  readonly groupId: string
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly topics: ReadonlyArray<{
    readonly topic: string
    readonly partitions: ReadonlyArray<{
      readonly partition: number
      readonly offset: number
      readonly metadata: string | null
      /** KIP-320: the leader epoch of the last record consumed, stored with the offset (-1 or absent: unknown). */
      readonly committedLeaderEpoch?: number
    }>
  }>
}

export interface PartitionErrors {
  readonly topics: ReadonlyArray<{
    readonly topic: string
    readonly partitions: ReadonlyArray<{ readonly partition: number; readonly errorCode: number }>
  }>
}

export type OffsetCommitResponse = PartitionErrors

/** OffsetFetch (API key 9). `topics: null` asks for every committed offset of the group. */
export interface OffsetFetchRequest {
  readonly groupId: string
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }> | null
  /** KIP-447: answer UNSTABLE_OFFSET_COMMIT while a transaction has pending offsets for a partition. */
  readonly requireStable: boolean
}

export interface OffsetFetchResponse {
  readonly errorCode: number
  readonly topics: ReadonlyArray<{
    readonly topic: string
    readonly partitions: ReadonlyArray<{
      readonly partition: number
      /** -1 when the group has no committed offset for the partition. */
      readonly offset: number
      /** KIP-320: the leader epoch committed with the offset, -1 if unknown. */
      readonly committedLeaderEpoch?: number
      readonly metadata: string | null
      readonly errorCode: number
    }>
  }>
}

/** Kafka's group states (classic protocol). */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead'

/** DescribeGroups (API key 15). */
export interface DescribeGroupsRequest {
  readonly groups: readonly string[]
}

export interface DescribedGroup {
  readonly errorCode: number
  readonly groupId: string
  readonly state: GroupState
  readonly protocolType: string
  readonly protocol: string
  readonly members: ReadonlyArray<{
    readonly memberId: string
    readonly groupInstanceId: string | null
    readonly clientId: string
    readonly clientHost: string
    readonly memberMetadata: Buffer
    readonly memberAssignment: Buffer
  }>
}

export interface DescribeGroupsResponse {
  readonly groups: readonly DescribedGroup[]
}

/** ListGroups (API key 16). */
export interface ListGroupsRequest {
  readonly statesFilter: readonly GroupState[]
}

export interface ListGroupsResponse {
  readonly errorCode: number
  readonly groups: ReadonlyArray<{ readonly groupId: string; readonly protocolType: string; readonly groupState: GroupState }>
}

/** DeleteGroups (API key 42). */
export interface DeleteGroupsRequest {
  readonly groupIds: readonly string[]
}

export interface DeleteGroupsResponse {
  readonly results: ReadonlyArray<{ readonly groupId: string; readonly errorCode: number }>
}

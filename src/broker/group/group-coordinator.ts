/**
 * Kafka's GroupCoordinator for the classic consumer group protocol: the broker-side entry point
 * of JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, DescribeGroups,
 * ListGroups and DeleteGroups. Answers carry Kafka error codes; nothing here throws for a Kafka
 * error. Modelled on Apache Kafka's `GroupCoordinator.scala` (pre-KIP-848), with KIP-394
 * (MEMBER_ID_REQUIRED), DelayedSync and static membership (KIP-345): a member with a
 * `group.instance.id` that restarts within its session timeout takes its place back, with its
 * assignment and without a rebalance; the incarnation it replaced is fenced (FENCED_INSTANCE_ID).
 */
import {
  Errors,
  type DeleteGroupsRequest,
  type DeleteGroupsResponse,
  type DescribeGroupsRequest,
  type DescribeGroupsResponse,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type JoinGroupRequest,
  type JoinGroupResponse,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
  type ListGroupsRequest,
  type ListGroupsResponse,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
  type SyncGroupRequest,
  type SyncGroupResponse,
  type TxnOffsetCommitRequest,
  type TxnOffsetCommitResponse,
} from '../../protocol/index.js'
import type { Clock, SeededRandom } from '../../time/index.js'
import type { ChangeSignal } from '../change-signal.js'
import { Group } from './group.js'
import type { GroupMember, MemberJoinInfo, MemberProtocol } from './group-member.js'
import { commitOffsets, fetchOffsets, OFFSET_METADATA_MAX_BYTES } from './offset-requests.js'
import { expireOffsets } from './offsets-retention.js'
import { Rebalancer, joinError, syncError } from './rebalance.js'

/** What a {@link GroupCoordinator} needs from its broker. */
export interface GroupCoordinatorOptions {
  clock: Clock
  random: SeededRandom
  config: {
    /** `group.min.session.timeout.ms` (Kafka default 6000). */
    minSessionTimeoutMs: number
    /** `group.max.session.timeout.ms` (Kafka default 1800000). */
    maxSessionTimeoutMs: number
    /** `group.initial.rebalance.delay.ms` (Kafka default 3000). */
    initialRebalanceDelayMs: number
    /** `offsets.retention.minutes` in ms (Kafka default 7 days). */
    offsetsRetentionMs: number
    /** `offsets.retention.check.interval.ms` (Kafka default 600000). */
    offsetsRetentionCheckIntervalMs: number
  }
  /** Whether a topic-partition exists, for OffsetCommit's UNKNOWN_TOPIC_OR_PARTITION. */
  partitionExists(topic: string, partition: number): boolean
}

/** The group coordinator of a cluster: every consumer group's membership, generations and committed offsets. */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>()
  private readonly rebalancer: Rebalancer

  constructor(private readonly opts: GroupCoordinatorOptions) {
    this.rebalancer = new Rebalancer(opts.clock, opts.config.initialRebalanceDelayMs)
    this.scheduleOffsetsRetentionCheck()
  }

  /**
   * JoinGroup. A member without an id gets one with MEMBER_ID_REQUIRED and joins again with it
   * (KIP-394). The answer is held until the join phase ends: when every known member has
   * rejoined, or the rebalance timeout passes, or for an empty group after the initial delay.
   */
  joinGroup(req: JoinGroupRequest): Promise<JoinGroupResponse> {
    const fail = (error: { code: number }) => Promise.resolve(joinError(req.memberId, error.code))
    if (req.groupId === '') return fail(Errors.INVALID_GROUP_ID)
    const { minSessionTimeoutMs, maxSessionTimeoutMs } = this.opts.config
    if (!(req.sessionTimeoutMs >= minSessionTimeoutMs && req.sessionTimeoutMs <= maxSessionTimeoutMs)) return fail(Errors.INVALID_SESSION_TIMEOUT)
    const isNewMember = req.memberId === ''
    const existing = this.groups.get(req.groupId)
    if (existing === undefined && !isNewMember) return fail(Errors.UNKNOWN_MEMBER_ID)
    const group = existing ?? new Group(req.groupId, this.opts.clock)
    const info: MemberJoinInfo = { ...req, protocols: uniqueByName(req.protocols) }
    if (!group.supportsProtocols(info.protocolType, info.protocols)) return fail(Errors.INCONSISTENT_GROUP_PROTOCOL)
    this.groups.set(group.groupId, group)

    if (isNewMember && req.groupInstanceId !== null) return this.joinStaticMember(group, req.groupInstanceId, info)
    if (isNewMember) {
      const memberId = `${req.clientId}-${this.uuid()}`
      this.rebalancer.addPendingMember(group, memberId, req.sessionTimeoutMs)
      return Promise.resolve(joinError(memberId, Errors.MEMBER_ID_REQUIRED.code))
    }
    if (group.pendingMembers.has(req.memberId)) return this.rebalancer.addMemberAndRebalance(group, req.memberId, info)
    const error = group.currentMemberError(req.memberId, req.groupInstanceId)
    if (error !== Errors.NONE.code) return fail({ code: error })
    const member = group.members.get(req.memberId)!
    switch (group.state) {
      case 'PreparingRebalance':
        return this.rebalancer.updateMemberAndRebalance(group, member, info)
      case 'CompletingRebalance':
        // A member that lost its JoinGroup answer gets it again, unless it changed its protocols.
        if (member.matches(info.protocols)) return Promise.resolve(this.currentGeneration(group, member))
        return this.rebalancer.updateMemberAndRebalance(group, member, info)
      case 'Stable':
        // A rejoining leader forces a rebalance (it may have seen new partitions); a follower with unchanged protocols does not.
        if (group.isLeader(member.memberId) || !member.matches(info.protocols)) return this.rebalancer.updateMemberAndRebalance(group, member, info)
        return Promise.resolve(this.currentGeneration(group, member))
      case 'Empty':
      case 'Dead':
        return fail(Errors.UNKNOWN_MEMBER_ID)
    }
  }

  /**
   * A JoinGroup with a `group.instance.id` and no member id (Kafka's `doStaticNewMemberJoinGroup`,
   * KIP-345). Static members skip KIP-394's MEMBER_ID_REQUIRED round trip. An unknown instance
   * joins as a new member; a known one restarted: it takes a new member id, which fences the old
   * one, and keeps its place. In a Stable group whose protocol choice it leaves unchanged it gets
   * its old assignment back in the current generation, answered at once with the current leader's
   * id so it does not assign (Kafka's `updateStaticMemberAndRebalance`); otherwise the group
   * rebalances. Kafka compares only the selected protocol, not the subscription metadata.
   */
  private joinStaticMember(group: Group, groupInstanceId: string, info: MemberJoinInfo): Promise<JoinGroupResponse> {
    const newMemberId = `${groupInstanceId}-${this.uuid()}`
    const oldMemberId = group.staticMemberId(groupInstanceId)
    if (oldMemberId === undefined) return this.rebalancer.addMemberAndRebalance(group, newMemberId, info)
    const currentLeader = group.leaderId ?? ''
    this.rebalancer.fenceParkedRequests(group.members.get(oldMemberId)!)
    const member = group.replaceStaticMember(groupInstanceId, oldMemberId, newMemberId)
    this.rebalancer.scheduleSessionExpiry(group, member)
    group.updateProtocols(member, () => member.update(info))
    if (group.is('Stable') && group.selectProtocol() === group.protocolName) {
      return Promise.resolve({
        errorCode: Errors.NONE.code,
        generationId: group.generationId,
        protocolName: group.protocolName,
        leader: currentLeader,
        memberId: newMemberId,
        members: [],
      })
    }
    // CompletingRebalance: the leader may be assigning to the old member id, so the group rebalances again.
    return this.rebalancer.awaitJoinPhase(group, member)
  }

  /**
   * What a member's parked fetch watches to end when the member must rejoin: the group's
   * rebalance signal, and whether the group is rebalancing without this member's JoinGroup yet.
   * Undefined for an unknown group or member.
   */
  rejoinWatch(groupId: string, memberId: string): { readonly signal: ChangeSignal; mustRejoin(): boolean } | undefined {
    const group = this.groups.get(groupId)
    if (group === undefined || !group.members.has(memberId)) return undefined
    return {
      signal: group.rebalanceStarted,
      mustRejoin: () => group.is('PreparingRebalance') && group.members.get(memberId)?.awaitingJoin === null,
    }
  }

  /**
   * SyncGroup. The leader's request carries every member's assignment; each member's answer is
   * held until the leader's arrives. During a new join phase the answer is REBALANCE_IN_PROGRESS.
   */
  syncGroup(req: SyncGroupRequest): Promise<SyncGroupResponse> {
    const checked = this.currentMember(req.groupId, req.memberId, req.groupInstanceId, req.generationId)
    if (typeof checked === 'number') return Promise.resolve(syncError(checked))
    const { group, member } = checked
    switch (group.state) {
      case 'PreparingRebalance':
        return Promise.resolve(syncError(Errors.REBALANCE_IN_PROGRESS.code))
      case 'CompletingRebalance': {
        this.rebalancer.answerSync(member, syncError(Errors.REBALANCE_IN_PROGRESS.code))
        const response = new Promise<SyncGroupResponse>((resolve) => {
          member.awaitingSync = resolve
        })
        this.rebalancer.markSynced(group, member.memberId)
        if (group.isLeader(member.memberId)) {
          this.rebalancer.completeSync(group, new Map(req.assignments.map((a) => [a.memberId, a.assignment])))
        }
        return response
      }
      case 'Stable':
        this.rebalancer.markSynced(group, member.memberId)
        this.rebalancer.scheduleSessionExpiry(group, member)
        return Promise.resolve({ errorCode: Errors.NONE.code, assignment: Buffer.from(member.assignment) })
      default:
        return Promise.resolve(syncError(Errors.UNKNOWN_MEMBER_ID.code))
    }
  }

  /**
   * Heartbeat: resets the member's session timer. REBALANCE_IN_PROGRESS tells a member of the
   * current generation to rejoin; a member of an older generation gets ILLEGAL_GENERATION.
   */
  heartbeat(req: HeartbeatRequest): HeartbeatResponse {
    const checked = this.currentMember(req.groupId, req.memberId, req.groupInstanceId, req.generationId)
    if (typeof checked === 'number') return { errorCode: checked }
    const { group, member } = checked
    if (group.is('Empty') || group.is('Dead')) return { errorCode: Errors.UNKNOWN_MEMBER_ID.code }
    this.rebalancer.scheduleSessionExpiry(group, member)
    return { errorCode: group.is('PreparingRebalance') ? Errors.REBALANCE_IN_PROGRESS.code : Errors.NONE.code }
  }

  /**
   * LeaveGroup (batch form, v3+): each listed member leaves and the group rebalances without it.
   * Per-member errors; the top-level error is only for the group itself.
   */
  leaveGroup(req: LeaveGroupRequest): LeaveGroupResponse {
    if (req.groupId === '') return { errorCode: Errors.INVALID_GROUP_ID.code, members: [] }
    const group = this.groups.get(req.groupId)
    const members = req.members.map(({ memberId, groupInstanceId }) => {
      if (group === undefined) return { memberId, errorCode: Errors.UNKNOWN_MEMBER_ID.code }
      // KIP-345: an admin removes a static member by its instance id alone (no member id).
      if (memberId === '' && groupInstanceId !== null) {
        const current = group.staticMemberId(groupInstanceId)
        if (current === undefined) return { memberId, errorCode: Errors.UNKNOWN_MEMBER_ID.code }
        this.rebalancer.removeMember(group, group.members.get(current)!)
        return { memberId, errorCode: Errors.NONE.code }
      }
      if (group.pendingMembers.has(memberId)) {
        this.rebalancer.removePendingMember(group, memberId)
        return { memberId, errorCode: Errors.NONE.code }
      }
      const error = group.currentMemberError(memberId, groupInstanceId)
      if (error !== Errors.NONE.code) return { memberId, errorCode: error }
      this.rebalancer.removeMember(group, group.members.get(memberId)!)
      return { memberId, errorCode: Errors.NONE.code }
    })
    return { errorCode: Errors.NONE.code, members }
  }

  /**
   * OffsetCommit: the committed offset is the next offset the group will read. A member commits
   * with its generation; an admin or a consumer without group management commits with
   * generation -1 and no member id, which only an empty group accepts.
   */
  offsetCommit(req: OffsetCommitRequest): OffsetCommitResponse {
    return commitOffsets(req, {
      group: this.groups.get(req.groupId),
      now: this.opts.clock.now(),
      partitionExists: this.opts.partitionExists,
      createGroup: () => this.createGroup(req.groupId),
      touch: (group, member) => this.rebalancer.scheduleSessionExpiry(group, member),
    })
  }

  /**
   * TxnOffsetCommit (KIP-98): stages the offsets under the producer id until its transaction's
   * marker arrives ({@link completeTransaction}). A commit that names a member or generation must
   * come from a current member (KIP-447); KafkaJS names none, which any group accepts.
   */
  txnOffsetCommit(req: TxnOffsetCommitRequest): TxnOffsetCommitResponse {
    const group = this.groups.get(req.groupId)
    let groupError = 0
    if (group?.is('Dead')) groupError = Errors.COORDINATOR_NOT_AVAILABLE.code
    else if (group !== undefined && (req.generationId >= 0 || req.memberId !== '')) {
      if (!group.members.has(req.memberId)) groupError = Errors.UNKNOWN_MEMBER_ID.code
      else if (req.generationId !== group.generationId) groupError = Errors.ILLEGAL_GENERATION.code
    }
    const staged: Array<{ topic: string; partition: number; offset: number; metadata: string | null }> = []
    const topics = req.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => {
        let errorCode = groupError
        if (errorCode === 0 && !this.opts.partitionExists(t.topic, p.partition)) errorCode = Errors.UNKNOWN_TOPIC_OR_PARTITION.code
        else if (errorCode === 0 && p.metadata !== null && Buffer.byteLength(p.metadata) > OFFSET_METADATA_MAX_BYTES) errorCode = Errors.OFFSET_METADATA_TOO_LARGE.code
        if (errorCode === 0) staged.push({ topic: t.topic, partition: p.partition, offset: p.offset, metadata: p.metadata })
        return { partition: p.partition, errorCode }
      }),
    }))
    if (staged.length > 0) (group ?? this.createGroup(req.groupId)).offsets.stageTransactional(req.producerId, staged, this.opts.clock.now())
    return { topics }
  }

  /**
   * A transaction marker reached the `__consumer_offsets` partition of the groups `inPartition`
   * accepts: their offsets staged by `producerId` become committed (COMMIT) or are dropped (ABORT).
   */
  completeTransaction(producerId: number, committed: boolean, inPartition: (groupId: string) => boolean): void {
    for (const group of this.groups.values()) if (inPartition(group.groupId)) group.offsets.completeTransaction(producerId, committed)
  }

  /** OffsetFetch: -1 for a partition without a committed offset; `topics: null` returns every committed offset. */
  offsetFetch(req: OffsetFetchRequest): OffsetFetchResponse {
    return fetchOffsets(req, this.groups.get(req.groupId))
  }

  /** DescribeGroups: an unknown group is reported as Dead with no members, as Kafka does. */
  describeGroups(req: DescribeGroupsRequest): DescribeGroupsResponse {
    return {
      groups: req.groups.map(
        (groupId) =>
          this.groups.get(groupId)?.describe() ?? { errorCode: Errors.NONE.code, groupId, state: 'Dead', protocolType: '', protocol: '', members: [] },
      ),
    }
  }

  /** ListGroups, optionally filtered by state (KIP-518). */
  listGroups(req: ListGroupsRequest): ListGroupsResponse {
    const wanted = new Set(req.statesFilter)
    const groups = [...this.groups.values()]
      .filter((g) => wanted.size === 0 || wanted.has(g.state))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state }))
    return { errorCode: Errors.NONE.code, groups }
  }

  /** DeleteGroups: removes an empty group and its committed offsets; NON_EMPTY_GROUP while it has members. */
  deleteGroups(req: DeleteGroupsRequest): DeleteGroupsResponse {
    return {
      results: req.groupIds.map((groupId) => {
        const group = this.groups.get(groupId)
        if (group === undefined) return { groupId, errorCode: Errors.GROUP_ID_NOT_FOUND.code }
        if (!group.is('Empty')) return { groupId, errorCode: Errors.NON_EMPTY_GROUP.code }
        this.removeGroup(group)
        return { groupId, errorCode: Errors.NONE.code }
      }),
    }
  }

  /**
   * A topic was deleted: its committed offsets go, and a group left Empty with no offsets by
   * that is removed (Kafka's `handleDeletedPartitions` and group metadata clean-up).
   */
  onTopicDeleted(topic: string): void {
    for (const group of [...this.groups.values()]) {
      if (group.offsets.all().every((t) => t.topic !== topic)) continue
      group.offsets.removeTopic(topic)
      if (group.is('Empty') && group.offsets.isEmpty()) this.removeGroup(group)
    }
  }

  /**
   * One pass of offsets retention (see offsets-retention.ts): expired offsets go, and a group left
   * Empty without offsets is removed. Returns how many offsets expired.
   */
  removeExpiredOffsets(): number {
    const pass = expireOffsets([...this.groups.values()], this.opts.clock.now(), this.opts.config.offsetsRetentionMs)
    for (const group of pass.emptied) this.removeGroup(group)
    return pass.expired
  }

  /** Runs {@link removeExpiredOffsets} every `offsets.retention.check.interval.ms`, in the background. */
  private scheduleOffsetsRetentionCheck(): void {
    this.opts.clock.setTimeout(
      () => {
        this.removeExpiredOffsets()
        this.scheduleOffsetsRetentionCheck()
      },
      this.opts.config.offsetsRetentionCheckIntervalMs,
      { background: true },
    )
  }

  /** Checks group id, membership and generation, in Kafka's order; returns the error code if any. */
  private currentMember(groupId: string, memberId: string, groupInstanceId: string | null, generationId: number): { group: Group; member: GroupMember } | number {
    if (groupId === '') return Errors.INVALID_GROUP_ID.code
    const group = this.groups.get(groupId)
    if (group === undefined) return Errors.UNKNOWN_MEMBER_ID.code
    if (group.is('Dead')) return Errors.COORDINATOR_NOT_AVAILABLE.code
    const error = group.currentMemberError(memberId, groupInstanceId)
    if (error !== Errors.NONE.code) return error
    if (generationId !== group.generationId) return Errors.ILLEGAL_GENERATION.code
    return { group, member: group.members.get(memberId)! }
  }

  /** The join answer of the generation in progress, for a member that asks again without changes. */
  private currentGeneration(group: Group, member: GroupMember): JoinGroupResponse {
    this.rebalancer.scheduleSessionExpiry(group, member)
    const isLeader = group.isLeader(member.memberId)
    return {
      errorCode: Errors.NONE.code,
      generationId: group.generationId,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      memberId: member.memberId,
      members: isLeader
        ? [...group.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: Buffer.from(m.metadataFor(group.protocolName!)) }))
        : [],
    }
  }

  private createGroup(groupId: string): Group {
    const group = new Group(groupId, this.opts.clock)
    this.groups.set(groupId, group)
    return group
  }

  private removeGroup(group: Group): void {
    group.transitionTo('Dead')
    this.rebalancer.cancelAll(group)
    this.groups.delete(group.groupId)
  }

  /** A random UUID (RFC 4122 v4 layout) from the seeded generator, as Kafka's member ids carry one. */
  private uuid(): string {
    const r = this.opts.random
    return `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${'89ab'[r.int(4)]}${r.hex(3)}-${r.hex(12)}`
  }
}

/** Keeps the first of protocols that share a name, as Kafka's protocol collection is keyed by name. */
function uniqueByName(protocols: readonly MemberProtocol[]): MemberProtocol[] {
  const seen = new Set<string>()
  return protocols.filter((p) => !seen.has(p.name) && seen.add(p.name))
}

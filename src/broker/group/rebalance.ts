/**
 * The rebalance machinery of Kafka's classic group protocol (`GroupCoordinator.scala`): starting
 * a rebalance, the join phase bounded by the rebalance timeout (DelayedJoin) or by
 * `group.initial.rebalance.delay.ms` (InitialDelayedJoin), the sync phase bounded by the pending
 * sync timeout (DelayedSync), session expiry of silent members, and member removal.
 * Every timer runs on the cluster's {@link Clock}.
 */
import { Errors, type JoinGroupResponse, type SyncGroupResponse } from '../../protocol/index.js'
import type { Clock } from '../../time/index.js'
import type { Group } from './group.js'
import { GroupMember, type MemberJoinInfo } from './group-member.js'

/**
 * Kafka's `GroupCoordinator.NewMemberJoinTimeoutMs`: a brand-new member parked in JoinGroup cannot
 * heartbeat, so it is dropped if its join has not completed within 5 minutes (it retries if alive).
 */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60_000

/** A JoinGroup answer that carries only an error (no generation, protocol, leader or members). */
export function joinError(memberId: string, errorCode: number): JoinGroupResponse {
  return { errorCode, generationId: -1, protocolName: null, leader: '', memberId, members: [] }
}

/** A SyncGroup answer that carries only an error. */
export function syncError(errorCode: number): SyncGroupResponse {
  return { errorCode, assignment: Buffer.alloc(0) }
}

/** Drives the rebalances of a coordinator's groups on its clock. */
export class Rebalancer {
  constructor(
    private readonly clock: Clock,
    private readonly initialRebalanceDelayMs: number,
  ) {}

  /** Adds a member whose id was handed out with MEMBER_ID_REQUIRED, and starts (or joins) a rebalance. */
  addMemberAndRebalance(group: Group, memberId: string, info: MemberJoinInfo): Promise<JoinGroupResponse> {
    const member = new GroupMember(memberId, info)
    const timer = group.pendingMembers.get(memberId)
    if (timer !== undefined) this.clock.clearTimeout(timer)
    group.pendingMembers.delete(memberId)
    // A join during the first, delayed rebalance extends the delay (Kafka's InitialDelayedJoin).
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true
    group.add(member)
    const response = this.park(member)
    this.scheduleSessionExpiry(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS)
    this.maybePrepareRebalance(group)
    this.tryCompleteJoin(group)
    return response
  }

  /** A known member rejoins with (possibly new) protocols and timeouts: it waits for the join phase to end. */
  updateMemberAndRebalance(group: Group, member: GroupMember, info: MemberJoinInfo): Promise<JoinGroupResponse> {
    group.updateProtocols(member, () => member.update(info))
    return this.awaitJoinPhase(group, member)
  }

  /** Parks a member's JoinGroup until the join phase ends, starting a rebalance if none is under way. */
  awaitJoinPhase(group: Group, member: GroupMember): Promise<JoinGroupResponse> {
    const response = this.park(member)
    this.maybePrepareRebalance(group)
    this.tryCompleteJoin(group)
    return response
  }

  /** Gives out a member id (KIP-394) and expires it if its owner does not join within its session timeout. */
  addPendingMember(group: Group, memberId: string, sessionTimeoutMs: number): void {
    const timer = this.clock.setTimeout(() => {
      if (group.pendingMembers.has(memberId)) this.removePendingMember(group, memberId)
    }, sessionTimeoutMs)
    group.pendingMembers.set(memberId, timer)
  }

  /** Forgets a pending member id; the join phase may now be complete without it. */
  removePendingMember(group: Group, memberId: string): void {
    const timer = group.pendingMembers.get(memberId)
    if (timer !== undefined) this.clock.clearTimeout(timer)
    group.pendingMembers.delete(memberId)
    this.tryCompleteJoin(group)
  }

  /**
   * Removes a member that left or expired (Kafka's `removeMemberAndUpdateGroup`): its parked
   * requests are answered UNKNOWN_MEMBER_ID, and the group rebalances without it.
   */
  removeMember(group: Group, member: GroupMember): void {
    this.answerJoin(member, joinError('', Errors.UNKNOWN_MEMBER_ID.code))
    this.answerSync(member, syncError(Errors.UNKNOWN_MEMBER_ID.code))
    this.cancelSessionExpiry(member)
    group.remove(member.memberId)
    if (group.is('Stable') || group.is('CompletingRebalance')) this.maybePrepareRebalance(group)
    else this.tryCompleteJoin(group)
  }

  /**
   * A static member restarted under a new member id (KIP-345): the JoinGroup or SyncGroup its
   * old incarnation may have parked is answered FENCED_INSTANCE_ID, as Kafka's `replaceStaticMember`.
   */
  fenceParkedRequests(member: GroupMember): void {
    this.answerJoin(member, joinError(member.memberId, Errors.FENCED_INSTANCE_ID.code))
    this.answerSync(member, syncError(Errors.FENCED_INSTANCE_ID.code))
  }

  /** Starts a rebalance if the group's state allows one (Kafka's `maybePrepareRebalance`). */
  maybePrepareRebalance(group: Group): void {
    if (group.canRebalance()) this.prepareRebalance(group)
  }

  /** (Re)starts the session timer of a member: it is removed if it stays silent for `timeoutMs`. */
  scheduleSessionExpiry(group: Group, member: GroupMember, timeoutMs = member.sessionTimeoutMs): void {
    this.cancelSessionExpiry(member)
    member.sessionTimer = this.clock.setTimeout(() => this.onSessionExpired(group, member), timeoutMs, { background: true })
  }

  /** Stops a member's session timer (it left, or the group was deleted). */
  cancelSessionExpiry(member: GroupMember): void {
    if (member.sessionTimer !== null) this.clock.clearTimeout(member.sessionTimer)
    member.sessionTimer = null
  }

  /** The leader's assignment arrived: every member gets its part, missing members an empty one. */
  completeSync(group: Group, assignments: ReadonlyMap<string, Buffer>): void {
    for (const member of group.members.values()) member.assignment = Buffer.from(assignments.get(member.memberId) ?? Buffer.alloc(0))
    group.transitionTo('Stable')
    this.propagateAssignment(group, Errors.NONE.code)
  }

  /** Sync received from a member: it no longer holds the sync phase open. */
  markSynced(group: Group, memberId: string): void {
    group.pendingSyncMembers.delete(memberId)
    if (group.pendingSyncMembers.size === 0) this.cancelSyncTimer(group)
  }

  /** Cancels every timer of a group that is being deleted. */
  cancelAll(group: Group): void {
    for (const member of group.members.values()) this.cancelSessionExpiry(member)
    for (const timer of group.pendingMembers.values()) this.clock.clearTimeout(timer)
    if (group.delayedJoin !== null) this.clock.clearTimeout(group.delayedJoin.timer)
    group.delayedJoin = null
    this.cancelSyncTimer(group)
  }

  private prepareRebalance(group: Group): void {
    // Members waiting for an assignment that will never come are told to rejoin.
    if (group.is('CompletingRebalance')) this.resetAndPropagateAssignmentError(group, Errors.REBALANCE_IN_PROGRESS.code)
    this.cancelSyncTimer(group)
    const initial = group.is('Empty')
    group.transitionTo('PreparingRebalance')
    group.rebalanceStarted.notify()
    if (initial) {
      const delay = this.initialRebalanceDelayMs
      this.scheduleInitialJoin(group, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0))
    } else {
      const timer = this.clock.setTimeout(() => this.completeJoin(group), group.rebalanceTimeoutMs())
      group.delayedJoin = { timer, initial: false }
      this.tryCompleteJoin(group)
    }
  }

  /**
   * Kafka's InitialDelayedJoin: the first rebalance of an empty group waits `delayMs`, and again
   * (at most the delay, at most `remainingMs` in all) each time a new member joined meanwhile,
   * so a fleet of consumers starting together forms one generation instead of many.
   */
  private scheduleInitialJoin(group: Group, delayMs: number, remainingMs: number): void {
    const timer = this.clock.setTimeout(() => {
      if (group.newMemberAdded && remainingMs > 0) {
        group.newMemberAdded = false
        const next = Math.min(this.initialRebalanceDelayMs, remainingMs)
        this.scheduleInitialJoin(group, next, Math.max(remainingMs - next, 0))
      } else {
        this.completeJoin(group)
      }
    }, delayMs)
    group.delayedJoin = { timer, initial: true }
  }

  /** Completes a regular join phase as soon as every member has rejoined (DelayedJoin's `tryComplete`). */
  private tryCompleteJoin(group: Group): void {
    if (group.is('PreparingRebalance') && group.delayedJoin?.initial === false && group.hasAllMembersJoined()) this.completeJoin(group)
  }

  /**
   * Ends the join phase (Kafka's `onCompleteJoin`): members that did not rejoin are removed, the
   * next generation starts, every member gets its JoinGroup answer (the leader with everyone's
   * metadata), and the coordinator waits, up to the rebalance timeout, for their SyncGroups.
   */
  private completeJoin(group: Group): void {
    if (!group.is('PreparingRebalance')) return
    if (group.delayedJoin !== null) this.clock.clearTimeout(group.delayedJoin.timer)
    group.delayedJoin = null
    group.newMemberAdded = false
    for (const member of [...group.members.values()]) {
      if (member.awaitingJoin === null) {
        this.cancelSessionExpiry(member)
        group.remove(member.memberId)
      }
    }
    group.initNextGeneration()
    if (group.is('Empty')) return
    const leader = group.leaderId!
    const allMembers = [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: Buffer.from(m.metadataFor(group.protocolName!)),
    }))
    for (const member of group.members.values()) {
      this.answerJoin(member, {
        errorCode: Errors.NONE.code,
        generationId: group.generationId,
        protocolName: group.protocolName,
        leader,
        memberId: member.memberId,
        members: member.memberId === leader ? allMembers : [],
      })
      this.scheduleSessionExpiry(group, member)
      member.isNew = false
      group.pendingSyncMembers.add(member.memberId)
    }
    this.schedulePendingSync(group)
  }

  /**
   * Kafka's DelayedSync (KAFKA-12890): members that have not sent SyncGroup within the
   * rebalance timeout of the join's end are removed and the group rebalances.
   */
  private schedulePendingSync(group: Group): void {
    const generationId = group.generationId
    group.syncTimer = this.clock.setTimeout(() => {
      group.syncTimer = null
      if (group.generationId !== generationId) return
      if (!group.is('CompletingRebalance') && !group.is('Stable')) return
      if (group.pendingSyncMembers.size === 0) return
      for (const memberId of [...group.pendingSyncMembers]) {
        const member = group.members.get(memberId)
        if (member === undefined) continue
        this.answerSync(member, syncError(Errors.UNKNOWN_MEMBER_ID.code))
        this.cancelSessionExpiry(member)
        group.remove(memberId)
      }
      this.maybePrepareRebalance(group)
    }, group.rebalanceTimeoutMs())
  }

  private cancelSyncTimer(group: Group): void {
    if (group.syncTimer !== null) this.clock.clearTimeout(group.syncTimer)
    group.syncTimer = null
  }

  /**
   * Kafka's `onExpireHeartbeat` with `hasSatisfiedHeartbeat`: a member parked in JoinGroup or
   * SyncGroup is waiting on the coordinator, not silent, so only the phase's own timeout bounds
   * it; a brand-new member parked in its first join is bounded by {@link NEW_MEMBER_JOIN_TIMEOUT_MS}.
   */
  private onSessionExpired(group: Group, member: GroupMember): void {
    member.sessionTimer = null
    if (group.members.get(member.memberId) !== member) return
    const parked = member.awaitingJoin !== null || member.awaitingSync !== null
    if (parked && !member.isNew) return
    this.removeMember(group, member)
  }

  private resetAndPropagateAssignmentError(group: Group, errorCode: number): void {
    for (const member of group.members.values()) member.assignment = Buffer.alloc(0)
    this.propagateAssignment(group, errorCode)
  }

  /** Answers every parked SyncGroup; their session timers restart, as the expiry was ignored while parked. */
  private propagateAssignment(group: Group, errorCode: number): void {
    for (const member of group.members.values()) {
      const answered = this.answerSync(member, { errorCode, assignment: Buffer.from(member.assignment) })
      if (answered) this.scheduleSessionExpiry(group, member)
    }
  }

  private park(member: GroupMember): Promise<JoinGroupResponse> {
    // A second JoinGroup from the same member supersedes the first (the client gave up on it).
    this.answerJoin(member, joinError(member.memberId, Errors.REBALANCE_IN_PROGRESS.code))
    return new Promise((resolve) => {
      member.awaitingJoin = resolve
    })
  }

  private answerJoin(member: GroupMember, response: JoinGroupResponse): boolean {
    const callback = member.awaitingJoin
    if (callback === null) return false
    member.awaitingJoin = null
    callback(response)
    return true
  }

  /** Answers a parked SyncGroup, if any. */
  answerSync(member: GroupMember, response: SyncGroupResponse): boolean {
    const callback = member.awaitingSync
    if (callback === null) return false
    member.awaitingSync = null
    callback(response)
    return true
  }
}

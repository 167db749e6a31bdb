/**
 * A consumer group's state at its coordinator, as Kafka's `GroupMetadata`: the state machine
 * (Empty, PreparingRebalance, CompletingRebalance, Stable, Dead), the generation, the members
 * and the leader, the chosen protocol, and the group's committed offsets.
 */
import { ChangeSignal } from '../change-signal.js'
import { Errors, type DescribedGroup, type GroupState } from '../../protocol/index.js'
import type { TimerHandle } from '../../time/index.js'
import { GroupMember, type MemberProtocol } from './group-member.js'
import { OffsetStore } from './offset-store.js'

/** Kafka's `GroupState.validPreviousStates`: the states each state may be entered from. */
const VALID_PREVIOUS: Readonly<Record<GroupState, readonly GroupState[]>> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
}

/** Thrown on a transition Kafka's state machine forbids: a coordinator bug, never a client error. */
export class IllegalGroupStateError extends Error {
  override name = 'IllegalGroupStateError'
}

/** One consumer group. */
export class Group {
  private currentState: GroupState = 'Empty'
  generationId = 0
  /** Set by the first member; every later member must use the same protocol type. */
  protocolType: string | null = null
  /** The protocol (assignor) chosen for the current generation; null when Empty. */
  protocolName: string | null = null
  leaderId: string | null = null
  /** Members in join order: the order the leader sees them, and the order a new leader is picked in. */
  readonly members = new Map<string, GroupMember>()
  /** Static members (KIP-345): `group.instance.id` to the member id that holds it now. */
  private readonly staticMembers = new Map<string, string>()
  /** Member ids handed out with MEMBER_ID_REQUIRED (KIP-394) whose owners have not joined yet, with their expiry timers. */
  readonly pendingMembers = new Map<string, TimerHandle>()
  /** Members that have not sent SyncGroup in the current generation. */
  readonly pendingSyncMembers = new Set<string>()
  /** Set when a member joins during the first (delayed) rebalance, to extend `group.initial.rebalance.delay.ms`. */
  newMemberAdded = false
  /**
   * The pending end of the current join phase: Kafka's DelayedJoin (rebalance timeout, completes
   * early once every member has rejoined) or InitialDelayedJoin (`group.initial.rebalance.delay.ms`,
   * never early).
   */
  delayedJoin: { readonly timer: TimerHandle; readonly initial: boolean } | null = null
  /** The timer bounding how long the coordinator waits for every member's SyncGroup. */
  syncTimer: TimerHandle | null = null
  readonly offsets = new OffsetStore()
  /** Notified when a rebalance starts: parked fetches of the members end, so they rejoin at once. */
  readonly rebalanceStarted = new ChangeSignal()
  private readonly protocolSupport = new Map<string, number>()
  /** When the group entered its current state (Kafka's `currentStateTimestamp`): KIP-211 counts offsets retention from when it became Empty. */
  stateChangedAt: number

  constructor(
    readonly groupId: string,
    private readonly clock: { now(): number },
  ) {
    this.stateChangedAt = clock.now()
  }

  get state(): GroupState {
    return this.currentState
  }

  is(state: GroupState): boolean {
    return this.currentState === state
  }

  /** Moves to `state`, asserting Kafka's state machine allows it. */
  transitionTo(state: GroupState): void {
    if (!VALID_PREVIOUS[state].includes(this.currentState)) {
      throw new IllegalGroupStateError(`group ${this.groupId} cannot move from ${this.currentState} to ${state}`)
    }
    this.currentState = state
    this.stateChangedAt = this.clock.now()
  }

  /** Whether a rebalance may start now (Kafka's `canRebalance`). */
  canRebalance(): boolean {
    return VALID_PREVIOUS.PreparingRebalance.includes(this.currentState)
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId
  }

  /**
   * Whether a member with these protocols may join: an empty group takes any non-empty list;
   * otherwise the protocol type must match and at least one protocol must be supported by
   * every current member (Kafka's `supportsProtocols`, else INCONSISTENT_GROUP_PROTOCOL).
   */
  supportsProtocols(protocolType: string, protocols: readonly MemberProtocol[]): boolean {
    if (this.members.size === 0) return protocolType.length > 0 && protocols.length > 0
    return protocolType === this.protocolType && protocols.some((p) => this.protocolSupport.get(p.name) === this.members.size)
  }

  /** Adds a member that has joined; the first member becomes leader and fixes the protocol type. */
  add(member: GroupMember): void {
    if (this.members.size === 0) this.protocolType = member.protocolType
    if (this.leaderId === null) this.leaderId = member.memberId
    this.members.set(member.memberId, member)
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId)
    this.countProtocols(member.protocols, 1)
  }

  /** The member id that holds a `group.instance.id` now (KIP-345), if any. */
  staticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId)
  }

  /**
   * Kafka's `validateCurrentMember`: with a `group.instance.id`, the instance must be known and held
   * by this member id (FENCED_INSTANCE_ID when a newer incarnation took it over, KIP-345); without
   * one, the member id must be known. Returns the error code, 0 when the member is current.
   */
  currentMemberError(memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const current = this.staticMembers.get(groupInstanceId)
      if (current === undefined) return Errors.UNKNOWN_MEMBER_ID.code
      return current === memberId ? Errors.NONE.code : Errors.FENCED_INSTANCE_ID.code
    }
    return this.members.has(memberId) ? Errors.NONE.code : Errors.UNKNOWN_MEMBER_ID.code
  }

  /**
   * A static member restarted (Kafka's `replaceStaticMember`, KIP-345): the member keeps its
   * place, protocols, leadership and assignment under a new member id; the old id is gone, so
   * whoever still uses it is fenced.
   */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): GroupMember {
    const member = this.members.get(oldMemberId)
    if (member === undefined) throw new IllegalGroupStateError(`group ${this.groupId} has no member ${oldMemberId} for instance ${groupInstanceId}`)
    const entries = [...this.members].map(([id, m]): [string, GroupMember] => (id === oldMemberId ? [newMemberId, m] : [id, m]))
    this.members.clear()
    for (const [id, m] of entries) this.members.set(id, m)
    member.memberId = newMemberId
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(newMemberId)
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId
    this.staticMembers.set(groupInstanceId, newMemberId)
    return member
  }

  /** Replaces a member's protocols on rejoin, keeping the support counts right. */
  updateProtocols(member: GroupMember, apply: () => void): void {
    this.countProtocols(member.protocols, -1)
    apply()
    this.countProtocols(member.protocols, 1)
  }

  /** Removes a member; if it led, the next member in join order leads (Kafka keeps a leader that rejoins). */
  remove(memberId: string): GroupMember | undefined {
    const member = this.members.get(memberId)
    if (member === undefined) return undefined
    this.members.delete(memberId)
    if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId) this.staticMembers.delete(member.groupInstanceId)
    this.pendingSyncMembers.delete(memberId)
    this.countProtocols(member.protocols, -1)
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value ?? null
    return member
  }

  /** Every member has a JoinGroup parked and no KIP-394 member id is still outstanding. */
  hasAllMembersJoined(): boolean {
    for (const member of this.members.values()) if (member.awaitingJoin === null) return false
    return this.pendingMembers.size === 0
  }

  /** The largest rebalance timeout of the members: how long a join phase may wait for rejoins. */
  rebalanceTimeoutMs(): number {
    let max = 0
    for (const member of this.members.values()) max = Math.max(max, member.rebalanceTimeoutMs)
    return max
  }

  /**
   * Picks the protocol for the next generation as Kafka's `selectProtocol`: among the protocols
   * every member supports, each member votes for the one it prefers most; most votes wins
   * (ties go to the candidate voted for first, for determinism).
   */
  selectProtocol(): string {
    const candidates = new Set([...this.protocolSupport].filter(([, n]) => n === this.members.size).map(([name]) => name))
    const votes = new Map<string, number>()
    for (const member of this.members.values()) {
      const vote = member.vote(candidates)
      if (vote !== undefined) votes.set(vote, (votes.get(vote) ?? 0) + 1)
    }
    let best: string | undefined
    for (const [name, n] of votes) if (best === undefined || n > votes.get(best)!) best = name
    if (best === undefined) throw new IllegalGroupStateError(`group ${this.groupId} has no protocol that every member supports`)
    return best
  }

  /** Starts the next generation (Kafka's `initNextGeneration`): CompletingRebalance with members, else Empty. */
  initNextGeneration(): void {
    this.generationId += 1
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol()
      this.transitionTo('CompletingRebalance')
    } else {
      this.protocolName = null
      this.transitionTo('Empty')
    }
    this.pendingSyncMembers.clear()
  }

  /** DescribeGroups' view: metadata and assignments only once Stable, as Kafka's `GroupMetadata.summary`. */
  describe(): DescribedGroup {
    const stable = this.is('Stable')
    return {
      errorCode: 0,
      groupId: this.groupId,
      state: this.currentState,
      protocolType: this.protocolType ?? '',
      protocol: stable ? (this.protocolName ?? '') : '',
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? Buffer.from(m.metadataFor(this.protocolName ?? '')) : Buffer.alloc(0),
        memberAssignment: stable ? Buffer.from(m.assignment) : Buffer.alloc(0),
      })),
    }
  }

  private countProtocols(protocols: readonly MemberProtocol[], delta: number): void {
    for (const p of protocols) {
      const n = (this.protocolSupport.get(p.name) ?? 0) + delta
      if (n === 0) this.protocolSupport.delete(p.name)
      else this.protocolSupport.set(p.name, n)
    }
  }
}

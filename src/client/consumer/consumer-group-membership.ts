/**
 * One consumer's membership in its group, in Kafka's classic group protocol: JoinGroup (with
 * KIP-394's MEMBER_ID_REQUIRED round trip), SyncGroup (the leader computes the assignment
 * client-side with the chosen assignor), Heartbeat and LeaveGroup. With a cooperative assignor
 * (KIP-429) the member reports what it owns and gives up only the partitions it loses.
 */
import type { JoinGroupMember } from '../../protocol/group-apis.js'
import { Errors } from '../../protocol/error-codes.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSError, KafkaJSNonRetriableError, protocolError } from '../errors.js'
import { isRebalanceError, isUnknownMemberError } from '../error-policy.js'
import type { InstrumentationEmitter } from '../instrumentation/instrumentation-emitter.js'
import type { Logger } from '../logger.js'
import type { Retrier } from '../retry.js'
import { AssignerProtocol, type Assigner } from '../assigners/index.js'
import { ConsumerEvents, type IMemberAssignment } from './consumer-events.js'
import type { GroupCoordinatorClient } from './group-coordinator-client.js'
import type { GroupIdentity } from './offset-manager.js'

/** The protocol name of Kafka's cooperative-sticky assignor (KIP-429). */
export const COOPERATIVE_STICKY = 'cooperative-sticky'

/** KafkaJS adds this much to JoinGroup's request timeout: the coordinator may hold the request for the whole rebalance timeout. */
const JOIN_NETWORK_DELAY_MS = 5000

/** Options of a {@link ConsumerGroupMembership}. */
export interface MembershipOptions {
  cluster: BrokerRouter
  coordinator: GroupCoordinatorClient
  emitter: InstrumentationEmitter
  logger: Logger
  retrier: Retrier
  groupId: string
  /** Topics this member subscribes to. */
  topics: readonly string[]
  assigners: readonly Assigner[]
  sessionTimeout: number
  rebalanceTimeout: number
  /** `group.instance.id` of a static member (KIP-345), null for a dynamic one. */
  groupInstanceId: string | null
}

/** What a join-and-sync round gave the member. */
export interface JoinOutcome {
  /** The member's partitions by topic in the new generation. */
  assignment: Map<string, number[]>
  /** Partitions the member owned before and lost (all of them with an eager assignor). */
  revoked: Array<{ topic: string; partition: number }>
  /** True when the chosen assignor rebalances cooperatively (KIP-429). */
  cooperative: boolean
}

function toMap(assignment: IMemberAssignment): Map<string, number[]> {
  return new Map(Object.entries(assignment).map(([topic, partitions]) => [topic, [...partitions].sort((a, b) => a - b)]))
}

function toObject(assignment: ReadonlyMap<string, readonly number[]>): IMemberAssignment {
  return Object.fromEntries([...assignment].map(([topic, partitions]) => [topic, [...partitions]]))
}

/** Join, sync, heartbeat and leave for one consumer. */
export class ConsumerGroupMembership {
  memberId = ''
  generationId = -1
  leaderId = ''
  groupProtocol = ''
  /** Partitions owned in the current generation. */
  assignment = new Map<string, number[]>()
  private members: JoinGroupMember[] = []
  private lastHeartbeat: number
  private heartbeating: Promise<void> | undefined

  constructor(private readonly options: MembershipOptions) {
    this.lastHeartbeat = options.cluster.clock.now()
  }

  get groupId(): string {
    return this.options.groupId
  }

  /** The member's group, member id and generation, for commits. */
  identity(): GroupIdentity {
    return { groupId: this.options.groupId, memberId: this.memberId, generationId: this.generationId, groupInstanceId: this.options.groupInstanceId }
  }

  isLeader(): boolean {
    return this.leaderId !== '' && this.leaderId === this.memberId
  }

  /** True when the group's chosen assignor is cooperative. */
  isCooperative(): boolean {
    return this.groupProtocol === COOPERATIVE_STICKY
  }

  /**
   * Joins the group and receives this member's partitions, retrying (with the consumer's retrier)
   * while the group rebalances or the coordinator moves. Emits GROUP_JOIN.
   */
  async joinAndSync(): Promise<JoinOutcome> {
    const { clock } = this.options.cluster
    const started = clock.now()
    const owned = this.assignment
    await this.options.retrier(async (bail) => {
      try {
        await this.join()
        await this.sync()
      } catch (error) {
        const e = error as KafkaJSError & { type?: string }
        if (isRebalanceError(e)) throw new KafkaJSError(e, { cause: e })
        if (isUnknownMemberError(e)) {
          this.memberId = ''
          throw new KafkaJSError(e, { cause: e })
        }
        if (e.retriable) throw e
        bail(e)
      }
    })
    this.lastHeartbeat = clock.now()
    const payload = {
      groupId: this.options.groupId,
      memberId: this.memberId,
      generationId: this.generationId,
      leaderId: this.leaderId,
      isLeader: this.isLeader(),
      memberAssignment: toObject(this.assignment),
      groupProtocol: this.groupProtocol,
      duration: clock.now() - started,
    }
    this.options.emitter.emit(ConsumerEvents.GROUP_JOIN, payload)
    this.options.logger.info('Consumer has joined the group', payload)
    const cooperative = this.isCooperative()
    const revoked: JoinOutcome['revoked'] = []
    for (const [topic, partitions] of owned) {
      for (const partition of partitions) {
        if (!cooperative || !(this.assignment.get(topic)?.includes(partition) ?? false)) revoked.push({ topic, partition })
      }
    }
    return { assignment: this.assignment, revoked, cooperative }
  }

  private async join(): Promise<void> {
    const { groupId, sessionTimeout, rebalanceTimeout, assigners, topics } = this.options
    const protocols = assigners.map((assigner) => {
      const { name, metadata } = assigner.protocol({ topics: [...topics] })
      return { name, metadata }
    })
    const send = (memberId: string) =>
      this.options.coordinator.send(
        'JoinGroup',
        {
          groupId,
          sessionTimeoutMs: sessionTimeout,
          rebalanceTimeoutMs: rebalanceTimeout,
          memberId,
          groupInstanceId: this.options.groupInstanceId,
          clientId: this.options.cluster.options.clientId,
          protocolType: 'consumer',
          protocols,
        },
        { timeoutMs: rebalanceTimeout + JOIN_NETWORK_DELAY_MS },
      )
    let response = await send(this.memberId)
    // A static member gets its id at once (KIP-345); only dynamic members are asked to join again.
    if (response.errorCode === Errors.MEMBER_ID_REQUIRED.code) {
      // KIP-394: the coordinator hands out the member id first; join again with it.
      this.memberId = response.memberId
      response = await send(this.memberId)
    }
    this.options.coordinator.noteError(response.errorCode)
    const error = protocolError(response.errorCode, `joining group "${groupId}"`)
    if (error !== undefined) throw error
    this.generationId = response.generationId
    this.leaderId = response.leader
    this.memberId = response.memberId
    this.members = [...response.members]
    this.groupProtocol = response.protocolName ?? ''
  }

  private async sync(): Promise<void> {
    const { groupId, cluster, emitter, logger } = this.options
    let assignments: Array<{ memberId: string; assignment: Buffer }> = []
    if (this.isLeader()) {
      const assigner = this.options.assigners.find((a) => a.name === this.groupProtocol)
      if (assigner === undefined) {
        throw new KafkaJSNonRetriableError(`Unsupported partition assigner "${this.groupProtocol}", the assigner wasn't found in the assigners list`)
      }
      // The leader assigns every topic some member subscribes to, as Kafka's leader does.
      const topics = new Set(this.options.topics)
      for (const member of this.members) {
        for (const topic of AssignerProtocol.MemberMetadata.decode(member.metadata).topics) topics.add(topic)
      }
      await cluster.addTargetTopics([...topics])
      await cluster.refreshMetadata()
      const computed = await assigner.assign({
        members: this.members.map((m) => ({ memberId: m.memberId, memberMetadata: m.metadata })),
        topics: [...topics],
      })
      assignments = computed.map((a) => ({ memberId: a.memberId, assignment: a.memberAssignment }))
      logger.debug('Group assignment', { groupId, generationId: this.generationId, groupProtocol: this.groupProtocol, topics: [...topics] })
    }
    const response = await this.options.coordinator.send('SyncGroup', {
      groupId,
      generationId: this.generationId,
      memberId: this.memberId,
      groupInstanceId: this.options.groupInstanceId,
      assignments,
    })
    this.options.coordinator.noteError(response.errorCode)
    const error = protocolError(response.errorCode, `syncing group "${groupId}"`)
    if (error !== undefined) throw error

    const decoded = AssignerProtocol.MemberAssignment.decode(response.assignment)
    const received = decoded?.assignment ?? {}
    const assignedTopics = Object.keys(received)
    const topicsNotSubscribed = assignedTopics.filter((t) => !this.options.topics.includes(t))
    if (topicsNotSubscribed.length > 0) {
      const payload = {
        groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        assignedTopics,
        topicsSubscribed: [...this.options.topics],
        topicsNotSubscribed,
      }
      emitter.emit(ConsumerEvents.RECEIVED_UNSUBSCRIBED_TOPICS, payload)
      logger.warn('Consumer group received unsubscribed topics', payload)
    }
    const assignment = toMap(Object.fromEntries(Object.entries(received).filter(([topic]) => !topicsNotSubscribed.includes(topic))))
    // A partition the metadata does not know yet (the topic grew): reload metadata once.
    const unknown = [...assignment].some(([topic, partitions]) => {
      const known = cluster.hasTopic(topic) ? cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId) : []
      return partitions.some((p) => !known.includes(p))
    })
    if (unknown) {
      await cluster.addTargetTopics([...assignment.keys()])
      await cluster.refreshMetadata()
    }
    this.assignment = assignment
    // Kafka's ConsumerPartitionAssignor.onAssignment: cooperative-sticky reports what it owns in the next JoinGroup.
    this.options.assigners.find((a) => a.name === this.groupProtocol)?.onAssignment?.({ assignment: toObject(assignment), generationId: this.generationId })
  }

  /**
   * True if {@link heartbeat} would do anything now: a beat is in flight or `interval` ms have passed. `now` is the
   * cluster clock's time, passed by a caller that has just read it.
   */
  heartbeatDue(interval: number, now = this.options.cluster.clock.now()): boolean {
    return this.heartbeating !== undefined || (this.memberId !== '' && now >= this.lastHeartbeat + interval)
  }

  /**
   * Sends a heartbeat if `interval` ms have passed since the last one (concurrent callers share
   * one request). Throws the coordinator's error, e.g. REBALANCE_IN_PROGRESS, so the runner
   * rejoins. A coordinator that cannot be reached is forgotten and looked up at the next beat.
   */

  heartbeat(interval: number): Promise<void> {
    this.heartbeating ??= this.beat(interval).finally(() => {
      this.heartbeating = undefined
    })
    return this.heartbeating
  }

  private async beat(interval: number): Promise<void> {
    const { cluster, coordinator, emitter, groupId } = this.options
    if (this.memberId === '' || cluster.clock.now() < this.lastHeartbeat + interval) return
    const payload = { groupId, memberId: this.memberId, groupGenerationId: this.generationId }
    let response
    try {
      response = await coordinator.send('Heartbeat', { groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: this.options.groupInstanceId })
    } catch (error) {
      const e = error as KafkaJSError
      if (!e.retriable) throw e
      this.options.logger.debug('Heartbeat failed, looking up the coordinator again', { groupId, memberId: this.memberId, error: e.message })
      return
    }
    coordinator.noteError(response.errorCode)
    const error = protocolError(response.errorCode, `heartbeat of member ${this.memberId} in group "${groupId}"`)
    if (error !== undefined) {
      // COORDINATOR_NOT_AVAILABLE and the like: try again at the next beat, as Kafka's heartbeat does.
      if (error.retriable && !isRebalanceError(error)) return
      throw error
    }
    emitter.emit(ConsumerEvents.HEARTBEAT, payload)
    this.lastHeartbeat = cluster.clock.now()
  }

  /**
   * Leaves the group (LeaveGroup), so the coordinator rebalances at once instead of waiting for the
   * session timeout. A static member sends no LeaveGroup (KIP-345, as Kafka's consumers since 2.3):
   * it keeps its place for the session timeout, so a restart within it causes no rebalance.
   */
  async leave(): Promise<void> {
    if (this.memberId === '') return
    const memberId = this.memberId
    this.memberId = ''
    this.generationId = -1
    this.assignment = new Map()
    if (this.options.groupInstanceId !== null) return
    const response = await this.options.coordinator.send('LeaveGroup', {
      groupId: this.options.groupId,
      members: [{ memberId, groupInstanceId: null }],
    })
    const error = protocolError(response.errorCode, `leaving group "${this.options.groupId}"`)
    if (error !== undefined && !isUnknownMemberError(error)) throw error
  }

  /** Forgets the member id after UNKNOWN_MEMBER_ID: the next join starts as a new member. */
  resetMemberId(): void {
    this.memberId = ''
    this.generationId = -1
    this.losePartitions()
  }

  /**
   * The member fell out of its generation (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION): its partitions
   * may already belong to others, so it owns none when it rejoins (KIP-429's "lost" partitions).
   */
  losePartitions(): void {
    this.assignment = new Map()
    for (const assigner of this.options.assigners) assigner.onAssignment?.({ assignment: {}, generationId: -1 })
  }
}

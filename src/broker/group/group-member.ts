/**
 * One member of a consumer group, as Kafka's `MemberMetadata` models it: its timeouts, the
 * protocols (assignors) it supports with their subscription metadata, its current assignment,
 * and the JoinGroup / SyncGroup request it may have parked at the coordinator.
 */
import type { JoinGroupResponse, SyncGroupResponse } from '../../protocol/index.js'
import type { TimerHandle } from '../../time/index.js'

/** An assignor this member supports, with its subscription metadata (in the member's preference order). */
export interface MemberProtocol {
  readonly name: string
  readonly metadata: Buffer
}

/** What a member declares when it (re)joins. */
export interface MemberJoinInfo {
  readonly clientId: string
  readonly groupInstanceId: string | null
  readonly sessionTimeoutMs: number
  readonly rebalanceTimeoutMs: number
  readonly protocolType: string
  readonly protocols: readonly MemberProtocol[]
}

/** Kafka's classic-protocol group member. */
export class GroupMember {
  readonly clientId: string
  readonly groupInstanceId: string | null
  /** Kafka reports the client's socket address; an in-process client has none, so it looks local. */
  readonly clientHost = '/127.0.0.1'
  readonly protocolType: string
  sessionTimeoutMs: number
  rebalanceTimeoutMs: number
  protocols: readonly MemberProtocol[]
  /** The assignment the leader gave this member in the current generation (empty until SyncGroup completes). */
  assignment: Buffer = Buffer.alloc(0)
  /** True until the first join phase that includes this member completes (Kafka's `isNew`). */
  isNew = true
  /** A parked JoinGroup, answered when the join phase completes. */
  awaitingJoin: ((response: JoinGroupResponse) => void) | null = null
  /** A parked SyncGroup, answered when the leader's assignment arrives. */
  awaitingSync: ((response: SyncGroupResponse) => void) | null = null
  /** The session (heartbeat) expiry timer. */
  sessionTimer: TimerHandle | null = null

  /** Changes only when a static member restarts and takes a new id (KIP-345, `Group.replaceStaticMember`). */
  memberId: string

  constructor(memberId: string, info: MemberJoinInfo) {
    this.memberId = memberId
    this.clientId = info.clientId
    this.groupInstanceId = info.groupInstanceId
    this.protocolType = info.protocolType
    this.sessionTimeoutMs = info.sessionTimeoutMs
    this.rebalanceTimeoutMs = info.rebalanceTimeoutMs
    this.protocols = copyProtocols(info.protocols)
  }

  /** Whether the member sends exactly the protocols (names, order and metadata) it joined with. */
  matches(protocols: readonly MemberProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false
    return protocols.every((p, i) => p.name === this.protocols[i]!.name && p.metadata.equals(this.protocols[i]!.metadata))
  }

  /** The subscription metadata this member sent for `protocol` (empty if it does not support it). */
  metadataFor(protocol: string): Buffer {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? Buffer.alloc(0)
  }

  /** This member's vote in protocol selection: its most preferred protocol among the candidates. */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name
  }

  /** Takes a rejoin's new timeouts and protocols, as Kafka's `GroupMetadata.updateMember`. */
  update(info: MemberJoinInfo): void {
    this.sessionTimeoutMs = info.sessionTimeoutMs
    this.rebalanceTimeoutMs = info.rebalanceTimeoutMs
    this.protocols = copyProtocols(info.protocols)
  }
}

/** Copies the buffers so that a client reusing its own buffers cannot change the group's state. */
function copyProtocols(protocols: readonly MemberProtocol[]): MemberProtocol[] {
  return protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }))
}

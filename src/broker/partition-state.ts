/**
 * The controller's record of one partition (KRaft's `PartitionRegistration`): replicas, leader,
 * leader epoch, ISR and partition epoch. Immutable: every change makes a new one, which the
 * controller publishes to the brokers it can reach.
 */

/** No leader: every in-sync replica is down or fenced. */
export const NO_LEADER = -1

export interface PartitionState {
  readonly topic: string
  readonly partition: number
  /** Assigned replicas, preferred leader first. */
  readonly replicas: readonly number[]
  readonly leader: number
  /** Bumped on every leader change; fences stale leaders and followers (KIP-101, KIP-320). */
  readonly leaderEpoch: number
  readonly isr: readonly number[]
  /** Bumped on every change of this record, ISR changes included (KIP-497's partition epoch). */
  readonly partitionEpoch: number
  /**
   * Eligible leader replicas (KIP-966): replicas out of the ISR that hold every committed record, because they left it
   * while it was below `min.insync.replicas`, when the high watermark cannot move. Elected when no ISR member can be.
   */
  readonly elr: readonly number[]
  /**
   * The ISR's last member, taken out of it when it came back from an unclean shutdown while eligible replicas remained
   * (KIP-966); elected only once neither the ISR nor the ELR has anyone left. -1 otherwise.
   */
  readonly lastKnownLeader: number
}

/**
 * `min.insync.replicas` capped at the replica count (Kafka's `effectiveMinIsr`, KAFKA-15583): what acks=all appends,
 * transaction markers, the high watermark and the eligible leader replicas are held to.
 */
export function effectiveMinIsr(minInsyncReplicas: number, replicaCount: number): number {
  return Math.min(minInsyncReplicas, replicaCount)
}

/**
 * Builds a frozen partition state. The ELR is kept to assigned replicas outside the ISR (a replica back in the ISR, or
 * moved away by a reassignment, leaves it); a state without one has none. A last known leader lasts only while the
 * partition has no leader.
 */
export function partitionState(state: Omit<PartitionState, 'elr' | 'lastKnownLeader'> & { readonly elr?: readonly number[]; readonly lastKnownLeader?: number }): PartitionState {
  const elr = (state.elr ?? []).filter((id) => state.replicas.includes(id) && !state.isr.includes(id))
  const lastKnownLeader = state.leader === NO_LEADER && state.replicas.includes(state.lastKnownLeader ?? NO_LEADER) ? state.lastKnownLeader! : NO_LEADER
  return Object.freeze({ ...state, replicas: Object.freeze([...state.replicas]), isr: Object.freeze([...state.isr]), elr: Object.freeze(elr), lastKnownLeader })
}


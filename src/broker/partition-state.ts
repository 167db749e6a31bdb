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
}

/** Builds a frozen partition state. */
export function partitionState(state: PartitionState): PartitionState {
  return Object.freeze({ ...state, replicas: Object.freeze([...state.replicas]), isr: Object.freeze([...state.isr]) })
}


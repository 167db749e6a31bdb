/**
 * Partition reassignment (KIP-455), the controller's side: a move to `target` replicas first
 * adds the new ones (`adding`: they fetch, catch up and join the ISR through the leader's
 * AlterPartition), and only once every target replica is in sync removes the old ones
 * (`removing`), moving leadership into the target set if needed. A broker crash mid-move only
 * delays it: completion waits until the whole target set is in the ISR.
 */
import { partitionState, type PartitionState } from './partition-state.js'

/** An ongoing reassignment of one partition. */
export interface Reassignment {
  readonly target: readonly number[]
  readonly adding: readonly number[]
  readonly removing: readonly number[]
}

/** Starts a move: the replica set becomes the target followed by the replicas to remove (Kafka's order). */
export function startReassignment(state: PartitionState, target: readonly number[]): { state: PartitionState; reassignment: Reassignment } {
  const adding = target.filter((id) => !state.replicas.includes(id))
  const removing = state.replicas.filter((id) => !target.includes(id))
  return {
    state: partitionState({ ...state, replicas: [...target, ...removing], partitionEpoch: state.partitionEpoch + 1 }),
    reassignment: { target: [...target], adding, removing },
  }
}

/**
 * The finished state once every target replica is in the ISR, else null: the removed replicas
 * leave the replica set and the ISR; if the leader is leaving, the first in-sync target replica
 * leads in a new epoch.
 */
export function completeReassignment(state: PartitionState, reassignment: Reassignment): PartitionState | null {
  if (!reassignment.target.every((id) => state.isr.includes(id))) return null
  const isr = state.isr.filter((id) => reassignment.target.includes(id))
  const leaderStays = reassignment.target.includes(state.leader)
  return partitionState({
    ...state,
    replicas: reassignment.target,
    isr,
    leader: leaderStays ? state.leader : reassignment.target.find((id) => isr.includes(id))!,
    leaderEpoch: leaderStays ? state.leaderEpoch : state.leaderEpoch + 1,
    partitionEpoch: state.partitionEpoch + 1,
  })
}

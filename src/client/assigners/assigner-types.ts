/**
 * KafkaJS's assigner contract (`types/index.d.ts`): a factory that a consumer calls once with
 * its cluster view, group id and logger, returning an assigner. Every member offers its
 * assigners' `protocol()` in JoinGroup; the group leader runs the chosen one's `assign()`.
 */
import type { Logger } from '../logger.js'

/** A topic's partitions as an assigner sees them (KafkaJS's `PartitionMetadata`, the fields assigners use). */
export interface AssignerPartitionMetadata {
  readonly partitionId: number
  readonly leader: number
}

/** The part of KafkaJS's `Cluster` an assigner uses. */
export interface AssignerCluster {
  findTopicPartitionMetadata(topic: string): readonly AssignerPartitionMetadata[]
}

/** topic → partitions. */
export type Assignment = { [topic: string]: number[] }

/** A member as the leader's assigner sees it: its id and its subscription metadata (a `MemberMetadata` buffer). */
export type GroupMember = { memberId: string; memberMetadata: Buffer }

/** A member's part of the leader's answer: its id and a `MemberAssignment` buffer. */
export type GroupMemberAssignment = { memberId: string; memberAssignment: Buffer }

/** A protocol offered in JoinGroup: the assigner's name and this member's subscription metadata. */
export type GroupState = { name: string; metadata: Buffer }

/**
 * An assigner (KafkaJS's `Assigner`). `onAssignment` is a kafkalite extra, after Kafka's
 * `ConsumerPartitionAssignor.onAssignment`: the consumer calls it with its own assignment after
 * each SyncGroup, so that an assigner can put what it owns into its next subscription
 * (cooperative-sticky does; KafkaJS's assigners have no such hook and need none).
 */
export type Assigner = {
  name: string
  version: number
  assign(group: { members: GroupMember[]; topics: string[] }): Promise<GroupMemberAssignment[]>
  protocol(subscription: { topics: string[] }): GroupState
  onAssignment?(received: { assignment: Assignment; generationId: number }): void
}

/** KafkaJS's `PartitionAssigner`: what `consumer({ partitionAssigners })` takes. */
export type PartitionAssigner = (config: { cluster: AssignerCluster; groupId: string; logger: Logger }) => Assigner

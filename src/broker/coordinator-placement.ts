/**
 * Which broker coordinates a group or a transactional id: the leader of one partition of
 * `__consumer_offsets` (or `__transaction_state`), chosen by Kafka's rule
 * `Utils.abs(key.hashCode()) % numPartitions` (GroupMetadataManager.partitionFor,
 * TransactionStateManager.partitionFor), with Java's String.hashCode. The one home of coordinator
 * placement: FindCoordinator and the routing of group and transaction APIs
 * (`handlers/coordinator-routing.ts`) both ask the {@link CoordinatorLocator}.
 */
import { Errors } from '../protocol/index.js'
import type { ClusterConfig } from './cluster-options.js'
import type { Controller } from './controller.js'
import { CONSUMER_OFFSETS_TOPIC, TRANSACTION_STATE_TOPIC } from './topic-name.js'

/** FindCoordinator's key types (KIP-98): a group id, or a transactional id. */
export const CoordinatorKey = { GROUP: 0, TRANSACTION: 1 } as const
export type CoordinatorKeyType = (typeof CoordinatorKey)[keyof typeof CoordinatorKey]

/** A coordinator lookup's outcome. */
export interface CoordinatorLookup {
  readonly errorCode: number
  readonly errorMessage: string | null
  /** -1 on error. */
  readonly nodeId: number
}

/** Java's `String.hashCode()`: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, in 32-bit arithmetic. */
export function javaStringHashCode(value: string): number {
  let hash = 0
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0
  return hash
}

/** Kafka's `Utils.abs`: Math.abs, except that Integer.MIN_VALUE maps to 0. */
export function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n)
}

/** The internal-topic partition that coordinates `key`. */
export function coordinatorPartition(key: string, numPartitions: number): number {
  return kafkaAbs(javaStringHashCode(key)) % numPartitions
}

/** Finds the coordinator of a key from the controller's partition states. */
export class CoordinatorLocator {
  constructor(
    private readonly controller: Controller,
    private readonly config: ClusterConfig,
  ) {}

  /**
   * How many partitions the coordinator topic has: the existing topic's count (a user may have created it
   * with another), else the configured one, as Kafka's `GroupMetadataManager.getGroupMetadataTopicPartitionCount`.
   */
  partitionCount(keyType: CoordinatorKeyType): number {
    const { name, partitions } = this.coordinatorTopic(keyType)
    return this.controller.topics.get(name)?.partitions.length ?? partitions
  }

  /** The coordinator of `key` as things stand, without creating anything (routing of coordinator APIs). */
  current(keyType: CoordinatorKeyType, key: string): CoordinatorLookup {
    const { name } = this.coordinatorTopic(keyType)
    const topic = this.controller.topics.get(name)
    if (topic === undefined) return { errorCode: Errors.NOT_COORDINATOR.code, errorMessage: `${name} does not exist yet`, nodeId: -1 }
    const state = topic.partitions[coordinatorPartition(key, topic.partitions.length)]!
    if (state.leader < 0) return { errorCode: Errors.COORDINATOR_NOT_AVAILABLE.code, errorMessage: `${name}-${state.partition} has no leader`, nodeId: -1 }
    return { errorCode: 0, errorMessage: null, nodeId: state.leader }
  }

  /** FindCoordinator: creates the internal topic on first use, then answers with its partition's leader. */
  find(keyType: CoordinatorKeyType, key: string): CoordinatorLookup {
    const { name, partitions } = this.coordinatorTopic(keyType)
    if (!this.controller.topics.has(name)) {
      // offsets.topic.replication.factor is 3 in Kafka; kafkalite uses min(3, brokers) so small clusters work.
      const rf = Math.min(3, this.config.brokers)
      const result = this.controller.createTopic(
        {
          name,
          numPartitions: partitions,
          replicationFactor: rf,
          replicaAssignment: [],
          configs: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'min.insync.replicas', value: String(Math.min(this.config.minInsyncReplicas, rf)) },
          ],
        },
        false,
      )
      if (result.errorCode !== 0) return { errorCode: Errors.COORDINATOR_NOT_AVAILABLE.code, errorMessage: result.errorMessage, nodeId: -1 }
    }
    return this.current(keyType, key)
  }

  private coordinatorTopic(keyType: CoordinatorKeyType): { name: string; partitions: number } {
    return keyType === CoordinatorKey.GROUP
      ? { name: CONSUMER_OFFSETS_TOPIC, partitions: this.config.offsetsTopicNumPartitions }
      : { name: TRANSACTION_STATE_TOPIC, partitions: this.config.transactionStateNumPartitions }
  }
}

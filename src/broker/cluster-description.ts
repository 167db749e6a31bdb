/**
 * A picture of the cluster for tests, debugging and teaching: which brokers are up, down or
 * isolated, per partition its leader, leader epoch, replicas, ISR, and each replica's log end
 * offset and high watermark, and each transactional id's state at the transaction coordinator.
 * A plain object (`describe()`) and a text rendering (`describeText()`).
 */
import type { ClusterStateView } from './cluster-state-view.js'
import type { TransactionState } from './transaction/transaction-metadata.js'

/** Options of `describe()` / `describeText()`. */
export interface DescribeOptions {
  /** Include `__consumer_offsets` and `__transaction_state` (default false: they are many and mostly empty). */
  includeInternal?: boolean
}

export interface BrokerDescription {
  readonly id: number
  readonly status: 'up' | 'down'
  /** Cut off from the other brokers and the controller by `isolateBroker`. */
  readonly isolated: boolean
  /** Excluded by the controller from leadership and ISRs (down, or isolated past the session timeout). */
  readonly fenced: boolean
  readonly controller: boolean
}

export interface ReplicaDescription {
  readonly brokerId: number
  /** What this replica believes it is (an isolated broker may still believe it leads). */
  readonly role: 'leader' | 'follower'
  readonly logEndOffset: number
  readonly highWatermark: number
}

export interface PartitionDescription {
  readonly topic: string
  readonly partition: number
  /** The controller's leader, -1 if none. */
  readonly leader: number
  readonly leaderEpoch: number
  readonly replicas: readonly number[]
  readonly isr: readonly number[]
  /**
   * Eligible leader replicas (KIP-966): out of the ISR, yet holding every committed record, as they left it while it
   * was below `min.insync.replicas`; elected when no ISR member is up.
   */
  readonly eligibleLeaderReplicas: readonly number[]
  /** The leader's high watermark (what consumers can read up to), -1 without a leader. */
  readonly highWatermark: number
  /** The leader's log end offset, -1 without a leader. */
  readonly logEndOffset: number
  /** The leader's log start offset (the earliest offset a consumer can read, after retention and DeleteRecords), -1 without a leader. */
  readonly logStartOffset: number
  readonly replicaStates: readonly ReplicaDescription[]
}

/**
 * A transactional id as the transaction coordinator knows it: the fields of Kafka's
 * DescribeTransactions (KIP-664, `kafka-transactions.sh describe`).
 */
export interface TransactionDescription {
  readonly transactionalId: string
  /**
   * Kafka's `TransactionState`: `Empty` (no transaction yet), `Ongoing` (open), `PrepareCommit` /
   * `PrepareAbort` (markers being written), `CompleteCommit` / `CompleteAbort` (the last one
   * committed / aborted, none open).
   */
  readonly state: TransactionState
  readonly producerId: number
  readonly producerEpoch: number
  /** `transaction.timeout.ms` the producer asked for. */
  readonly timeoutMs: number
  /** Cluster time the open transaction started, -1 when none is open. */
  readonly startTimestamp: number
  /** Partitions written in the open (or finishing) transaction, in order. */
  readonly partitions: readonly { readonly topic: string; readonly partition: number }[]
}

export interface ClusterDescription {
  readonly clusterId: string
  readonly controllerId: number
  readonly brokers: readonly BrokerDescription[]
  readonly partitions: readonly PartitionDescription[]
  /** Every transactional id, by id. */
  readonly transactions: readonly TransactionDescription[]
}

/** Builds the description of `cluster`. */
export function describeCluster(cluster: ClusterStateView, options: DescribeOptions): ClusterDescription {
  const controllerId = cluster.controllerId()
  const brokers = cluster.brokerIds().map((id) => ({
    id,
    status: cluster.broker(id).status,
    isolated: cluster.isIsolated(id),
    fenced: cluster.controller.isFenced(id),
    controller: id === controllerId,
  }))
  const partitions: PartitionDescription[] = []
  const topics = [...cluster.controller.topics.values()].filter((t) => options.includeInternal === true || !t.internal)
  topics.sort((a, b) => a.name.localeCompare(b.name))
  for (const topic of topics) {
    for (const state of topic.partitions) {
      const replicaStates = state.replicas.flatMap((id): ReplicaDescription[] => {
        const replica = cluster.broker(id).replica(topic.name, state.partition)
        if (replica === undefined) return []
        return [{ brokerId: id, role: replica.isLeader ? 'leader' : 'follower', logEndOffset: replica.logEndOffset, highWatermark: replica.highWatermark }]
      })
      const leader = replicaStates.find((r) => r.brokerId === state.leader)
      partitions.push({
        topic: topic.name,
        partition: state.partition,
        leader: state.leader,
        leaderEpoch: state.leaderEpoch,
        replicas: state.replicas,
        isr: state.isr,
        eligibleLeaderReplicas: state.elr,
        highWatermark: leader?.highWatermark ?? -1,
        logEndOffset: leader?.logEndOffset ?? -1,
        logStartOffset: leader === undefined ? -1 : cluster.broker(state.leader).replica(topic.name, state.partition)!.log.logStartOffset,
        replicaStates,
      })
    }
  }
  const transactions = cluster.transactionCoordinator
    .allTransactions()
    .map((txn) => ({
      transactionalId: txn.transactionalId,
      state: txn.state,
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
      timeoutMs: txn.timeoutMs,
      startTimestamp: txn.startTimestamp,
      partitions: txn
        .partitionList()
        .sort((a, b) => a.topic.localeCompare(b.topic))
        .flatMap(({ topic, partitions: ps }) => ps.map((partition) => ({ topic, partition }))),
    }))
    .sort((a, b) => a.transactionalId.localeCompare(b.transactionalId))
  return { clusterId: cluster.clusterId, controllerId, brokers, partitions, transactions }
}

/** Renders a description as lines a person can read. */
export function renderClusterDescription(description: ClusterDescription): string {
  const brokerText = description.brokers
    .map((b) => {
      const flags = [b.status, b.isolated ? 'isolated' : null, b.fenced && b.status === 'up' ? 'fenced' : null, b.controller ? 'controller' : null]
      return `${b.id} (${flags.filter((f) => f !== null).join(', ')})`
    })
    .join(', ')
  const lines = [`Cluster ${description.clusterId}`, `Brokers: ${brokerText}`]
  for (const p of description.partitions) {
    const leader = p.leader < 0 ? 'no leader' : `leader ${p.leader}`
    const leos = p.replicaStates.map((r) => `${r.brokerId}:${r.logEndOffset}${r.role === 'leader' && r.brokerId !== p.leader ? '(stale leader)' : ''}`).join(' ')
    lines.push(`${p.topic}-${p.partition}: ${leader}, epoch ${p.leaderEpoch}, replicas [${p.replicas.join(',')}], isr [${p.isr.join(',')}], hw ${p.highWatermark}, leo ${leos}`)
  }
  for (const t of description.transactions) {
    const partitions = t.partitions.map((p) => `${p.topic}-${p.partition}`).join(',')
    lines.push(`transaction ${t.transactionalId}: ${t.state}, producer ${t.producerId} epoch ${t.producerEpoch}${partitions === '' ? '' : `, partitions [${partitions}]`}`)
  }
  return lines.join('\n')
}

/**
 * What a broker needs from its cluster: the clock, the configuration, the network for replication
 * and the controller's AlterPartition. Its own file so that the broker and its replica fetchers
 * both depend on it rather than on each other.
 */
import type { RequestChannel } from '../protocol/index.js'
import type { Clock } from '../time/index.js'
import type { ClusterConfig } from './cluster-options.js'
import type { IsrMember } from './controller.js'

/** What a broker needs from its cluster. */
export interface BrokerEnvironment {
  readonly clock: Clock
  readonly config: ClusterConfig
  /** The network, for replication requests to other brokers. */
  channel(): RequestChannel
  /** AlterPartition to the controller; false if this broker cannot reach it or the controller refused. */
  alterPartition(brokerId: number, topic: string, partition: number, leaderEpoch: number, newIsr: readonly IsrMember[]): boolean
  /** Called after a change of replication state (appends, truncation, ISR), for invariant checks. */
  afterChange(): void
}

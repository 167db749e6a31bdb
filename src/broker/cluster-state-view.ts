/**
 * What the cluster's observers (its description, its invariant checks) may read of it: brokers,
 * the controller's state and who is cut off. Read-only, so that they depend on this view rather
 * than on the cluster that owns them.
 */
import type { Broker } from './broker.js'
import type { Controller } from './controller.js'
import type { TransactionCoordinator } from './transaction/transaction-coordinator.js'

export interface ClusterStateView {
  readonly clusterId: string
  readonly controller: Controller
  readonly transactionCoordinator: TransactionCoordinator
  controllerId(): number
  brokerIds(): number[]
  broker(id: number): Broker
  isIsolated(brokerId: number): boolean
}

/** What a request handler may use: the broker serving the request and the cluster services behind it. */
import type { Endpoint } from '../../protocol/index.js'
import type { Clock } from '../../time/index.js'
import type { AclStore } from '../acl/acl-store.js'
import type { Authorizer } from '../acl/authorizer.js'
import type { Broker } from '../broker.js'
import type { ClusterConfig } from '../cluster-options.js'
import type { ConfigControl } from '../config-control.js'
import type { Controller, ControllerResult } from '../controller.js'
import type { CoordinatorKeyType, CoordinatorLookup } from '../coordinator-placement.js'
import type { GroupCoordinator } from '../group/group-coordinator.js'
import type { TransactionCoordinator } from '../transaction/transaction-coordinator.js'

/** Cluster-level services a handler reaches (the controller is one quorum, reached by any broker). */
export interface SharedServices {
  readonly clock: Clock
  readonly config: ClusterConfig
  readonly clusterId: string
  readonly controller: Controller
  /** The cluster's ACLs (CreateAcls, DescribeAcls, DeleteAcls). */
  readonly acls: AclStore
  /** Checks requests against the ACLs; null when the cluster has no `authorizer` option (everything allowed). */
  readonly authorizer: Authorizer | null
  /** Dynamic configs of topics and brokers (AlterConfigs, IncrementalAlterConfigs). */
  readonly configs: ConfigControl
  readonly groupCoordinator: GroupCoordinator
  /** Every transactional id's state (one per cluster, as Kafka's replicated `__transaction_state`). */
  readonly transactionCoordinator: TransactionCoordinator
  /** Whether `brokerId` can reach the controller (it is up and not isolated). */
  canReachController(brokerId: number): boolean
  /** Creates a topic with the cluster defaults (auto.create.topics.enable). */
  autoCreateTopic(name: string): ControllerResult
  /** FindCoordinator: creates the internal topic on first use, then its partition's leader. */
  findCoordinator(keyType: CoordinatorKeyType, key: string): CoordinatorLookup
  /** The coordinator of `key` as things stand, without creating anything (routing of group APIs). */
  currentCoordinator(keyType: CoordinatorKeyType, key: string): CoordinatorLookup
}

/** The context of one request. */
export interface HandlerContext {
  readonly broker: Broker
  readonly cluster: SharedServices
  readonly from: Endpoint
  /** Aborts when the sender gives the request up (its client stopped, the cluster closed): a parked request ends. */
  readonly signal?: AbortSignal | undefined
}

/** Kafka's advertised listener of a broker in kafkalite: localhost, port 9092 + id. */
export function brokerAddress(brokerId: number): { host: string; port: number } {
  return { host: 'localhost', port: 9092 + brokerId }
}

/** What a run of the story returns: everything the summary checks and the timeline shows. */
import type { ClusterDescription, DeadLetterRecord, TopicRecord } from '../../src/index.js'
import type { LagSample } from './lag-monitor.js'
import type { Confirmation } from './order-service.js'
import type { DeadLettered, ShopStores } from './shop.js'
import type { Shopper } from './shoppers.js'
import type { FaultSchedule, Phases } from './story-plan.js'
import type { MemberJoin, Timeline } from './timeline.js'

/** How far a run got. */
export interface Progress {
  phase: string
  placed: number
  total: number
  /** Cluster time since the start (ms). */
  elapsedMs: number
}

/** An order the customer got a confirmation for. */
export interface ConfirmedOrder extends Confirmation {
  phase: keyof Phases
}

/** When the story's turns happened (cluster time). */
export interface Moments {
  start: number
  /** When every instance had joined its group and trading began. */
  servicesReadyAt: number
  burstStart?: number
  burstEnd?: number
  scaleOutAt?: number
  /** When the first rebalance gave the new inventory instances partitions of `order-placed`. */
  scaledOutAt?: number
  /** When every service had handled every event it should (undefined: not within the drain limit). */
  drainedAt?: number
  /** When, after that, every group had committed everything (lag 0 on `order-placed`). */
  committedAt?: number
  /** When the instances began to stop (each leaves its group: those rebalances are not shown). */
  shutdownAt: number
  end: number
}

/** The broker crash, as it happened. */
export interface CrashReport {
  brokerId: number
  at: number
  restartedAt?: number
  /** When it was back in the ISR of every partition of the shop's topics. */
  backInSyncAt?: number
}

/** Everything a run did, for the summary. */
export interface ScenarioResult {
  orders: number
  seed: number
  faults: FaultSchedule
  phases: Phases
  moments: Moments
  timeline: Timeline
  shoppers: Shopper[]
  confirmed: ConfirmedOrder[]
  declined: Array<{ orderId: string; reason: string }>
  /** Orders whose cancellation was published. */
  cancelled: string[]
  /** Customers whose sign-up was published. */
  signedUp: string[]
  stores: ShopStores
  /** Payments charged and not refunded, by order id. */
  charged: ReadonlySet<string>
  deadLettered: DeadLettered[]
  /** The dead-letter topic's records, read back at the end. */
  deadLetters: DeadLetterRecord[]
  /** `order-placed`, read back at the end. */
  orderLog: TopicRecord[]
  lag: LagSample[]
  joins: MemberJoin[]
  crash?: CrashReport
  finalCluster: ClusterDescription
  /** Client log lines at WARN or above (connection errors and retries during the crash), with their cluster time. */
  clientWarnings: string[]
}


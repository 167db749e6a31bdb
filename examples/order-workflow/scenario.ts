/**
 * The whole story of issue 5 on a VirtualClock, from a seed: steady trading, a burst of orders that
 * the slow inventory service falls behind on, a broker crash in the middle of it, two more inventory
 * instances to drain the lag, cancellations, sign-ups, invoice timeouts and a dead-lettered order.
 * It returns everything the summary checks; it prints nothing.
 */
import {
  SeededRandom,
  VirtualClock,
  type Cluster,
  readDeadLetters,
  readTopicToEnd,
  type ListenerEvent,
} from '../../src/index.js'
import { ORDER_PARTITIONS, ORDER_PLACED_DLT, orderCancelled, orderPlaced, signedUp } from './events.js'
import { LagMonitor } from './lag-monitor.js'
import { leadershipChanges, leadershipOf, leadershipText } from './leadership.js'
import type { Confirmation } from './order-service.js'
import type { ConfirmedOrder, CrashReport, Moments, Progress, ScenarioResult } from './scenario-result.js'
import { ORDER_GROUPS, Shop, TIMING } from './shop.js'
import { shoppers, type Shopper } from './shoppers.js'
import {
  BURST_EVERY_MS,
  CANCEL_AFTER_MS,
  CANCEL_RATE,
  NO_FAULTS,
  SCALE_OUT_AFTER_BURST_MS,
  STEADY_EVERY_MS,
  defaultFaults,
  phasesFor,
  type CrashPlan,
  type FaultSchedule,
  type Phases,
} from './story-plan.js'
import { Timeline, partitionWhy, type TimelineEntry } from './timeline.js'

/** Options of {@link runScenario}. */
export interface ScenarioOptions {
  /** Orders to place (default 40). */
  orders?: number
  /** Seed of every random choice, the cluster's included (default 12). */
  seed?: number
  /** `true` (default): {@link defaultFaults}; `false`: {@link NO_FAULTS}; or a schedule. */
  faults?: boolean | FaultSchedule
  /** Called now and then on long runs. */
  onProgress?: (progress: Progress) => void
  /**
   * How the story's virtual clock is moved until `work` settles (default: as fast as it goes,
   * `clock.run(work)`); `npm run demo -- --web` paces it to the wall clock.
   */
  drive?: <T>(clock: VirtualClock, work: Promise<T>) => Promise<T>
  /** Called once the shop's topics exist, before any service starts (the web demo starts its console here). */
  onOpen?: (cluster: Cluster) => Promise<void>
  /** Each line of the timeline as it is added. */
  onEntry?: (entry: TimelineEntry) => void
  /** Awaited once the story is over, before the shop closes: the web demo keeps the cluster up until Ctrl-C. */
  holdOpen?: () => Promise<void>
}

const LAG_SAMPLE_EVERY_MS = 1_000
/** How long, beyond the inventory's own backlog, the drain may take before the run gives up and reports what is missing. */
const DRAIN_SLACK_MS = 600_000
/**
 * How long to wait, once everything is handled, for every group's lag to reach 0. KafkaJS commits
 * after each batch it processed: an offset whose commit failed (its coordinator was moving) stays
 * uncommitted until the next batch of that partition, or a rebalance, or the consumer stopping.
 */
const COMMIT_WAIT_MS = 30_000
const SHOP_TOPICS = [orderPlaced.name, orderCancelled.name, signedUp.name]

async function until(clock: VirtualClock, condition: () => boolean, everyMs: number, maxMs: number): Promise<boolean> {
  const deadline = clock.now() + maxMs
  while (!condition()) {
    if (clock.now() >= deadline) return false
    await clock.sleep(everyMs)
  }
  return true
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

/** Runs the story; resolves with what happened. Same options, same run. */
export async function runScenario(options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const orders = options.orders ?? 40
  if (!(Number.isInteger(orders) && orders >= 1)) throw new RangeError(`orders must be an integer of at least 1, got ${String(orders)}`)
  const seed = options.seed ?? 12
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${String(seed)}`)
  const faults = options.faults === false ? NO_FAULTS : options.faults === undefined || options.faults === true ? defaultFaults(orders) : options.faults
  const clock = new VirtualClock()
  const story = new Story(clock, orders, seed, faults, options).run()
  return options.drive === undefined ? clock.run(story, { maxMs: 30 * 24 * 3_600_000 }) : options.drive(clock, story)
}

/** One run of the story. */
class Story {
  private readonly random: SeededRandom
  private readonly timeline: Timeline
  private readonly shop: Shop
  private readonly shoppers: Shopper[]
  private readonly phases: Phases
  private readonly moments: Moments
  private readonly confirmed: ConfirmedOrder[] = []
  private readonly declined: Array<{ orderId: string; reason: string }> = []
  private readonly cancelled: string[] = []
  private readonly signedUp: string[] = []
  private readonly pending = new Set<Promise<void>>()
  private crash?: CrashReport
  private placed = 0

  constructor(
    private readonly clock: VirtualClock,
    private readonly orders: number,
    private readonly seed: number,
    private readonly faults: FaultSchedule,
    private readonly hooks: Pick<ScenarioOptions, 'onProgress' | 'onOpen' | 'onEntry' | 'holdOpen'>,
  ) {
    this.random = new SeededRandom(seed)
    this.timeline = new Timeline(clock.now(), hooks.onEntry)
    this.phases = phasesFor(orders)
    this.moments = { start: clock.now(), servicesReadyAt: clock.now(), shutdownAt: clock.now(), end: clock.now() }
    this.shoppers = shoppers(this.random.fork(), orders, { invalidAddressRate: faults.invalidAddressRate, bankHangRate: faults.paymentHangRate })
    const hanging = new Set(this.shoppers.filter((s) => s.bankHangs).map((s) => s.request.orderId))
    this.shop = new Shop({
      clock,
      random: this.random.fork(),
      seed,
      invoiceHangRate: faults.invoiceHangRate,
      bankHangs: (orderId) => hanging.has(orderId),
      onListenerEvent: (event, instance) => this.listenerEvent(event, instance),
    })
  }

  async run(): Promise<ScenarioResult> {
    const { shop, clock, timeline, phases } = this
    const list = this.shoppers
    await shop.open()
    await this.hooks.onOpen?.(shop.cluster)
    timeline.add(
      clock.now(),
      'setup',
      `3 brokers; topics ${SHOP_TOPICS.join(', ')} and ${ORDER_PLACED_DLT}, each partition on all 3 brokers (replication factor 3, min.insync.replicas 2)`,
      leadershipOf(shop.cluster.describe(), [orderPlaced.name]).map(leadershipText),
    )
    const started = clock.now()
    const initial = await shop.startServices()
    await until(clock, () => shop.joinedSince(initial, started), 100, 60_000)
    this.moments.servicesReadyAt = clock.now()
    const monitor = new LagMonitor(shop.admin, clock, orderPlaced.name, ORDER_GROUPS, LAG_SAMPLE_EVERY_MS)
    monitor.start()

    timeline.add(clock.now(), 'phase', `steady trading: ${phases.steady} orders, one every ${STEADY_EVERY_MS} ms; inventory takes ${TIMING.inventoryMs} ms per order and keeps up`)
    for (const [index, shopper] of list.entries()) {
      const n = index + 1
      const phase: keyof Phases = n <= phases.steady ? 'steady' : n <= phases.steady + phases.burst ? 'burst' : 'afterScaleOut'
      if (n === phases.steady + 1 && phases.burst > 0) {
        this.moments.burstStart = clock.now()
        timeline.add(clock.now(), 'phase', `burst: ${phases.burst} orders, one every ${BURST_EVERY_MS} ms, faster than one inventory instance can reserve; the order service does not wait for it`)
      }
      if (this.faults.crash?.atOrder === n) this.crashBroker(this.faults.crash)
      this.track(this.visit(shopper, phase, this.random.next() < CANCEL_RATE))
      this.placed = n
      if (n % Math.max(1, Math.floor(this.orders / 20)) === 0) this.progress('placing orders')
      await clock.sleep(phase === 'burst' ? BURST_EVERY_MS : STEADY_EVERY_MS)
      if (n === phases.steady + phases.burst && phases.burst > 0) await this.scaleOut(monitor)
    }
    while (this.pending.size > 0) await Promise.all([...this.pending])

    timeline.add(clock.now(), 'phase', 'drain: every order is placed; waiting until every service has handled every event, then until every group has committed')
    let drainPolls = 0
    const drainLimitMs = DRAIN_SLACK_MS + this.orders * TIMING.inventoryMs
    const handled = () => {
      if (++drainPolls % 60 === 0) this.progress('draining')
      return this.everythingHandled()
    }
    if (await until(clock, handled, LAG_SAMPLE_EVERY_MS, drainLimitMs)) {
      this.moments.drainedAt = clock.now()
      timeline.add(clock.now(), 'phase', 'every service has handled every event')
      const committed = () => Object.values(monitor.samples.at(-1)?.lag ?? { none: 1 }).every((lag) => lag === 0)
      if (await until(clock, committed, LAG_SAMPLE_EVERY_MS, COMMIT_WAIT_MS)) {
        this.moments.committedAt = clock.now()
        timeline.add(clock.now(), 'phase', `every group has committed all of ${orderPlaced.name}: lag 0 everywhere`)
      }
    }
    await monitor.stop()

    const orderLog = await readTopicToEnd(shop.kafka, orderPlaced.name)
    const deadLetters = await readDeadLetters(shop.kafka, ORDER_PLACED_DLT)
    const finalCluster = shop.cluster.describe()
    await this.hooks.holdOpen?.()
    this.moments.shutdownAt = clock.now()
    await shop.close()
    this.moments.end = clock.now()
    const joins = shop.memberJoins().filter((join) => join.at < this.moments.shutdownAt)
    timeline.addRebalances(joins, this.moments.servicesReadyAt)
    this.addRestocks()
    return {
      orders: this.orders,
      seed: this.seed,
      faults: this.faults,
      phases,
      moments: this.moments,
      timeline,
      shoppers: list,
      confirmed: this.confirmed,
      declined: this.declined,
      cancelled: this.cancelled,
      signedUp: this.signedUp,
      stores: shop.stores,
      charged: new Set(shop.payments.charged.keys()),
      deadLettered: shop.deadLettered,
      deadLetters,
      orderLog,
      lag: monitor.samples,
      joins,
      crash: this.crash,
      finalCluster,
      clientWarnings: shop.clientWarnings.map((entry) => `${entry.log.timestamp} ${entry.label} [${entry.namespace}] ${entry.log.message}${entry.log['error'] === undefined ? '' : `: ${String(entry.log['error'])}`}`),
    }
  }

  /** One customer: signs up if new, places the order, and maybe cancels it a little later. */
  private async visit(shopper: Shopper, phase: keyof Phases, willCancel: boolean): Promise<void> {
    const { clock, shop, timeline } = this
    const { request } = shopper
    if (shopper.signUp !== undefined) {
      try {
        await shop.accounts.signUp(request.customerId, shopper.signUp.email)
        this.signedUp.push(request.customerId)
      } catch (error) {
        timeline.add(clock.now(), 'declined', `${request.customerId} could not sign up: ${errorText(error)}`)
      }
    }
    let confirmation: Confirmation
    try {
      confirmation = await shop.orders.placeOrder(request)
    } catch (error) {
      this.declined.push({ orderId: request.orderId, reason: errorText(error) })
      timeline.add(clock.now(), 'declined', `${request.orderId} declined, nothing published: ${errorText(error)}`)
      return
    }
    this.confirmed.push({ ...confirmation, phase })
    const why = partitionWhy(request.orderId, ORDER_PARTITIONS)
    timeline.add(
      confirmation.confirmedAt,
      'order',
      `${request.orderId} -> ${orderPlaced.name} partition ${confirmation.partition} offset ${confirmation.offset}, confirmed after ${confirmation.latencyMs} ms`,
      [`why partition ${why.partition}: ${why.text}`],
    )
    if (!willCancel) return
    await clock.sleep(CANCEL_AFTER_MS)
    try {
      await shop.orders.cancelOrder(request.orderId, request.customerId, 'changed my mind')
      this.cancelled.push(request.orderId)
      timeline.add(clock.now(), 'cancel', `${request.customerId} cancels ${request.orderId}: OrderCancelled, same key, so ${orderCancelled.name} partition ${why.partition}`)
    } catch (error) {
      timeline.add(clock.now(), 'cancel', `${request.orderId} could not be cancelled: ${errorText(error)}`)
    }
  }

  private crashBroker(plan: CrashPlan): void {
    const { shop, clock, timeline } = this
    const before = leadershipOf(shop.cluster.describe(), SHOP_TOPICS)
    const brokerId = plan.brokerId ?? before.find((p) => p.topic === orderPlaced.name && p.partition === 0)!.leader
    shop.cluster.crashBroker(brokerId)
    this.crash = { brokerId, at: clock.now() }
    const changes = leadershipChanges(before, leadershipOf(shop.cluster.describe(), SHOP_TOPICS))
    timeline.add(
      clock.now(),
      'crash',
      `broker ${brokerId} crashes; the controller elects new leaders from the in-sync replicas. 2 replicas remain in sync, min.insync.replicas is 2: acks=all writes go on`,
      changes,
    )
    if (plan.restartAfterMs !== undefined) this.track(this.restartLater(brokerId, plan.restartAfterMs))
  }

  private async restartLater(brokerId: number, afterMs: number): Promise<void> {
    const { shop, clock, timeline, crash } = this
    await clock.sleep(afterMs)
    shop.cluster.restartBroker(brokerId)
    crash!.restartedAt = clock.now()
    const before = leadershipOf(shop.cluster.describe(), SHOP_TOPICS)
    timeline.add(clock.now(), 'restart', `broker ${brokerId} restarts: as a follower it truncates what the leaders do not have, then fetches what it missed`)
    const inSync = () => leadershipOf(shop.cluster.describe(), SHOP_TOPICS).every((p) => p.isr.includes(brokerId))
    if (await until(clock, inSync, 100, 120_000)) {
      crash!.backInSyncAt = clock.now()
      timeline.add(clock.now(), 'restart', `broker ${brokerId} caught up: back in the ISR of every partition`, leadershipChanges(before, leadershipOf(shop.cluster.describe(), SHOP_TOPICS)))
    }
  }

  private async scaleOut(monitor: LagMonitor): Promise<void> {
    const { shop, clock, timeline } = this
    this.moments.burstEnd = clock.now()
    await clock.sleep(SCALE_OUT_AFTER_BURST_MS)
    const lag = await monitor.measure().catch(() => undefined)
    const lagText = lag === undefined ? '' : ` (lag: ${Object.entries(lag).map(([group, records]) => `${group} ${records}`).join(', ')})`
    this.moments.scaleOutAt = clock.now()
    timeline.add(clock.now(), 'scale', `the inventory group is behind${lagText}: starting inventory-2 and inventory-3, which join the group`)
    // Started in the background: the shop goes on taking orders while the new instances join.
    this.track(shop.addInventoryInstances(2).then(() => undefined))
    const since = this.moments.scaleOutAt
    this.track(
      (async () => {
        if (await until(clock, () => shop.newMemberHasPartitions('inventory', orderPlaced.name, since), 100, 120_000)) this.moments.scaledOutAt = clock.now()
      })(),
    )
    if (this.phases.afterScaleOut > 0) {
      timeline.add(clock.now(), 'phase', `after the scale-out: ${this.phases.afterScaleOut} more orders, one every ${STEADY_EVERY_MS} ms`)
    }
  }

  /** What the inventory did with each cancellation: restock, or note that it overtook its order. */
  private addRestocks(): void {
    for (const { key, instance, at, detail } of this.shop.stores.inventory.restocks.effects) {
      const text =
        detail.kind === 'restocked'
          ? `${instance}: ${key} cancelled, its stock is back (${detail.lines.map((l) => `${l.quantity} ${l.sku}`).join(', ')})`
          : `${instance}: the cancellation of ${key} came before the order itself (two topics: nothing orders one after the other); nothing to restock, the reservation will be skipped`
      this.timeline.add(at, 'cancel', text)
    }
  }

  private everythingHandled(): boolean {
    const { inventory, notification, invoice, seller, welcomeMail } = this.shop.stores
    const deadLettered = new Set(this.shop.deadLettered.map((d) => d.key))
    return (
      this.confirmed.every(
        ({ orderId }) =>
          inventory.reservations.has(orderId) &&
          notification.confirmations.has(orderId) &&
          seller.notices.has(orderId) &&
          (invoice.invoices.has(orderId) || deadLettered.has(orderId)),
      ) &&
      this.cancelled.every((orderId) => inventory.restocks.has(orderId) && notification.cancellations.has(orderId)) &&
      this.signedUp.every((customerId) => welcomeMail.mails.has(customerId))
    )
  }

  private listenerEvent(event: ListenerEvent, instance: string): void {
    const key = event.message.key?.toString() ?? '?'
    const where = `${event.topic} partition ${event.partition} offset ${event.offset}`
    if (event.type === 'backoff') {
      this.timeline.add(this.clock.now(), 'retry', `${instance}: ${key} attempt ${event.attempt} failed (${errorText(event.error)}); retry in ${event.delayMs} ms`)
    } else if (event.type === 'dead-lettered') {
      this.timeline.add(
        this.clock.now(),
        'dead-letter',
        `${instance}: ${key} (${where}) -> ${event.target} after ${event.attempt} attempt${event.attempt === 1 ? '' : 's'}: ${errorText(event.error)}`,
      )
    }
  }

  private track(task: Promise<void>): void {
    this.pending.add(task)
    void task.finally(() => this.pending.delete(task))
  }

  private progress(phase: string): void {
    this.hooks.onProgress?.({ phase, placed: this.placed, total: this.orders, elapsedMs: this.clock.now() - this.moments.start })
  }
}

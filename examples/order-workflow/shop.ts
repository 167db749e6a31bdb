/**
 * The shop, wired together: a 3-broker cluster (replication factor 3, min.insync.replicas 2, so any
 * one broker may crash without losing an acknowledged order), the topics, the services' shared
 * stores, and their instances, each instance one member of its service's consumer group.
 */
import {
  Cluster,
  Kafka,
  logLevel,
  startListeners,
  type Admin,
  type Consumer,
  type ListenerContainer,
  type ListenerEvent,
  type LogEntry,
  type Producer,
  type SeededRandom,
  type VirtualClock,
} from '../../src/index.js'
import { AccountService } from './account-service.js'
import { ORDER_PLACED_DLT, orderCancelled, orderPlaced, signedUp } from './events.js'
import { InventoryService, InventoryStore } from './inventory-service.js'
import { InvoiceService, InvoiceStore } from './invoice-service.js'
import { NotificationService, NotificationStore } from './notification-service.js'
import { OrderService } from './order-service.js'
import { PaymentService } from './payment-service.js'
import { SellerService, SellerStore } from './seller-service.js'
import { serviceKafka, type GroupJoin, type ServiceKafka } from './service-kafka.js'
import { CATALOGUE, INITIAL_STOCK_PER_SKU } from './shoppers.js'
import type { MemberJoin } from './timeline.js'
import { WelcomeMailService, WelcomeMailStore } from './welcome-mail-service.js'

/** How long things take, in ms of cluster time. */
export const TIMING = {
  /** Reserving stock: the slow service. */
  inventoryMs: 500,
  notificationMs: 20,
  sellerMs: 20,
  welcomeMailMs: 20,
  invoiceRenderMs: 50,
  /** A hung invoice renderer, far beyond the invoice timeout. */
  invoiceHangMs: 5_000,
  /** The order service's payment timeout. */
  paymentTimeoutMs: 800,
  paymentLatencyMs: [40, 120] as const,
  paymentHangMs: 5_000,
} as const

/** How the shop is set up for one run. */
export interface ShopOptions {
  clock: VirtualClock
  /** The shop's randomness (latencies, hangs), forked from the run's seed. */
  random: SeededRandom
  /** The cluster's seed. */
  seed: number
  /** Share of invoice attempts on which the renderer hangs past the invoice timeout. */
  invoiceHangRate: number
  /** The simulated bank: whether it hangs on an order's payment. */
  bankHangs: (orderId: string) => boolean
  /** Called for each listener event (failed attempt, backoff, dead letter), with the instance's name. */
  onListenerEvent: (event: ListenerEvent, instance: string) => void
}

/** A record dead-lettered by a listener, as its `onEvent` reported it. */
export interface DeadLettered {
  key: string
  at: number
  groupId: string
  error: unknown
}

/** The groups that read `order-placed`. */
export const ORDER_GROUPS = ['inventory', 'notification', 'invoice', 'seller'] as const

/** The shop's stores: what each service did, shared by its instances. */
export interface ShopStores {
  inventory: InventoryStore
  notification: NotificationStore
  invoice: InvoiceStore
  seller: SellerStore
  welcomeMail: WelcomeMailStore
}

/** The running shop. */
export class Shop {
  readonly clock: VirtualClock
  readonly cluster: Cluster
  readonly kafka: Kafka
  readonly payments: PaymentService
  readonly stores: ShopStores
  readonly deadLettered: DeadLettered[] = []
  /** Client log entries at WARN or above (retries during the broker crash, ...), kept off the screen. */
  readonly clientWarnings: LogEntry[] = []
  /** Set by {@link open}. */
  orders!: OrderService
  accounts!: AccountService
  admin!: Admin
  private producer!: Producer
  private readonly services: ServiceKafka
  private readonly containers: ListenerContainer<Consumer>[] = []
  private readonly joins: Array<{ at: number; consumer: Consumer; join: GroupJoin }> = []
  private inventoryInstances = 0
  private readonly random: SeededRandom

  constructor(private readonly options: ShopOptions) {
    const { clock, seed } = options
    this.clock = clock
    this.random = options.random
    this.cluster = new Cluster({ brokers: 3, clock, seed, defaultReplicationFactor: 3, minInsyncReplicas: 2 })
    this.kafka = new Kafka({
      clientId: 'shop',
      cluster: this.cluster,
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => this.clientWarnings.push(entry),
    })
    this.services = serviceKafka(this.kafka, (consumer, join) => this.joins.push({ at: clock.now(), consumer, join }))
    this.payments = new PaymentService(clock, this.random.fork(), {
      timeoutMs: TIMING.paymentTimeoutMs,
      latencyMs: TIMING.paymentLatencyMs,
      bankHangs: options.bankHangs,
      hangMs: TIMING.paymentHangMs,
    })
    this.stores = {
      inventory: new InventoryStore(new Map(CATALOGUE.map(([sku]) => [sku, INITIAL_STOCK_PER_SKU]))),
      notification: new NotificationStore(),
      invoice: new InvoiceStore(),
      seller: new SellerStore(),
      welcomeMail: new WelcomeMailStore(),
    }
  }

  /** Creates the topics (6 partitions for orders, 2 for sign-ups, each on all 3 brokers) and connects the order path. */
  async open(): Promise<void> {
    this.admin = this.kafka.admin()
    await this.admin.connect()
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: [orderPlaced.topicConfig(), orderCancelled.topicConfig(), signedUp.topicConfig(), { topic: ORDER_PLACED_DLT, numPartitions: orderPlaced.numPartitions! }],
    })
    this.producer = this.kafka.producer()
    await this.producer.connect()
    this.orders = new OrderService(this.clock, this.producer, this.payments)
    this.accounts = new AccountService(this.clock, this.producer)
  }

  /** Starts one instance of inventory, two of notification and invoice, one of seller, three of welcome-mail. */
  async startServices(): Promise<Consumer[]> {
    const { stores, clock } = this
    const invoiceOptions = { renderMs: TIMING.invoiceRenderMs, hangRate: this.options.invoiceHangRate, hangMs: TIMING.invoiceHangMs }
    return this.start([
      this.newInventoryInstance(),
      new NotificationService('notification-1', stores.notification, clock, TIMING.notificationMs),
      new NotificationService('notification-2', stores.notification, clock, TIMING.notificationMs),
      new InvoiceService('invoice-1', stores.invoice, clock, this.random.fork(), invoiceOptions),
      new InvoiceService('invoice-2', stores.invoice, clock, this.random.fork(), invoiceOptions),
      new SellerService('seller-1', stores.seller, clock, TIMING.sellerMs),
      new WelcomeMailService('welcome-mail-1', stores.welcomeMail, clock, TIMING.welcomeMailMs),
      new WelcomeMailService('welcome-mail-2', stores.welcomeMail, clock, TIMING.welcomeMailMs),
      new WelcomeMailService('welcome-mail-3', stores.welcomeMail, clock, TIMING.welcomeMailMs),
    ])
  }

  /** Starts `count` more inventory instances: they join the group `inventory`, which rebalances. Resolves once they run. */
  async addInventoryInstances(count: number): Promise<Consumer[]> {
    return this.start(Array.from({ length: count }, () => this.newInventoryInstance()))
  }

  /** Whether every consumer of `consumers` has joined its group since `since`. */
  joinedSince(consumers: readonly Consumer[], since: number): boolean {
    return consumers.every((consumer) => this.joins.some((j) => j.consumer === consumer && j.at >= since))
  }

  /** Whether a consumer that first joined `groupId` after `since` has been given partitions of `topic`. */
  newMemberHasPartitions(groupId: string, topic: string, since: number): boolean {
    return this.joins.some(
      (j) =>
        j.join.groupId === groupId &&
        (j.join.memberAssignment[topic]?.length ?? 0) > 0 &&
        this.joins.find((first) => first.consumer === j.consumer)!.at >= since,
    )
  }

  /** Every group join so far, with the instance that joined. */
  memberJoins(): MemberJoin[] {
    const instanceOf = new Map<Consumer, string>()
    for (const container of this.containers) {
      for (const { consumer, instance } of container.consumers) instanceOf.set(consumer, (instance as { name: string }).name)
    }
    return this.joins.map(({ at, consumer, join }) => ({
      at,
      groupId: join.groupId,
      memberId: join.memberId,
      instance: instanceOf.get(consumer) ?? '?',
      assignment: join.memberAssignment,
    }))
  }

  /** Stops every listener (each leaves its group) and disconnects. */
  async close(): Promise<void> {
    await Promise.all(this.containers.map((container) => container.stop()))
    await this.producer.disconnect()
    await this.admin.disconnect()
  }

  private newInventoryInstance(): InventoryService {
    this.inventoryInstances += 1
    return new InventoryService(`inventory-${this.inventoryInstances}`, this.stores.inventory, this.clock, TIMING.inventoryMs)
  }

  /** Starts each instance in its own listener container, all at once, as separate processes would start. */
  private async start(instances: object[]): Promise<Consumer[]> {
    const containers = await Promise.all(
      instances.map((instance) =>
        startListeners(this.services, [instance], {
          cluster: this.cluster,
          // The Java consumer's fetch.max.wait.ms (500) rather than KafkaJS's 5000: a KafkaJS member
          // heartbeats between fetches, so an idle member learns of a rebalance only when its
          // long-poll ends, and every instance that joins would hold the group up for 5 s.
          consumer: { maxWaitTimeInMs: 500 },
          onEvent: (event) => this.listenerEvent(event),
        }),
      ),
    )
    this.containers.push(...containers)
    return containers.flatMap((container) => container.consumers.map((c) => c.consumer))
  }

  private listenerEvent(event: ListenerEvent): void {
    const key = event.message.key?.toString() ?? '?'
    const ledger = event.groupId === 'invoice' ? this.stores.invoice.invoices : undefined
    const instance = ledger?.lastDelivery(key)?.instance ?? event.listenerId
    if (event.type === 'dead-lettered') this.deadLettered.push({ key, at: this.clock.now(), groupId: event.groupId, error: event.error })
    this.options.onListenerEvent(event, instance)
  }
}

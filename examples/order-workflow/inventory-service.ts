/**
 * The inventory service: reserves stock for each placed order and puts it back when the order is
 * cancelled. It is the slow one (each reservation takes `processingMs` of cluster time), which is
 * why it reads orders from the log at its own pace instead of being called by the order service.
 * Its instances share one database (the stock and what has been applied), as instances of a real
 * service share theirs, and each is one member of the consumer group `inventory`.
 */
import { KafkaListener, type Clock, type ListenerContext } from '../../src/index.js'
import { EffectLedger, type Delivery } from './effect-ledger.js'
import { orderCancelled, orderPlaced, type OrderCancelled, type OrderLine, type OrderPlaced } from './events.js'
import { workFor } from './processing-time.js'

/** What a reservation did: took the lines from stock, or nothing because the cancellation came first. */
export type ReservationOutcome = { kind: 'reserved'; lines: OrderLine[] } | { kind: 'skipped: cancelled before reservation' }

/** What a cancellation did: put the lines back, or noted it for the reservation still to come. */
export type RestockOutcome = { kind: 'restocked'; lines: OrderLine[] } | { kind: 'noted: cancelled before reservation' }

/** The inventory database, shared by every instance. */
export class InventoryStore {
  readonly stock = new Map<string, number>()
  readonly reservations = new EffectLedger<ReservationOutcome>('inventory: reserve stock')
  readonly restocks = new EffectLedger<RestockOutcome>('inventory: restock')

  constructor(readonly initialStock: ReadonlyMap<string, number>) {
    for (const [sku, units] of initialStock) this.stock.set(sku, units)
  }

  private move(lines: readonly OrderLine[], sign: 1 | -1): void {
    for (const { sku, quantity } of lines) this.stock.set(sku, (this.stock.get(sku) ?? 0) + sign * quantity)
  }

  /**
   * `order-placed` and `order-cancelled` are two topics, so nothing orders a cancellation after its
   * order: when the cancellation was applied first, the reservation is skipped instead of leaking stock.
   */
  reserve(order: OrderPlaced, delivery: Delivery, at: number): void {
    const cancelledFirst = this.restocks.effectOf(order.orderId)?.detail.kind === 'noted: cancelled before reservation'
    const outcome: ReservationOutcome = cancelledFirst ? { kind: 'skipped: cancelled before reservation' } : { kind: 'reserved', lines: order.lines }
    if (this.reservations.applyOnce(delivery, at, outcome) && outcome.kind === 'reserved') this.move(order.lines, -1)
  }

  restock(event: OrderCancelled, delivery: Delivery, at: number): void {
    const reservation = this.reservations.effectOf(event.orderId)?.detail
    const outcome: RestockOutcome = reservation?.kind === 'reserved' ? { kind: 'restocked', lines: reservation.lines } : { kind: 'noted: cancelled before reservation' }
    if (this.restocks.applyOnce(delivery, at, outcome) && outcome.kind === 'restocked') this.move(outcome.lines, 1)
  }
}

/** One instance of the inventory service. */
export class InventoryService {
  constructor(
    readonly name: string,
    private readonly store: InventoryStore,
    private readonly clock: Clock,
    private readonly processingMs: number,
  ) {}

  @KafkaListener({ topic: orderPlaced, groupId: 'inventory', fromBeginning: true })
  async reserveStock(order: OrderPlaced, context: ListenerContext): Promise<void> {
    const delivery = this.store.reservations.recordDelivery(order.orderId, this.name, context, this.clock.now())
    await workFor(this.clock, this.processingMs, context.signal)
    this.store.reserve(order, delivery, this.clock.now())
  }

  @KafkaListener({ topic: orderCancelled, groupId: 'inventory', fromBeginning: true })
  async handleOrderCancelled(event: OrderCancelled, context: ListenerContext): Promise<void> {
    const delivery = this.store.restocks.recordDelivery(event.orderId, this.name, context, this.clock.now())
    await workFor(this.clock, this.processingMs / 10, context.signal)
    this.store.restock(event, delivery, this.clock.now())
  }
}

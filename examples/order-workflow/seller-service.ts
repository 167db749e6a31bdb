/** The seller service: tells each seller about the orders placed with them (consumer group `seller`). */
import { KafkaListener, type Clock, type ListenerContext } from '../../src/index.js'
import { EffectLedger } from './effect-ledger.js'
import { orderPlaced, type OrderPlaced } from './events.js'
import { workFor } from './processing-time.js'

/** A message sent to a seller. */
export interface SellerMessage {
  sellerId: string
  text: string
}

/** What the seller service has sent, shared by its instances. */
export class SellerStore {
  readonly notices = new EffectLedger<SellerMessage>('seller: new order')
}

/** One instance of the seller service. */
export class SellerService {
  constructor(
    readonly name: string,
    private readonly store: SellerStore,
    private readonly clock: Clock,
    private readonly processingMs: number,
  ) {}

  @KafkaListener({ topic: orderPlaced, groupId: 'seller', fromBeginning: true })
  async tellSeller(order: OrderPlaced, context: ListenerContext): Promise<void> {
    const delivery = this.store.notices.recordDelivery(order.orderId, this.name, context, this.clock.now())
    await workFor(this.clock, this.processingMs, context.signal)
    const units = order.lines.reduce((sum, line) => sum + line.quantity, 0)
    this.store.notices.applyOnce(delivery, this.clock.now(), { sellerId: order.sellerId, text: `New order ${order.orderId}: ${units} units to ship` })
  }
}

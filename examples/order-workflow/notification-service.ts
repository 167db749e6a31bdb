/**
 * The notification service: tells the customer that an order is confirmed, and that it is
 * cancelled. Its own consumer group (`notification`) reads every order, independently of the
 * inventory's group and at its own pace.
 */
import { KafkaListener, type Clock, type ListenerContext } from '../../src/index.js'
import { EffectLedger } from './effect-ledger.js'
import { orderCancelled, orderPlaced, type OrderCancelled, type OrderPlaced } from './events.js'
import { workFor } from './processing-time.js'

/** A message sent to a customer. */
export interface CustomerMessage {
  customerId: string
  text: string
}

/** What the notification service has sent, shared by its instances. */
export class NotificationStore {
  readonly confirmations = new EffectLedger<CustomerMessage>('notification: order confirmed')
  readonly cancellations = new EffectLedger<CustomerMessage>('notification: order cancelled')
}

/** One instance of the notification service. */
export class NotificationService {
  constructor(
    readonly name: string,
    private readonly store: NotificationStore,
    private readonly clock: Clock,
    private readonly processingMs: number,
  ) {}

  @KafkaListener({ topic: orderPlaced, groupId: 'notification', fromBeginning: true })
  async orderConfirmed(order: OrderPlaced, context: ListenerContext): Promise<void> {
    const delivery = this.store.confirmations.recordDelivery(order.orderId, this.name, context, this.clock.now())
    await workFor(this.clock, this.processingMs, context.signal)
    this.store.confirmations.applyOnce(delivery, this.clock.now(), { customerId: order.customerId, text: `Your order ${order.orderId} is confirmed` })
  }

  @KafkaListener({ topic: orderCancelled, groupId: 'notification', fromBeginning: true })
  async orderCancelled(event: OrderCancelled, context: ListenerContext): Promise<void> {
    const delivery = this.store.cancellations.recordDelivery(event.orderId, this.name, context, this.clock.now())
    await workFor(this.clock, this.processingMs, context.signal)
    this.store.cancellations.applyOnce(delivery, this.clock.now(), { customerId: event.customerId, text: `Your order ${event.orderId} is cancelled` })
  }
}

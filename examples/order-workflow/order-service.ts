/**
 * The order service: the only service the customer waits for. It takes the payment (a synchronous
 * call, bounded by a timeout), publishes `OrderPlaced` with acks=all, and confirms at once. It never
 * waits for inventory, notifications, invoices or sellers: they read the event from the log when
 * they can, so a slow or scaled-down reader never slows down a checkout.
 */
import type { Clock, Producer } from '../../src/index.js'
import { orderCancelled, orderPlaced, type OrderLine, type OrderPlaced } from './events.js'
import type { PaymentService } from './payment-service.js'

/** What the customer submits. */
export interface OrderRequest {
  orderId: string
  customerId: string
  sellerId: string
  lines: OrderLine[]
  billingAddress: OrderPlaced['billingAddress']
}

/** What the customer gets back. */
export interface Confirmation {
  orderId: string
  /** Where the event was written: the partition its key picked, and its offset there. */
  partition: number
  offset: string
  /** Cluster time at which the customer had the confirmation. */
  confirmedAt: number
  /** How long the customer waited, payment included (ms). */
  latencyMs: number
}

/** Places and cancels orders. */
export class OrderService {
  constructor(
    private readonly clock: Clock,
    private readonly producer: Producer,
    private readonly payments: PaymentService,
  ) {}

  /**
   * Charges the customer, then publishes `OrderPlaced` keyed by the order id and waits for every
   * in-sync replica to have it (acks=all: with min.insync.replicas=2 it survives a broker crash).
   * Rejects with `PaymentTimeoutError` when the bank is too slow; if the event cannot be written,
   * refunds the payment and rejects: no confirmation without the event.
   */
  async placeOrder(request: OrderRequest): Promise<Confirmation> {
    const startedAt = this.clock.now()
    const total = request.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0)
    const payment = await this.payments.charge(request.orderId, total)
    const event: OrderPlaced = { ...request, total, paymentId: payment.paymentId, placedAt: this.clock.now() }
    const [written] = await orderPlaced.send(this.producer, event, { acks: -1 }).catch((error: unknown) => {
      this.payments.refund(payment)
      throw error
    })
    const confirmedAt = this.clock.now()
    return { orderId: request.orderId, partition: written!.partition, offset: written!.baseOffset ?? '?', confirmedAt, latencyMs: confirmedAt - startedAt }
  }

  /** Publishes `OrderCancelled` (acks=all); inventory and notifications react to it. */
  async cancelOrder(orderId: string, customerId: string, reason: string): Promise<void> {
    await orderCancelled.send(this.producer, { orderId, customerId, reason, cancelledAt: this.clock.now() }, { acks: -1 })
  }
}

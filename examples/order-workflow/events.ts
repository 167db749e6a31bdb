/**
 * The shop's events and the topics that carry them. A topic is a category of events: every
 * `OrderPlaced` goes to `order-placed`, whoever reads it. Each typed topic names its sharding key:
 * the key picks the partition (Kafka's default partitioner: `toPositive(murmur2(key)) % partitions`),
 * so every event of one order lands on one partition, in order.
 */
import { typedTopic } from '../../src/index.js'

/** Partitions of the order topics: up to 6 instances of a service can share the work. */
export const ORDER_PARTITIONS = 6
/** Partitions of the sign-up topic: at most 2 welcome-mail instances are ever busy. */
export const SIGNUP_PARTITIONS = 2

/** One line of an order. */
export interface OrderLine {
  sku: string
  quantity: number
  /** Price of one unit, in cents. */
  unitPrice: number
}

/** A customer placed an order and paid for it. */
export interface OrderPlaced {
  orderId: string
  customerId: string
  sellerId: string
  lines: OrderLine[]
  /** In cents. */
  total: number
  billingAddress: { street: string; postcode: string; city: string }
  paymentId: string
  /** Cluster time (ms) at which the order was confirmed. */
  placedAt: number
}

/** A customer cancelled an order. */
export interface OrderCancelled {
  orderId: string
  customerId: string
  reason: string
  cancelledAt: number
}

/** A new customer signed up. */
export interface SignedUp {
  customerId: string
  email: string
  signedUpAt: number
}

/** `order-placed`, keyed by order id. */
export const orderPlaced = typedTopic<OrderPlaced>({ name: 'order-placed', key: (order) => order.orderId, numPartitions: ORDER_PARTITIONS })

/**
 * `order-cancelled`, keyed by order id too: with as many partitions as `order-placed`, a cancellation
 * has the same partition number as its order. Two topics still have no order between them.
 */
export const orderCancelled = typedTopic<OrderCancelled>({
  name: 'order-cancelled',
  key: (event) => event.orderId,
  numPartitions: ORDER_PARTITIONS,
})

/** `signup`, keyed by customer id. */
export const signedUp = typedTopic<SignedUp>({ name: 'signup', key: (event) => event.customerId, numPartitions: SIGNUP_PARTITIONS })

/** Where the listeners of `order-placed` send what they cannot handle (Spring Kafka's default `<topic>-dlt`). */
export const ORDER_PLACED_DLT = `${orderPlaced.name}-dlt`

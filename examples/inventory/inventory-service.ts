/**
 * Two versions of an inventory service that reserves stock for each order on the `orders` topic. The naive one
 * commits an order's offset before it reserves the stock (and would reserve twice on redelivery): a crash between
 * the two loses the reservation for good. The fixed one reserves first, through an effect ledger keyed by the order
 * id, and only then lets the offset be committed: a crash leads to a redelivery, and the ledger makes it harmless.
 */
import type { Consumer, Kafka } from 'kafkalite'
import type { Order, StockDatabase } from './stock-database.js'

export const ORDERS = 'orders'
export const GROUP = 'inventory'

/** How a service instance handles one order. */
export type Version = 'naive' | 'fixed'

/** Options of {@link startInventoryService}. */
export interface InventoryServiceOptions {
  readonly version: Version
  /** The instance's name: its client id and the process the database knows. */
  readonly instance: string
  /** Lets cluster time pass, as the reservation's database round trip does (pass `clock.sleep`). */
  readonly work: (ms: number) => Promise<void>
  /** How long the database takes to reserve, in ms. */
  readonly reserveMs: number
  /** Wraps the consumer before it runs (the test's recorder). */
  readonly wrap?: (consumer: Consumer) => Consumer
}

/** Starts one instance of the service in the consumer group; resolves once it runs. */
export async function startInventoryService(kafka: Kafka, db: StockDatabase, options: InventoryServiceOptions): Promise<Consumer> {
  const { version, instance, work, reserveMs } = options
  const created = kafka.consumer({ groupId: GROUP, sessionTimeout: 6000, rebalanceTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 })
  const consumer = options.wrap?.(created) ?? created
  await consumer.connect()
  await consumer.subscribe({ topics: [ORDERS], fromBeginning: true })
  if (version === 'naive') {
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const order = JSON.parse(message.value!.toString()) as Order
        // The bug: the offset is committed first, so the order counts as done before its stock is reserved.
        await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }])
        await work(reserveMs)
        db.reserve(order, instance)
      },
    })
  } else {
    await consumer.run({
      // The offset of an order is committed only after eachMessage returned, i.e. after the reservation.
      autoCommit: true,
      eachMessage: async ({ message }) => {
        const order = JSON.parse(message.value!.toString()) as Order
        await work(reserveMs)
        db.reserveOnce(order, instance)
      },
    })
  }
  return consumer
}

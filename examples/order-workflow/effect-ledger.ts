/**
 * An idempotent consumer's bookkeeping. Kafka delivers at least once: after a rebalance or a crash,
 * a record whose offset was not committed yet is delivered again. So a service remembers, in its own
 * database, which events it has applied (keyed by the event's id) and applies each one once. The
 * ledger counts handler invocations apart from effects, so redeliveries are visible, not hidden.
 */
import type { ListenerContext } from '../../src/index.js'

/** One call of a handler with one record. */
export interface Delivery {
  /** The event's id (an order id, a customer id). */
  readonly key: string
  /** The service instance whose handler was called. */
  readonly instance: string
  readonly topic: string
  readonly partition: number
  readonly offset: string
  /** 1 for the first attempt at this delivery, 2.. for blocking retries of it. */
  readonly attempt: number
  /** Cluster time of the call. */
  readonly at: number
}

/** An effect the outside world saw: stock reserved, an e-mail sent, an invoice issued. */
export interface Effect<T> {
  readonly key: string
  readonly instance: string
  readonly partition: number
  readonly at: number
  readonly detail: T
}

/** What one handler of a service has seen and done. */
export class EffectLedger<T> {
  /** Every handler call, retries included. */
  readonly deliveries: Delivery[] = []
  /** First attempts at a record whose key had been delivered before: Kafka's at-least-once showing. */
  readonly redeliveries: Delivery[] = []
  /** Effects in the order they happened; at most one per key. */
  readonly effects: Effect<T>[] = []
  private readonly lastDeliveries = new Map<string, Delivery>()
  private readonly applied = new Map<string, Effect<T>>()

  /** @param name the service and handler, e.g. `inventory: reserve stock` */
  constructor(readonly name: string) {}

  /** Records a handler call; returns it. */
  recordDelivery(key: string, instance: string, context: ListenerContext, at: number): Delivery {
    const delivery: Delivery = { key, instance, topic: context.topic, partition: context.partition, offset: context.message.offset, attempt: context.attempt, at }
    this.deliveries.push(delivery)
    if (context.attempt === 1 && this.lastDeliveries.has(key)) this.redeliveries.push(delivery)
    this.lastDeliveries.set(key, delivery)
    return delivery
  }

  /**
   * Applies an effect unless this key's effect was already applied: the check and the write happen
   * together (one synchronous step here, one transaction or unique key in a real database), so two
   * deliveries racing each other still apply it once. Returns false for a duplicate.
   */
  applyOnce(delivery: Delivery, at: number, detail: T): boolean {
    if (this.applied.has(delivery.key)) return false
    const effect: Effect<T> = { key: delivery.key, instance: delivery.instance, partition: delivery.partition, at, detail }
    this.applied.set(delivery.key, effect)
    this.effects.push(effect)
    return true
  }

  /** The effect applied for `key`, if any. */
  effectOf(key: string): Effect<T> | undefined {
    return this.applied.get(key)
  }

  /** The latest handler call for `key`. */
  lastDelivery(key: string): Delivery | undefined {
    return this.lastDeliveries.get(key)
  }

  /** Whether `key`'s effect was applied. */
  has(key: string): boolean {
    return this.applied.has(key)
  }
}

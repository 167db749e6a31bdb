/**
 * KafkaJS's instrumentation events: each client emits `{ id, type, timestamp, payload }` to
 * listeners added with `client.on(eventName, listener)`. Timestamps come from the cluster clock.
 */
import { EventEmitter } from 'eventemitter3'
import type { Clock } from '../../time/clock.js'
import { KafkaJSError } from '../errors.js'

/** One instrumentation event, as KafkaJS delivers it. */
export interface InstrumentationEvent<T = unknown> {
  id: number
  type: string
  timestamp: number
  payload: T
}

/** Removes a listener added with `on`. */
export type RemoveInstrumentationEventListener = () => void

let nextId = 0

/** Emits instrumentation events for one producer, consumer or admin. */
export class InstrumentationEmitter {
  private readonly emitter = new EventEmitter()

  /** @param validEvents the event names this client emits, e.g. `consumer.events` values. */
  constructor(
    private readonly clock: Clock,
    private readonly validEvents: readonly string[],
  ) {}

  /** Emits an event if anyone listens. */
  emit(type: string, payload: unknown): void {
    if (this.emitter.listenerCount(type) === 0) return
    const event: InstrumentationEvent = { id: nextId++, type, timestamp: this.clock.now(), payload }
    this.emitter.emit(type, event)
  }

  /** Adds a listener; rejects unknown event names as KafkaJS does. */
  on(type: string, listener: (event: InstrumentationEvent<any>) => void): RemoveInstrumentationEventListener {
    if (!this.validEvents.includes(type)) {
      throw new KafkaJSError(`Event name should be one of ${this.validEvents.join(', ')}`, { retriable: false })
    }
    this.emitter.addListener(type, listener)
    return () => this.emitter.removeListener(type, listener)
  }
}

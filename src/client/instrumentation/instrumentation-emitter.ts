/**
 * KafkaJS's instrumentation events: each client emits `{ id, type, timestamp, payload }` to
 * listeners added with `client.on(eventName, listener)`. Timestamps come from the cluster clock.
 */
import { EventEmitter } from 'eventemitter3'
import type { Clock } from '../../time/clock.js'
import { KafkaJSNonRetriableError } from '../errors.js'
import type { Logger } from '../logger.js'

/** One instrumentation event, as KafkaJS delivers it. */
export interface InstrumentationEvent<T = unknown> {
  /**
   * A number at runtime, counting up per process, as in KafkaJS; KafkaJS's declarations call it a
   * string, so it is typed `any` for listeners typed with KafkaJS's event types to fit.
   */
  id: any
  type: string
  timestamp: number
  payload: T
}

/** Removes a listener added with `on`. */
export type RemoveInstrumentationEventListener = () => void

let nextId = 0

/** What an emitter needs: the clock for timestamps, the client's event table, and where listener errors are logged. */
export interface InstrumentationEmitterOptions {
  readonly clock: Clock
  /** The client's `events` table, e.g. `{ HEARTBEAT: 'consumer.heartbeat', ... }`. */
  readonly events: Readonly<Record<string, string>>
  /** `'consumer'`, `'producer'` or `'admin'`: names the table in error messages (`consumer.events.HEARTBEAT`). */
  readonly client: string
  readonly log: Logger
}

/** Emits instrumentation events for one producer, consumer or admin. */
export class InstrumentationEmitter {
  private readonly emitter = new EventEmitter()
  private readonly validEvents: readonly string[]

  constructor(private readonly options: InstrumentationEmitterOptions) {
    this.validEvents = Object.values(options.events)
  }

  /** Emits an event if anyone listens. */
  emit(type: string, payload: unknown): void {
    if (this.emitter.listenerCount(type) === 0) return
    const event: InstrumentationEvent = { id: nextId++, type, timestamp: this.options.clock.now(), payload }
    this.emitter.emit(type, event)
  }

  /**
   * Adds a listener; rejects unknown event names as KafkaJS does. A listener that throws or rejects is
   * logged, never propagated into the client, as in KafkaJS.
   */
  on(type: string, listener: (event: InstrumentationEvent<any>) => unknown): RemoveInstrumentationEventListener {
    if (!this.validEvents.includes(type)) {
      const names = Object.keys(this.options.events).map((key) => `${this.options.client}.events.${key}`)
      throw new KafkaJSNonRetriableError(`Event name should be one of ${names.join(', ')}`)
    }
    const fail = (error: unknown) =>
      this.options.log.error(`Failed to execute listener: ${(error as Error)?.message}`, { eventName: type, stack: (error as Error)?.stack })
    const wrapped = (event: InstrumentationEvent) => {
      try {
        Promise.resolve(listener(event)).catch(fail)
      } catch (error) {
        fail(error)
      }
    }
    this.emitter.addListener(type, wrapped)
    return () => this.emitter.removeListener(type, wrapped)
  }
}

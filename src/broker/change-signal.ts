/**
 * Kafka's "purgatory" in miniature: a request that must wait (a long-polling Fetch, an acks=all
 * Produce) subscribes to the signals of the partitions it watches and re-checks its condition
 * whenever one fires, instead of polling. An append therefore completes a parked follower fetch
 * at once, and acks=all costs microseconds, not a polling interval.
 */
import type { Clock, TimerOptions } from '../time/index.js'

/**
 * A listener told through a method: a caller that listens to many signals at once (an acks=all Produce, one per
 * partition) passes objects it has anyway instead of a closure each.
 */
export interface ChangeListener {
  changed(): void
}

type Listener = (() => void) | ChangeListener

/** Something that changed: listeners re-check their conditions. */
export class ChangeSignal {
  /**
   * Replaced, never changed, while a {@link notify} walks it (copy on write): a notify then needs no copy of its own,
   * where a replica with two follower sessions and a waiting produce notifies several times per append.
   */
  private listeners: Listener[] = []
  /** Notifies under way: while any, a subscribe or unsubscribe copies the array instead of changing it. */
  private notifying = 0

  /** Calls `listener` on every {@link notify} until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listen(listener)
    return () => this.unlisten(listener)
  }

  /** {@link subscribe} without the function to unsubscribe with: for a caller that keeps `listener` to {@link unlisten} it. */
  listen(listener: Listener): void {
    if (this.notifying > 0) this.listeners = [...this.listeners, listener]
    else this.listeners.push(listener)
  }

  /** Stops calling `listener` (one subscription of it); nothing if it is not subscribed. */
  unlisten(listener: Listener): void {
    const listeners = this.listeners
    const at = listeners.indexOf(listener)
    if (at < 0) return
    if (this.notifying > 0) {
      this.listeners = listeners.filter((_, i) => i !== at)
      return
    }
    // In place, without the array of removed elements `splice` would make (one per partition of an acks=all Produce).
    for (let i = at + 1; i < listeners.length; i++) listeners[i - 1] = listeners[i]!
    listeners.length--
  }

  /** Tells every listener that something changed (those subscribed when it is called). */
  notify(): void {
    const listeners = this.listeners
    const count = listeners.length
    if (count === 0) return
    this.notifying++
    try {
      for (let i = 0; i < count; i++) {
        const listener = listeners[i]!
        if (typeof listener === 'function') listener()
        else listener.changed()
      }
    } finally {
      this.notifying--
    }
  }

  /** How many listeners wait (a finished request leaves none behind). */
  get size(): number {
    return this.listeners.length
  }
}

/** Options of {@link waitUntil}. */
export interface WaitOptions extends TimerOptions {
  /** Ends the wait early (as if it timed out) when it aborts: the request's sender went away. */
  abort?: AbortSignal | undefined
}

/**
 * Resolves true as soon as `condition()` holds (checked now and on every notify of `signals`),
 * or false after `timeoutMs` of clock time (Kafka's DelayedOperation) or once `options.abort` aborts.
 */
export function waitUntil(
  clock: Clock,
  signals: readonly ChangeSignal[],
  condition: () => boolean,
  timeoutMs: number,
  options: WaitOptions = {},
): Promise<boolean> {
  if (condition()) return Promise.resolve(true)
  const { abort } = options
  if (timeoutMs <= 0 || abort?.aborted === true) return Promise.resolve(false)
  return new Promise((resolve) => {
    const unsubscribes: Array<() => void> = []
    const finish = (result: boolean): void => {
      clock.clearTimeout(timer)
      for (const unsubscribe of unsubscribes) unsubscribe()
      abort?.removeEventListener('abort', onAbort)
      resolve(result)
    }
    const onAbort = (): void => finish(condition())
    const timer = clock.setTimeout(() => finish(condition()), timeoutMs, { background: options.background })
    const check = (): void => {
      if (condition()) finish(true)
    }
    for (const signal of signals) unsubscribes.push(signal.subscribe(check))
    abort?.addEventListener('abort', onAbort, { once: true })
  })
}

/** One condition of a {@link waitForEach}: re-checked only when its own signal fires. */
export interface SignalledCondition {
  readonly signal: ChangeSignal
  readonly ready: () => boolean
}

/** Options of {@link waitForEach}. */
export interface WaitForEachOptions {
  timeoutMs: number
  any?: boolean
  /** Signals that end the wait when they fire (and `when`, if given, holds). */
  wakeOn?: ReadonlyArray<{ readonly signal: ChangeSignal; readonly when?: () => boolean }>
  /** Ends the wait early (as if it timed out): the request's sender went away. */
  abort?: AbortSignal | undefined
  timerOptions?: TimerOptions
}

/**
 * Resolves true once every condition has held (each checked now and then only when its own signal
 * fires), or on any notify of `wakeOn`; false after `timeoutMs` of clock time.
 * With `any`, the first condition that holds is enough. A wake-up costs one condition check, not a
 * scan of all of them: a request waiting on thousands of partitions pays only for those that change.
 */
export function waitForEach(clock: Clock, conditions: readonly SignalledCondition[], options: WaitForEachOptions): Promise<boolean> {
  return new Promise((resolve) => whenEach(clock, conditions, options, resolve))
}

/**
 * {@link waitForEach} with the outcome handed to `done` instead of a promise: at once (in this call) when it is known
 * already, else from the notify, timer or abort that ends the wait. The hot paths (a parked Fetch, an acks=all Produce)
 * wait this way, so a wait creates no promise.
 */
export function whenEach(clock: Clock, conditions: readonly SignalledCondition[], options: WaitForEachOptions, done: (result: boolean) => void): void {
  const { timeoutMs, any = false, wakeOn = [], abort } = options
  let pending = 0
  const waiting: SignalledCondition[] = []
  for (const condition of conditions) {
    if (!condition.ready()) {
      pending++
      waiting.push(condition)
    } else if (any) return done(true)
  }
  if (pending === 0) return done(true)
  if (timeoutMs <= 0 || abort?.aborted === true) return done(false)
  const unsubscribes: Array<() => void> = []
  let finished = false
  const finish = (result: boolean): void => {
    if (finished) return
    finished = true
    clock.clearTimeout(timer)
    for (const unsubscribe of unsubscribes) unsubscribe()
    abort?.removeEventListener('abort', onAbort)
    done(result)
  }
  const onAbort = (): void => finish(false)
  const timer = clock.setTimeout(() => finish(false), timeoutMs, options.timerOptions)
  for (const condition of waiting) {
    let met = false
    const unsubscribe = condition.signal.subscribe(() => {
      if (met || finished || !condition.ready()) return
      met = true
      unsubscribe()
      if (any || --pending === 0) finish(true)
    })
    unsubscribes.push(unsubscribe)
  }
  for (const { signal, when } of wakeOn) unsubscribes.push(signal.subscribe(() => (when === undefined || when()) && finish(true)))
  abort?.addEventListener('abort', onAbort, { once: true })
}

/**
 * Kafka's "purgatory" in miniature: a request that must wait (a long-polling Fetch, an acks=all
 * Produce) subscribes to the signals of the partitions it watches and re-checks its condition
 * whenever one fires, instead of polling. An append therefore completes a parked follower fetch
 * at once, and acks=all costs microseconds, not a polling interval.
 */
import type { Clock, TimerOptions } from '../time/index.js'

/** Something that changed: listeners re-check their conditions. */
export class ChangeSignal {
  private readonly listeners = new Set<() => void>()

  /** Calls `listener` on every {@link notify} until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Tells every listener that something changed. */
  notify(): void {
    for (const listener of [...this.listeners]) listener()
  }

  /** How many listeners wait (a finished request leaves none behind). */
  get size(): number {
    return this.listeners.size
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

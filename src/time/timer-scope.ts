/**
 * A group of timers that can be cancelled together: the cluster schedules its own housekeeping
 * (ISR checks, replica fetch backoff, session expiry, transaction timeouts) through one scope, so
 * that `cluster.close()` stops every one of them at once and none keeps a process alive.
 */
import type { Clock, TimerHandle, TimerOptions } from './clock.js'

/** A {@link Clock} that forwards to another and remembers the timers it scheduled until they fire. */
export class TimerScope implements Clock {
  private readonly live = new Set<TimerHandle>()
  private closed = false

  constructor(private readonly clock: Clock) {}

  now(): number {
    return this.clock.now()
  }

  /** Schedules on the underlying clock; after {@link close} nothing is scheduled and `fn` never runs. */
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): TimerHandle {
    if (this.closed) return { id: -1 }
    const handle = this.clock.setTimeout(
      () => {
        this.live.delete(handle)
        fn()
      },
      ms,
      options,
    )
    this.live.add(handle)
    return handle
  }

  clearTimeout(handle: TimerHandle): void {
    if (!this.live.delete(handle)) return
    this.clock.clearTimeout(handle)
  }

  /** After {@link close} the returned promise never settles: whoever awaits it is shut down with the scope. */
  sleep(ms: number, options?: TimerOptions): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms, options))
  }

  /** How many timers of this scope are pending. */
  get size(): number {
    return this.live.size
  }

  /** Cancels every pending timer and refuses new ones. Idempotent. */
  close(): void {
    this.closed = true
    for (const handle of this.live) this.clock.clearTimeout(handle)
    this.live.clear()
  }
}

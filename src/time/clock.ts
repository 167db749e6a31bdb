/**
 * The one source of time in kafkalite. Every timestamp, timeout and timer in the broker,
 * transport and client layers goes through a Clock, so a whole cluster can run on
 * virtual time and replay exactly.
 */

/** An opaque handle for a scheduled timer, returned by {@link Clock.setTimeout}. */
export interface TimerHandle {
  readonly id: number
}

/** Options of {@link Clock.setTimeout}. */
export interface TimerOptions {
  /**
   * A background timer is the cluster's own housekeeping (ISR checks, replica fetch backoff,
   * session expiry): on the system clock it does not keep the process alive. Timers that a
   * client waits on (a long-polling fetch, a retry backoff) are foreground, as a KafkaJS socket
   * keeps a process alive while a consumer runs.
   */
  background?: boolean
}

/** Wall-clock or virtual time, with timers. */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number
  /** Calls `fn` once, after `ms` milliseconds of this clock's time. */
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): TimerHandle
  /** Cancels a timer; cancelling one that already fired is a no-op. */
  clearTimeout(handle: TimerHandle): void
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number, options?: TimerOptions): Promise<void>
}

/**
 * Virtual time for tests: nothing happens until the test advances the clock, so a 30 s
 * session timeout costs microseconds and every run of a seeded test is identical.
 */
import type { Clock, TimerHandle, TimerOptions } from './clock.js'
import { checkDelay, checkDuration } from './delay.js'
import { IdleWatchdog, type IdleWarningOptions } from './idle-watchdog.js'
import { TimerQueue } from './timer-queue.js'

/** Options for {@link VirtualClock.runUntil} and {@link VirtualClock.runAll}. */
export interface RunOptions {
  /** Give up after this much virtual time has passed (default 10 minutes). */
  maxMs?: number
}

/** Thrown when {@link VirtualClock.runUntil} reaches its `maxMs` before the condition holds. */
export class VirtualTimeoutError extends Error {
  override name = 'VirtualTimeoutError'
}

const DEFAULT_MAX_MS = 10 * 60_000

/** Options of a {@link VirtualClock}. */
export interface VirtualClockOptions {
  /**
   * The warning when a timer is scheduled and then nobody moves the clock for `afterMs` of real
   * time (default 2000 ms; `{ afterMs: 0 }` turns it off): usually a forgotten `clock.run(...)`.
   */
  idleWarning?: IdleWarningOptions
}

/** Lets pending promise callbacks run; the only real scheduling the virtual clock does. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/**
 * A {@link Clock} whose time moves only when the test says so.
 *
 * Between two timers, the clock lets every pending promise settle, so code that awaits
 * a broker response scheduled "now" runs before time moves on.
 */
export class VirtualClock implements Clock {
  private current: number
  private readonly timers = new TimerQueue()
  private readonly watchdog: IdleWatchdog
  /** How many drives (advance, run, flush...) are under way: timers scheduled meanwhile need no watchdog. */
  private driving = 0

  /** @param startMs the time at which the clock starts (default: 2024-01-01T00:00:00Z, for readable timestamps). */
  constructor(startMs = Date.UTC(2024, 0, 1), options: VirtualClockOptions = {}) {
    this.current = startMs
    this.watchdog = new IdleWatchdog(options.idleWarning ?? {}, () => this.timers.size > 0)
  }

  now(): number {
    return this.current
  }

  setTimeout(fn: () => void, ms: number, options?: TimerOptions): TimerHandle {
    checkDelay(ms, 'setTimeout(fn, ms)')
    // A client waiting on a timer that nobody will ever fire is a forgotten clock.run(); the cluster's own housekeeping is not.
    if (this.driving === 0 && options?.background !== true) this.watchdog.armed()
    return this.timers.add(this.current + Math.max(0, ms), fn)
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.remove(handle)
  }

  sleep(ms: number, options?: TimerOptions): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms, options))
  }

  /** How many timers are scheduled. */
  pendingTimers(): number {
    return this.timers.size
  }

  /** Lets pending promise chains run without moving time. */
  async flush(): Promise<void> {
    await this.drive(async () => {
      for (let i = 0; i < 3; i++) await settle()
      while (this.runDue()) await settle()
    })
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order, settling promises between them. */
  async advance(ms: number): Promise<void> {
    checkDuration(ms, 'advance(ms)')
    await this.drive(() => this.advanceTo(this.current + ms))
  }

  private async advanceTo(target: number): Promise<void> {
    await this.flush()
    for (;;) {
      const next = this.timers.peekDue()
      if (next === undefined || next > target) break
      this.current = Math.max(this.current, next)
      await this.flush()
    }
    this.current = target
    await this.flush()
  }

  /**
   * Advances time, timer by timer, until `condition()` holds; rejects with
   * {@link VirtualTimeoutError} after `maxMs` of virtual time.
   */
  async runUntil(condition: () => boolean, options: RunOptions = {}): Promise<void> {
    if (options.maxMs !== undefined) checkDuration(options.maxMs, 'runUntil({ maxMs })')
    return this.drive(() => this.runUntilNow(condition, options))
  }

  private async runUntilNow(condition: () => boolean, options: RunOptions): Promise<void> {
    const deadline = this.current + (options.maxMs ?? DEFAULT_MAX_MS)
    await this.flush()
    while (!condition()) {
      const next = this.timers.peekDue()
      if (next === undefined || next > deadline) {
        this.current = Math.max(this.current, deadline)
        await this.flush()
        if (condition()) return
        throw new VirtualTimeoutError(
          `condition still false after ${options.maxMs ?? DEFAULT_MAX_MS} ms of virtual time` +
            (next === undefined ? ' (no timer was pending)' : ''),
        )
      }
      this.current = Math.max(this.current, next)
      await this.flush()
    }
  }

  /** Fires timers until none is due within `maxMs` (default 10 minutes); returns how far time moved. */
  async runAll(options: RunOptions = {}): Promise<number> {
    if (options.maxMs !== undefined) checkDuration(options.maxMs, 'runAll({ maxMs })')
    return this.drive(() => this.runAllNow(options))
  }

  private async runAllNow(options: RunOptions): Promise<number> {
    const start = this.current
    const deadline = start + (options.maxMs ?? DEFAULT_MAX_MS)
    await this.flush()
    for (;;) {
      const next = this.timers.peekDue()
      if (next === undefined || next > deadline) break
      this.current = Math.max(this.current, next)
      await this.flush()
    }
    return this.current - start
  }

  /** Waits, on virtual time driven by this call, for `promise` to settle; rejects like `runUntil` if it never does. */
  async run<T>(promise: Promise<T>, options: RunOptions = {}): Promise<T> {
    let settled = false
    const tracked = promise.finally(() => {
      settled = true
    })
    tracked.catch(() => undefined)
    await this.runUntil(() => settled, options)
    return tracked
  }

  /** Runs `work` as a drive of the clock: the watchdog knows someone moves time. */
  private async drive<T>(work: () => Promise<T>): Promise<T> {
    this.driving++
    this.watchdog.driven()
    try {
      return await work()
    } finally {
      this.driving--
      this.watchdog.driven()
    }
  }

  /** Fires every timer due at the current time; true if any fired. */
  private runDue(): boolean {
    const due = this.timers.takeDue(this.current)
    for (const fn of due) fn()
    return due.length > 0
  }
}

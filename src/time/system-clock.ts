/** Wall-clock time: the default clock of a Cluster, for apps and for tests that want real time. */
import type { Clock, TimerHandle, TimerOptions } from './clock.js'
import { checkDelay } from './delay.js'

/** Node's timers hold a signed 32-bit delay: a longer one would fire after 1 ms, so it waits this long (24.8 days) instead. */
const MAX_NODE_DELAY = 2 ** 31 - 1

interface SystemTimer extends TimerHandle {
  readonly timer: ReturnType<typeof setTimeout>
}

let nextId = 1

/** A {@link Clock} backed by `Date.now()` and Node's timers; background timers do not keep the process alive. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now()
  }

  setTimeout(fn: () => void, ms: number, options: TimerOptions = {}): TimerHandle {
    checkDelay(ms, 'setTimeout(fn, ms)')
    const timer = setTimeout(fn, Math.min(Math.max(0, ms), MAX_NODE_DELAY))
    // An idle cluster's housekeeping must not keep a script from exiting once its clients are gone.
    if (options.background === true) timer.unref?.()
    const handle: SystemTimer = { id: nextId++, timer }
    return handle
  }

  clearTimeout(handle: TimerHandle): void {
    clearTimeout((handle as SystemTimer).timer)
  }

  sleep(ms: number, options?: TimerOptions): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms, options))
  }
}

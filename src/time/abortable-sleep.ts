/** A wait on a clock that a stopping client can cut short, so stopping never waits out a timer. */
import type { Clock, TimerOptions } from './clock.js'

/** Resolves after `ms` of `clock` time, or at once (without error) when `signal` aborts. */
export function abortableSleep(clock: Clock, ms: number, signal: AbortSignal, options?: TimerOptions): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clock.clearTimeout(timer)
      resolve()
    }
    const timer = clock.setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      },
      ms,
      options,
    )
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

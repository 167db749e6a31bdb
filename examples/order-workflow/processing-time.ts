/**
 * Simulated work: a service that "takes 500 ms" waits 500 ms of the cluster clock, so on a
 * VirtualClock the slowest service costs no wall time. The wait ends early, with the signal's
 * reason, when the caller gives up (a handler timeout, a payment timeout, the container stopping).
 */
import type { Clock } from '../../src/index.js'

/** Waits `ms` of the clock's time; rejects with `signal.reason` if the signal aborts first. */
export function workFor(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason)
      return
    }
    const onAbort = (): void => {
      clock.clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

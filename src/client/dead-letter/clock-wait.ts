/**
 * Waiting on the cluster clock inside a handler (a backoff, or a retry record not yet due), as a
 * consumer group member must: the wait ends early when the consumer or container stops, and it heartbeats so a
 * wait longer than `sessionTimeout` does not cost the member its partitions (KafkaJS sends
 * heartbeats only from the fetch loop or when a handler calls `heartbeat()`).
 */
import type { Clock } from '../../time/clock.js'

/** How to wait. */
export interface WaitOptions {
  /** Ends the wait early, rejecting with the signal's reason. */
  signal: AbortSignal
  /** Called between slices of the wait; its rejection (e.g. a rebalance) ends the wait. */
  heartbeat: () => Promise<void>
  /** Length of a slice between heartbeats (ms); KafkaJS's `heartbeatInterval` is the natural choice. */
  heartbeatEveryMs: number
}

function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = (): void => {
      clock.clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** Waits `ms` of the clock's time (nothing when `ms <= 0`), heartbeating between slices. */
export async function waitOnClock(clock: Clock, ms: number, options: WaitOptions): Promise<void> {
  const end = clock.now() + ms
  for (let left = ms; left > 0; left = end - clock.now()) {
    await sleep(clock, Math.min(left, options.heartbeatEveryMs), options.signal)
    if (end - clock.now() > 0) await options.heartbeat()
  }
  if (options.signal.aborted) throw options.signal.reason
}

/**
 * The wait between two attempts at a failed record: exponential, capped, with random jitter from the
 * cluster's seeded random so that a retry schedule replays from its seed. The shape follows KafkaJS's
 * retrier (`initialRetryTime`, `multiplier` 2, `factor` 0.2) and Spring's `ExponentialBackOff`.
 */
import type { SeededRandom } from '../../time/seeded-random.js'

/** How the wait grows from one attempt to the next. */
export interface BackoffOptions {
  /** Wait after the first failed attempt, before jitter (ms). */
  initialBackoffMs: number
  /** No wait is ever longer than this (ms). */
  maxBackoffMs: number
  /** Growth per attempt (default 2, as KafkaJS and Spring). */
  multiplier?: number
  /** Randomisation: the wait is drawn from ±factor around the exponential value (default 0.2, KafkaJS's `factor`). */
  factor?: number
}

/**
 * The wait in ms after failed attempt number `attempt` (1 for the first failure):
 * `min(maxBackoffMs, initialBackoffMs × multiplier^(attempt−1))`, then jittered by ±`factor`, and
 * never above `maxBackoffMs` or below 0.
 */
export function exponentialBackoffWithJitter(attempt: number, options: BackoffOptions, random: SeededRandom): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be an integer of at least 1 (the attempt that failed), got ${attempt}`)
  }
  const { initialBackoffMs, maxBackoffMs, multiplier = 2, factor = 0.2 } = options
  const base = Math.min(maxBackoffMs, initialBackoffMs * multiplier ** (attempt - 1))
  const jittered = base * (1 - factor + 2 * factor * random.next())
  return Math.max(0, Math.min(maxBackoffMs, Math.round(jittered)))
}

/**
 * Blocking retries of one record, as Spring Kafka's `DefaultErrorHandler` runs them: attempt the
 * handler (each attempt bounded by `timeoutMs`), and after a retryable failure wait an exponential
 * backoff with jitter on the cluster clock, heartbeating meanwhile, then try again, until an attempt
 * succeeds, an error is not retryable, or the attempts run out. What to do with a record that failed
 * (dead-letter it, forward it to a retry topic, or crash) is the caller's decision.
 *
 * Shared by the consumer's `run({ retry, deadLetter })` and the patterns layer's listeners.
 */
import type { Clock } from '../../time/clock.js'
import type { SeededRandom } from '../../time/seeded-random.js'
import { runAttempt } from './attempt-timeout.js'
import { exponentialBackoffWithJitter } from './backoff.js'
import { waitOnClock } from './clock-wait.js'
import { isRetryable, type ResolvedRetryPolicy } from './retry-policy.js'

/** How the retries of one record run. */
export interface RetryLoopOptions {
  policy: ResolvedRetryPolicy
  clock: Clock
  random: SeededRandom
  /** Ends a backoff wait early, rejecting with its reason (the consumer or container stops). */
  stopSignal: AbortSignal
  /**
   * Also fails a running attempt when it aborts. Listeners pass their stop signal; the consumer
   * passes none, so that `stop()` lets the attempt in flight finish, as KafkaJS lets `eachMessage` finish.
   */
  attemptStopSignal?: AbortSignal
  /** Sends a heartbeat if one is due; called between slices of a backoff wait. */
  heartbeat: () => Promise<void>
  /** Longest slice of a backoff wait between two heartbeats (the consumer's `heartbeatInterval`). */
  heartbeatEveryMs: number
  /** Called after each failed attempt (numbered from 1). */
  onAttemptFailed?: (attempt: number, error: unknown) => void
  /** Called before each backoff wait. */
  onBackoff?: (attempt: number, error: unknown, delayMs: number) => void
}

/** How the retries of a record ended. */
export type RetryOutcome =
  | { succeeded: true; attempts: number }
  /** `retryable` is false when the last error was marked not retryable (it may have come before the last attempt). */
  | { succeeded: false; attempts: number; error: unknown; retryable: boolean }

/**
 * Attempts `handle` per the policy. Resolves with the outcome; rejects only when the stop signal (or a
 * heartbeat during a backoff, e.g. a rebalance) ends the retries before an outcome, in which case
 * the record was not settled and must be delivered again.
 */
export async function attemptWithRetries(
  handle: (attempt: number, signal: AbortSignal) => Promise<unknown> | unknown,
  options: RetryLoopOptions,
): Promise<RetryOutcome> {
  const { policy, clock, random, stopSignal, attemptStopSignal } = options
  for (let attempt = 1; ; attempt++) {
    if (stopSignal.aborted) throw stopSignal.reason
    let error: unknown
    try {
      await runAttempt((signal) => handle(attempt, signal), { clock, timeoutMs: policy.timeoutMs, signal: attemptStopSignal })
      return { succeeded: true, attempts: attempt }
    } catch (thrown) {
      if (attemptStopSignal?.aborted) throw attemptStopSignal.reason
      error = thrown
    }
    options.onAttemptFailed?.(attempt, error)
    const retryable = isRetryable(error, policy)
    if (!retryable || attempt >= policy.attempts) return { succeeded: false, attempts: attempt, error, retryable }
    const delayMs = exponentialBackoffWithJitter(attempt, policy, random)
    options.onBackoff?.(attempt, error, delayMs)
    await waitOnClock(clock, delayMs, { signal: stopSignal, heartbeat: options.heartbeat, heartbeatEveryMs: options.heartbeatEveryMs })
  }
}

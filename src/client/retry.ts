/**
 * KafkaJS's retrier: exponential backoff with randomisation, on the cluster clock and its seeded
 * random, so retries are reproducible. Same options and defaults as KafkaJS's `retry` config.
 */
import type { Clock } from '../time/clock.js'
import type { SeededRandom } from '../time/seeded-random.js'
import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from './errors.js'
import { checkNumber, showValue } from './numeric-option.js'

/** KafkaJS's `RetryOptions`. */
export interface RetryOptions {
  /** Longest wait between attempts (default 30000 ms). */
  maxRetryTime?: number
  /** First wait (default 300 ms). */
  initialRetryTime?: number
  /** Randomisation factor (default 0.2). */
  factor?: number
  /** Growth per attempt (default 2). */
  multiplier?: number
  /** Attempts after the first (default 5). */
  retries?: number
  /** Whether the consumer restarts after a crash (default true); see KafkaJS's `restartOnFailure`. */
  restartOnFailure?: (e: Error) => Promise<boolean>
}

/** KafkaJS's retry defaults. */
export const RETRY_DEFAULTS = { maxRetryTime: 30_000, initialRetryTime: 300, factor: 0.2, multiplier: 2, retries: 5 } as const

/** The function retried: `bail(error)` stops retrying and rejects with that error. */
export type Retriable<T> = (bail: (error: Error) => never, retryCount: number, retryTime: number) => Promise<T>

/** Runs a function with retries. */
export type Retrier = <T>(fn: Retriable<T>) => Promise<T>

const UNRECOVERABLE = new Set(['RangeError', 'ReferenceError', 'SyntaxError', 'TypeError'])

class Bail extends Error {
  constructor(readonly error: Error) {
    super(error.message)
  }
}

/** True if KafkaJS would retry after this error. */
export function isRetriable(error: unknown): boolean {
  if (!(error instanceof Error)) return true
  if (UNRECOVERABLE.has(error.name)) return false
  return (error as { retriable?: boolean }).retriable !== false
}

/**
 * Refuses retry options that cannot work: waits beyond Kafka's INT32 range (a retry that would never come),
 * a `factor` outside 0..1, a `multiplier` below 1, a fractional or negative `retries`, a `restartOnFailure` that is
 * not a function.
 */
export function checkRetryOptions(options: RetryOptions, where = 'retry'): void {
  if (options === null || typeof options !== 'object') throw new KafkaJSNonRetriableError(`${where} must be an object, got ${showValue(options)}`)
  const { maxRetryTime, initialRetryTime, factor, multiplier, retries, restartOnFailure } = options
  if (maxRetryTime !== undefined) checkNumber(`${where}.maxRetryTime`, maxRetryTime)
  if (initialRetryTime !== undefined) checkNumber(`${where}.initialRetryTime`, initialRetryTime)
  if (factor !== undefined) checkNumber(`${where}.factor`, factor, { max: 1 })
  if (multiplier !== undefined) checkNumber(`${where}.multiplier`, multiplier, { min: 1, max: 1000 })
  if (retries !== undefined) checkNumber(`${where}.retries`, retries, { integer: true })
  if (restartOnFailure !== undefined && typeof restartOnFailure !== 'function') {
    throw new KafkaJSNonRetriableError(`${where}.restartOnFailure must be a function, got ${showValue(restartOnFailure)}`)
  }
}

/** Ends the retries with `error` (what a retried function calls to give up); one function for every retrier and call. */
function bail(error: Error): never {
  throw new Bail(error)
}

/** What one retrier keeps for all its calls: its clock, its random source and its options, defaults filled in. */
interface RetryPolicy {
  readonly clock: Clock
  readonly random: SeededRandom
  readonly maxRetryTime: number
  readonly initialRetryTime: number
  readonly factor: number
  readonly multiplier: number
  readonly retries: number
}

/** `time` randomised by the policy's factor (KafkaJS's jitter). */
function jitter(policy: RetryPolicy, time: number): number {
  const delta = policy.factor * time
  return Math.ceil(time - delta + policy.random.next() * 2 * delta)
}

/** One call of a retrier: its function and its current wait, its attempts as methods (no closure per call). */
class Retrying<T> {
  private retryTime: number

  constructor(
    private readonly policy: RetryPolicy,
    private readonly fn: Retriable<T>,
  ) {
    this.retryTime = jitter(policy, policy.initialRetryTime)
  }

  attempt(retryCount: number): Promise<T> {
    let outcome: Promise<T>
    try {
      outcome = this.fn(bail, retryCount, this.retryTime)
    } catch (error) {
      outcome = Promise.reject(error)
    }
    return outcome.then(undefined, (error: unknown) => this.afterFailure(error, retryCount))
  }

  private afterFailure(error: unknown, retryCount: number): Promise<T> {
    if (error instanceof Bail) throw error.error
    const err = error instanceof Error ? error : new Error(String(error))
    if (!isRetriable(err)) throw new KafkaJSNonRetriableError(err, { cause: err })
    const { retryTime, policy } = this
    if (retryCount >= policy.retries) throw new KafkaJSNumberOfRetriesExceeded(err, { retryCount, retryTime })
    return policy.clock.sleep(retryTime).then(() => {
      this.retryTime = Math.min(jitter(policy, this.retryTime) * policy.multiplier, policy.maxRetryTime)
      return this.attempt(retryCount + 1)
    })
  }
}

/** Creates a retrier with KafkaJS's semantics on the given clock and random source. */
export function createRetrier(clock: Clock, random: SeededRandom, options: RetryOptions = {}): Retrier {
  checkRetryOptions(options)
  const { maxRetryTime, initialRetryTime, factor, multiplier, retries } = { ...RETRY_DEFAULTS, ...options }
  const policy: RetryPolicy = { clock, random, maxRetryTime, initialRetryTime, factor, multiplier, retries }
  // Not `async`: an attempt that succeeds costs one promise here, an `await` would cost two.
  return <T>(fn: Retriable<T>): Promise<T> => new Retrying(policy, fn).attempt(0)
}

/**
 * A retry policy for records whose handler fails (issue 4: `retry: { attempts, initialBackoffMs,
 * maxBackoffMs, timeoutMs }`), the dead-letter topic that follows it, and their validation. Shared by
 * the consumer's `run({ retry, deadLetter })` and the patterns layer, so both accept and reject the
 * same input with the same errors.
 */
import { KafkaJSNonRetriableError } from '../errors.js'

/** A class of errors, for `notRetryable` (as Spring's `notRetryableExceptions`). */
export type ErrorClass = abstract new (...args: never[]) => unknown

/** Errors that go to the dead-letter topic at once: a list of error classes, or a predicate. */
export type NotRetryable = readonly ErrorClass[] | ((error: unknown) => boolean)

/** How often, how patiently and how long to try one record. */
export interface RetryPolicy {
  /** Attempts in all, the first included (as Spring's `attempts`); at least 1. */
  attempts: number
  /** Wait after the first failure (ms, default 100); later waits grow exponentially with jitter. */
  initialBackoffMs?: number
  /** Longest wait between attempts (ms, default 30000, KafkaJS's `maxRetryTime`). */
  maxBackoffMs?: number
  /** Growth of the wait per attempt (default 2). */
  multiplier?: number
  /** Each attempt fails after this long (ms), even if it settles later; its `signal` aborts. No limit by default. */
  timeoutMs?: number
  /** Errors that are not worth retrying: they go to the dead-letter topic after the attempt that threw them. */
  notRetryable?: NotRetryable
}

/** A {@link RetryPolicy} with its defaults filled in. */
export interface ResolvedRetryPolicy {
  attempts: number
  initialBackoffMs: number
  maxBackoffMs: number
  multiplier: number
  timeoutMs: number | undefined
  notRetryable: NotRetryable | undefined
}

/** Where records go once retries are exhausted. */
export interface DeadLetterPolicy {
  /** The dead-letter topic (default: the source topic + `-dlt`, as Spring's default suffix). */
  topic?: string
}

/** Spring Kafka's default dead-letter topic suffix. */
export const DEAD_LETTER_TOPIC_SUFFIX = '-dlt'

/** Default retry timing, when a policy gives only `attempts`. */
export const RETRY_POLICY_DEFAULTS = { initialBackoffMs: 100, maxBackoffMs: 30_000, multiplier: 2 } as const

/** A retry or dead-letter policy that cannot work; thrown at the call that was given it, before anything starts. */
export class InvalidRetryPolicyError extends KafkaJSNonRetriableError {
  override name = 'InvalidRetryPolicyError'
}

function requireNumber(value: unknown, field: string, check: (n: number) => boolean, rule: string): void {
  if (typeof value !== 'number' || Number.isNaN(value) || !check(value)) {
    throw new InvalidRetryPolicyError(`retry.${field} must be ${rule}, got ${String(value)}`)
  }
}

/** Checks a retry policy and fills in its defaults; throws {@link InvalidRetryPolicyError} on bad input. */
export function validateRetryPolicy(policy: RetryPolicy): ResolvedRetryPolicy {
  if (typeof policy !== 'object' || policy === null) {
    throw new InvalidRetryPolicyError(`retry must be an object such as { attempts: 3 }, got ${String(policy)}`)
  }
  requireNumber(policy.attempts, 'attempts', (n) => Number.isInteger(n) && n >= 1, 'an integer of at least 1 (attempts in all, the first included)')
  const resolved: ResolvedRetryPolicy = {
    attempts: policy.attempts,
    initialBackoffMs: policy.initialBackoffMs ?? RETRY_POLICY_DEFAULTS.initialBackoffMs,
    maxBackoffMs: policy.maxBackoffMs ?? Math.max(RETRY_POLICY_DEFAULTS.maxBackoffMs, policy.initialBackoffMs ?? 0),
    multiplier: policy.multiplier ?? RETRY_POLICY_DEFAULTS.multiplier,
    timeoutMs: policy.timeoutMs,
    notRetryable: policy.notRetryable,
  }
  requireNumber(resolved.initialBackoffMs, 'initialBackoffMs', (n) => n >= 0 && Number.isFinite(n), 'a non-negative number of milliseconds')
  requireNumber(resolved.maxBackoffMs, 'maxBackoffMs', (n) => n >= resolved.initialBackoffMs && Number.isFinite(n), `a number of milliseconds no smaller than initialBackoffMs (${resolved.initialBackoffMs})`)
  requireNumber(resolved.multiplier, 'multiplier', (n) => n >= 1 && Number.isFinite(n), 'a number of at least 1')
  if (resolved.timeoutMs !== undefined) {
    requireNumber(resolved.timeoutMs, 'timeoutMs', (n) => n > 0, 'a positive number of milliseconds (or absent for no timeout)')
  }
  const notRetryable = resolved.notRetryable
  if (notRetryable !== undefined && typeof notRetryable !== 'function') {
    if (!Array.isArray(notRetryable) || notRetryable.some((entry) => typeof entry !== 'function')) {
      throw new InvalidRetryPolicyError('retry.notRetryable must be a predicate (error) => boolean or an array of error classes')
    }
  }
  return resolved
}

/**
 * The dead-letter topic for records of `sourceTopic`, checked: it may not be the source topic itself
 * (nor any other topic in `consumedTopics`), or failed records would be consumed again forever.
 */
export function deadLetterTopicFor(sourceTopic: string, policy: DeadLetterPolicy = {}, consumedTopics: readonly string[] = [sourceTopic]): string {
  const topic = policy.topic ?? `${sourceTopic}${DEAD_LETTER_TOPIC_SUFFIX}`
  if (typeof topic !== 'string' || topic === '') {
    throw new InvalidRetryPolicyError(`deadLetter.topic must be a non-empty topic name, got ${String(topic)}`)
  }
  if (topic === sourceTopic || consumedTopics.includes(topic)) {
    throw new InvalidRetryPolicyError(
      `deadLetter.topic "${topic}" is a topic this consumer reads: dead-lettered records would be consumed again. ` +
        `Use another topic, such as "${sourceTopic}${DEAD_LETTER_TOPIC_SUFFIX}"`,
    )
  }
  return topic
}

/** False when the policy marks this error not retryable. */
export function isRetryable(error: unknown, policy: Pick<ResolvedRetryPolicy, 'notRetryable'>): boolean {
  const { notRetryable } = policy
  if (notRetryable === undefined) return true
  if (typeof notRetryable === 'function') return !notRetryable(error)
  return !notRetryable.some((errorClass) => error instanceof (errorClass as new () => unknown))
}

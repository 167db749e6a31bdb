/**
 * Retry and dead-letter building blocks shared by the consumer's `run({ retry, deadLetter })` and the
 * patterns layer: Spring Kafka's dead-letter headers, the retry policy and its checks, backoff with
 * jitter, one time-bounded attempt, and the blocking retry loop of one record.
 */
export { AttemptTimeoutError, runAttempt, type AttemptOptions } from './attempt-timeout.js'
export { exponentialBackoffWithJitter, type BackoffOptions } from './backoff.js'
export { waitOnClock, type WaitOptions } from './clock-wait.js'
export {
  DEAD_LETTER_HEADER_PREFIX,
  DeadLetterHeaders,
  buildDeadLetterHeaders,
  deadLetterMessage,
  describeError,
  parseDeadLetterHeaders,
  type DeadLetterInfo,
  type DeadLetterSource,
  type ErrorDescription,
} from './dead-letter-headers.js'
export { bigIntegerBytes, int32Bytes, int64Bytes, lastHeader, lastHeaderInteger, lastHeaderString, readSignedBigEndian } from './header-values.js'
export {
  DEAD_LETTER_TOPIC_SUFFIX,
  InvalidRetryPolicyError,
  RETRY_POLICY_DEFAULTS,
  deadLetterTopicFor,
  isRetryable,
  validateRetryPolicy,
  type DeadLetterPolicy,
  type ErrorClass,
  type NotRetryable,
  type ResolvedRetryPolicy,
  type RetryPolicy,
} from './retry-policy.js'
export { attemptWithRetries, type RetryLoopOptions, type RetryOutcome } from './retry-loop.js'

/**
 * Non-blocking retry topics, in the style of Spring Kafka's `@RetryableTopic`: a record that fails is
 * re-published to `<topic>-retry-<delayMs>` (one topic per distinct delay, as Spring's
 * `SUFFIX_WITH_DELAY_VALUE` naming), consumed again once its delay has passed on the cluster clock,
 * and after the last attempt sent to the dead-letter topic. The main partition never waits.
 *
 * This file plans the topics and reads and writes Spring's retry headers; the listener container
 * consumes the retry topics (see `listener-container.ts`).
 */
import { buildDeadLetterHeaders, type DeadLetterSource } from '../client/dead-letter/dead-letter-headers.js'
import { bigIntegerBytes, lastHeaderInteger } from '../client/dead-letter/header-values.js'
import { validateRetryPolicy, type NotRetryable } from '../client/dead-letter/retry-policy.js'
import type { IHeaders, Message } from '../client/message-types.js'
import { InvalidListenerError } from './errors.js'

/**
 * Spring Kafka's retry-topic headers (`RetryTopicHeaders`), written as Java's
 * `BigInteger.toByteArray()` as `DeadLetterPublishingRecovererFactory` does.
 */
export const RetryTopicHeaders = {
  /** Which delivery of the record this is: 2 on the first retry topic, and so on (the main topic's is 1). */
  attempts: 'retry_topic-attempts',
  /** The record's timestamp on the main topic, in ms. */
  originalTimestamp: 'retry_topic-original-timestamp',
  /** Not before this time (ms): the failure time plus the retry topic's delay. */
  backoffTimestamp: 'retry_topic-backoff-timestamp',
} as const

/** Every retry-topic header starts with this prefix. */
export const RETRY_TOPIC_HEADER_PREFIX = 'retry_topic-'

/** How a listener retries through retry topics. Either give `delaysMs`, or `attempts` and a backoff. */
export interface RetryTopicsOptions {
  /** Deliveries in all, the one on the main topic included (default 3, as Spring's `attempts`). */
  attempts?: number
  /** Delay before the first retry (ms, default 1000, as Spring's `@Backoff`). */
  initialBackoffMs?: number
  /** Growth of the delay per retry (default 1: a fixed delay, as Spring's default). */
  multiplier?: number
  /** Longest delay (ms, default 30000). */
  maxBackoffMs?: number
  /** The delay before each retry, explicitly: `[1000, 5000]` means two retries, after 1 s and 5 s. */
  delaysMs?: readonly number[]
  /** Retry topic suffix before the delay (default `-retry`, Spring's). */
  retryTopicSuffix?: string
  /** Each delivery fails after this long (ms); its `signal` aborts. */
  timeoutMs?: number
  /** Errors that skip the remaining retry topics and go to the dead-letter topic at once. */
  notRetryable?: NotRetryable
}

/** The retry topics of one source topic. */
export interface RetryTopicPlan {
  readonly sourceTopic: string
  /** The suffix before each retry topic's delay (`-retry` by default). */
  readonly retryTopicSuffix: string
  /** Deliveries in all, the main topic's included. */
  readonly attempts: number
  /** `delaysMs[i]` is the wait before delivery `i + 2`. */
  readonly delaysMs: readonly number[]
  /** The distinct retry topics, in order of first use. */
  readonly topics: readonly string[]
  /** The delay of each retry topic. */
  readonly delayOf: ReadonlyMap<string, number>
  /** Errors that skip the remaining retry topics. */
  readonly notRetryable: NotRetryable | undefined
  /** The retry topic that carries delivery `attempt` (2 to `attempts`). */
  topicForAttempt(attempt: number): string
}

const DEFAULTS = { attempts: 3, initialBackoffMs: 1000, multiplier: 1, maxBackoffMs: 30_000, retryTopicSuffix: '-retry' } as const

function delaysFromBackoff(options: RetryTopicsOptions): number[] {
  const policy = validateRetryPolicy({
    attempts: options.attempts ?? DEFAULTS.attempts,
    initialBackoffMs: options.initialBackoffMs ?? DEFAULTS.initialBackoffMs,
    maxBackoffMs: options.maxBackoffMs ?? Math.max(DEFAULTS.maxBackoffMs, options.initialBackoffMs ?? 0),
    multiplier: options.multiplier ?? DEFAULTS.multiplier,
  })
  const delays: number[] = []
  for (let retry = 1; retry < policy.attempts; retry++) {
    delays.push(Math.round(Math.min(policy.maxBackoffMs, policy.initialBackoffMs * policy.multiplier ** (retry - 1))))
  }
  return delays
}

/**
 * Plans the retry topics of `sourceTopic`. Deliveries with the same delay share one topic (Spring's
 * `SameIntervalTopicReuseStrategy.SINGLE_TOPIC`): a topic with one fixed delay stays ordered by due
 * time, which is what lets its consumer simply wait for the record at its head.
 */
export function planRetryTopics(sourceTopic: string, options: RetryTopicsOptions): RetryTopicPlan {
  const suffix = options.retryTopicSuffix ?? DEFAULTS.retryTopicSuffix
  if (typeof suffix !== 'string' || suffix === '') {
    throw new InvalidListenerError(`retryTopics.retryTopicSuffix must be a non-empty string, got ${JSON.stringify(suffix)}`)
  }
  let delaysMs: number[]
  if (options.delaysMs !== undefined) {
    if (!Array.isArray(options.delaysMs) || options.delaysMs.some((d) => !(Number.isInteger(d) && d >= 0))) {
      throw new InvalidListenerError(`retryTopics.delaysMs must be a list of non-negative integer milliseconds, got ${JSON.stringify(options.delaysMs)}`)
    }
    if (options.attempts !== undefined && options.attempts !== options.delaysMs.length + 1) {
      throw new InvalidListenerError(
        `retryTopics.attempts (${options.attempts}) must be delaysMs.length + 1 (${options.delaysMs.length + 1}): the main delivery plus one per delay`,
      )
    }
    delaysMs = [...options.delaysMs]
  } else {
    delaysMs = delaysFromBackoff(options)
  }
  const { notRetryable } = validateRetryPolicy({ attempts: 1, timeoutMs: options.timeoutMs, notRetryable: options.notRetryable })
  const topicOf = (delay: number) => `${sourceTopic}${suffix}-${delay}`
  const delayOf = new Map<string, number>()
  for (const delay of delaysMs) delayOf.set(topicOf(delay), delay)
  return {
    sourceTopic,
    retryTopicSuffix: suffix,
    attempts: delaysMs.length + 1,
    delaysMs,
    topics: [...delayOf.keys()],
    delayOf,
    notRetryable,
    topicForAttempt(attempt: number): string {
      const delay = delaysMs[attempt - 2]
      if (delay === undefined) throw new RangeError(`delivery ${attempt} of "${sourceTopic}" has no retry topic (attempts: ${delaysMs.length + 1})`)
      return topicOf(delay)
    },
  }
}

/** The retry state of a record, from its headers; a record from the main topic is delivery 1. */
export interface RetryTopicState {
  attempt: number
  originalTimestamp?: number
  backoffTimestamp?: number
}

/** Reads Spring's retry headers (any integer width, so records written by Spring read too). */
export function parseRetryTopicHeaders(message: { headers?: IHeaders }): RetryTopicState {
  return {
    attempt: lastHeaderInteger(message.headers, RetryTopicHeaders.attempts) ?? 1,
    originalTimestamp: lastHeaderInteger(message.headers, RetryTopicHeaders.originalTimestamp),
    backoffTimestamp: lastHeaderInteger(message.headers, RetryTopicHeaders.backoffTimestamp),
  }
}

/**
 * The message that carries a failed record to its next retry topic: the same key and value, the
 * dead-letter headers (where it came from, why it failed), and the retry headers: the next delivery
 * number, the original timestamp (kept from the first failure), and when it becomes due.
 */
export function retryTopicMessage(source: DeadLetterSource, next: { attempt: number; delayMs: number; now: number }): Message {
  const headers = buildDeadLetterHeaders(source)
  const state = parseRetryTopicHeaders(source.message)
  headers[RetryTopicHeaders.attempts] = bigIntegerBytes(next.attempt)
  headers[RetryTopicHeaders.originalTimestamp] = bigIntegerBytes(state.originalTimestamp ?? Number(source.message.timestamp))
  headers[RetryTopicHeaders.backoffTimestamp] = bigIntegerBytes(next.now + next.delayMs)
  return { key: source.message.key, value: source.message.value, headers }
}

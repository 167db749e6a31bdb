/**
 * Issue 4's delivery policy inside `consumer.run({ eachMessage, retry, deadLetter })`: blocking
 * retries of a failed message with backoff and a per-attempt timeout (Spring Kafka's
 * `DefaultErrorHandler`), then the dead-letter topic (Spring's `DeadLetterPublishingRecoverer`), and
 * only then is the offset resolved. The policy wraps `eachMessage` as the runner's `MessageProcessor`,
 * so the runner itself stays KafkaJS's.
 *
 * - With neither `retry` nor `deadLetter`, `eachMessage` runs as in KafkaJS (its payload's `signal`
 *   never aborts): a failure goes to the consumer's retrier, then crashes the consumer.
 * - With `retry` and no `deadLetter`, a record whose attempts run out is never skipped: its error goes
 *   to that same KafkaJS path, and each redelivery runs the policy's attempts again.
 * - With `deadLetter` and no `retry`, one attempt is made (as `retry: { attempts: 1 }`).
 * - The policy applies to `eachMessage` only; combining it with `eachBatch` is refused.
 */
import type { Clock } from '../../time/clock.js'
import type { SeededRandom } from '../../time/seeded-random.js'
import { deadLetterMessage } from '../dead-letter/dead-letter-headers.js'
import { attemptWithRetries } from '../dead-letter/retry-loop.js'
import {
  InvalidRetryPolicyError,
  deadLetterTopicFor,
  validateRetryPolicy,
  type DeadLetterPolicy,
  type ResolvedRetryPolicy,
  type RetryPolicy,
} from '../dead-letter/retry-policy.js'
import type { Logger } from '../logger.js'
import type { DeadLetterProducer } from '../dead-letter/dead-letter-producer.js'
import type { EachMessageHandler, EachMessagePayload, MessageDelivery } from './handler-payloads.js'
import type { MessageProcessor } from './runner.js'

/** A run's retry and dead-letter settings, checked against the subscribed topics. */
export interface DeliveryPolicy {
  retry: ResolvedRetryPolicy
  /** The dead-letter topic of each subscribed topic; undefined without `deadLetter`. */
  deadLetterTopics: ReadonlyMap<string, string> | undefined
}

/** The part of `run`'s config the policy reads. */
export interface DeliveryPolicyConfig {
  eachMessage?: EachMessageHandler
  eachBatch?: unknown
  retry?: RetryPolicy
  deadLetter?: DeadLetterPolicy
}

/**
 * Checks `retry` and `deadLetter` before anything starts; undefined when neither is given.
 * Throws {@link InvalidRetryPolicyError} for a policy that cannot work: `attempts < 1`, a negative or
 * zero `timeoutMs`, a dead-letter topic that the consumer reads, or a policy with `eachBatch`.
 */
export function resolveDeliveryPolicy(config: DeliveryPolicyConfig, topics: readonly string[]): DeliveryPolicy | undefined {
  if (config.retry === undefined && config.deadLetter === undefined) return undefined
  if (config.eachBatch !== undefined || config.eachMessage === undefined) {
    throw new InvalidRetryPolicyError(
      'run({ retry, deadLetter }) applies to eachMessage only: eachBatch owns its batch and resolves offsets itself. ' +
        'Use eachMessage, or retry inside eachBatch and leave out retry and deadLetter',
    )
  }
  const retry = validateRetryPolicy(config.retry ?? { attempts: 1 })
  const { deadLetter } = config
  if (deadLetter === undefined) return { retry, deadLetterTopics: undefined }
  if (typeof deadLetter !== 'object' || deadLetter === null) {
    throw new InvalidRetryPolicyError(`deadLetter must be an object such as { topic: 'orders-dlt' } or {}, got ${String(deadLetter)}`)
  }
  const deadLetterTopics = new Map(topics.map((topic) => [topic, deadLetterTopicFor(topic, deadLetter, topics)]))
  return { retry, deadLetterTopics }
}

/** What a policy needs from the consumer's run. */
export interface DeliveryEnvironment {
  clock: Clock
  random: SeededRandom
  groupId: string
  /** The consumer's `heartbeatInterval`: backoff waits heartbeat at least this often. */
  heartbeatEveryMs: number
  /** Aborts when the consumer stops: a backoff wait ends and the record stays unresolved. */
  stopSignal: AbortSignal
  publisher: DeadLetterProducer
  logger: Logger
}

/**
 * The payload with `signal` as a non-enumerable property: handlers read it, while the payload keeps
 * KafkaJS's shape for deep-equality assertions (`toEqual`).
 */
function withSignal(delivery: MessageDelivery, signal: AbortSignal): EachMessagePayload {
  return Object.defineProperty({ ...delivery }, 'signal', { value: signal, enumerable: false }) as EachMessagePayload
}

/**
 * The runner's `MessageProcessor` for `eachMessage`, with the policy when there is one. Without one, the runner's
 * payload goes to `eachMessage` as it is (its inherited `signal` never aborts, see `messagePayload`).
 */
export function messageProcessor(eachMessage: EachMessageHandler, policy: DeliveryPolicy | undefined, env: DeliveryEnvironment): MessageProcessor {
  if (policy === undefined) return eachMessage
  const { clock, random, stopSignal, heartbeatEveryMs, logger, groupId } = env
  return async (delivery) => {
    const { topic, partition, message } = delivery
    const outcome = await attemptWithRetries((_attempt, signal) => eachMessage(withSignal(delivery, signal)), {
      policy: policy.retry,
      clock,
      random,
      stopSignal,
      heartbeat: () => delivery.heartbeat(),
      heartbeatEveryMs,
      onAttemptFailed: (attempt, error) =>
        logger.warn('eachMessage failed', { groupId, topic, partition, offset: message.offset, attempt, attempts: policy.retry.attempts, error: String(error) }),
    })
    if (outcome.succeeded) return
    const target = policy.deadLetterTopics?.get(topic)
    // No dead-letter topic: never skip the record, hand its error to KafkaJS's retry-then-crash path.
    if (target === undefined) throw outcome.error
    await env.publisher.publish(target, deadLetterMessage({ topic, partition, message, groupId, error: outcome.error }), partition)
    logger.warn('Sent the record to its dead-letter topic', { groupId, topic, partition, offset: message.offset, deadLetterTopic: target, attempts: outcome.attempts })
  }
}

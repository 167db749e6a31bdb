/**
 * What happens to one record delivered to a listener: decode it, wait until it is due (on a retry
 * topic), try the handler with blocking retries and a per-attempt timeout, and when that fails,
 * forward the record to its next retry topic or to the dead-letter topic. Only when the handler
 * succeeded or the record was forwarded does the consumer commit its offset (the pipeline returns);
 * otherwise the error propagates to the consumer, as a KafkaJS handler error does.
 */
import { waitOnClock } from '../client/dead-letter/clock-wait.js'
import { deadLetterMessage, type DeadLetterSource } from '../client/dead-letter/dead-letter-headers.js'
import { isRetryable } from '../client/dead-letter/retry-policy.js'
import { attemptWithRetries } from '../client/dead-letter/retry-loop.js'
import type { KafkaMessage } from '../client/message-types.js'
import type { Clock } from '../time/clock.js'
import type { SeededRandom } from '../time/seeded-random.js'
import type { EachMessagePayloadLike } from './client-api.js'
import { ListenerStoppedError } from './errors.js'
import type { FailedRecordPublisher } from './failed-record-publisher.js'
import type { ListenerDefinition } from './kafka-listener.js'
import { parseRetryTopicHeaders, retryTopicMessage } from './retry-topics.js'
import { DecodeError } from './serde.js'

/** Something that happened to a record in a listener, for logs, timelines and tests. */
export interface ListenerEvent {
  /**
   * `attempt-failed`: an attempt threw or timed out; `backoff`: the pipeline waits `delayMs` before
   * the next attempt; `forwarded-to-retry-topic` / `dead-lettered`: the record was published to `target`.
   */
  type: 'attempt-failed' | 'backoff' | 'forwarded-to-retry-topic' | 'dead-lettered'
  listenerId: string
  groupId: string
  topic: string
  partition: number
  offset: string
  /** The record (its key says which entity failed). */
  message: KafkaMessage
  attempt: number
  delivery: number
  error?: unknown
  delayMs?: number
  target?: string
}

/** What a pipeline needs from its container. */
export interface PipelineEnvironment {
  clock: Clock
  random: SeededRandom
  publisher: FailedRecordPublisher
  /** Aborts (with a {@link ListenerStoppedError}) when the container stops. */
  stopSignal: AbortSignal
  heartbeatEveryMs: number
  onEvent?: (event: ListenerEvent) => void
}

/** Processes the records of one listener of one object (main and retry topics alike). */
export class ListenerPipeline {
  /** The main topic of each retry topic. */
  private readonly sourceOfRetryTopic = new Map<string, string>()

  constructor(
    private readonly listener: ListenerDefinition,
    private readonly env: PipelineEnvironment,
  ) {
    for (const plan of listener.options.retryTopics.values()) {
      for (const topic of plan.topics) this.sourceOfRetryTopic.set(topic, plan.sourceTopic)
    }
  }

  /** KafkaJS `eachMessage` for this listener's consumers. */
  async process(payload: EachMessagePayloadLike): Promise<void> {
    const { stopSignal } = this.env
    if (stopSignal.aborted) throw stopSignal.reason
    const { topic, partition, message } = payload
    const source = this.sourceOfRetryTopic.get(topic) ?? topic
    const retryState = source === topic ? { attempt: 1, backoffTimestamp: undefined } : parseRetryTopicHeaders(message)
    const delivery = retryState.attempt
    if (retryState.backoffTimestamp !== undefined) {
      await this.wait(retryState.backoffTimestamp - this.env.clock.now(), payload)
    }
    const event = { listenerId: this.listener.id, groupId: this.listener.options.groupId, topic, partition, offset: message.offset, message, delivery }
    const failure: DeadLetterSource = { topic, partition, message, groupId: this.listener.options.groupId, error: undefined }

    const value = this.listener.options.decoders.get(source)!.decode(message, partition)
    if (value instanceof DecodeError) {
      await this.deadLetter(source, { ...failure, error: value }, { ...event, attempt: 0 }, value)
      return
    }

    const { retry } = this.listener.options
    const { clock, random, stopSignal: signal, heartbeatEveryMs } = this.env
    const outcome = await attemptWithRetries(
      (attempt, attemptSignal) =>
        this.listener.handle(value, { topic, partition, message, groupId: event.groupId, attempt, delivery, signal: attemptSignal, heartbeat: () => payload.heartbeat() }),
      {
        policy: retry,
        clock,
        random,
        stopSignal: signal,
        attemptStopSignal: signal,
        heartbeat: () => payload.heartbeat(),
        heartbeatEveryMs,
        onAttemptFailed: (attempt, error) => this.env.onEvent?.({ type: 'attempt-failed', ...event, attempt, error }),
        onBackoff: (attempt, error, delayMs) => this.env.onEvent?.({ type: 'backoff', ...event, attempt, error, delayMs }),
      },
    )
    if (!outcome.succeeded) await this.recover(source, { ...failure, error: outcome.error }, { ...event, attempt: outcome.attempts }, payload)
  }

  /** After the last attempt of a delivery: the next retry topic, else the dead-letter topic, else the consumer's error handling. */
  private async recover(source: string, failure: DeadLetterSource, event: Omit<ListenerEvent, 'type'>, payload: EachMessagePayloadLike): Promise<void> {
    const { retry } = this.listener.options
    const plan = this.listener.options.retryTopics.get(source)
    const retryable = isRetryable(failure.error, retry) && (plan === undefined || isRetryable(failure.error, plan))
    if (plan !== undefined && retryable && event.delivery < plan.attempts) {
      const attempt = event.delivery + 1
      const target = plan.topicForAttempt(attempt)
      const delayMs = plan.delaysMs[attempt - 2]!
      await this.env.publisher.publish(target, retryTopicMessage(failure, { attempt, delayMs, now: this.env.clock.now() }), payload.partition)
      this.env.onEvent?.({ type: 'forwarded-to-retry-topic', ...event, error: failure.error, delayMs, target })
      return
    }
    if (!this.listener.options.deadLetterHandlerFailures) throw failure.error
    await this.deadLetter(source, failure, event, failure.error)
  }

  private async deadLetter(source: string, failure: DeadLetterSource, event: Omit<ListenerEvent, 'type'>, error: unknown): Promise<void> {
    const target = this.listener.options.deadLetterTopics.get(source)
    if (target === undefined) throw error
    await this.env.publisher.publish(target, deadLetterMessage(failure), failure.partition)
    this.env.onEvent?.({ type: 'dead-lettered', ...event, error, target })
  }

  private wait(ms: number, payload: EachMessagePayloadLike): Promise<void> {
    return waitOnClock(this.env.clock, ms, { signal: this.env.stopSignal, heartbeat: () => payload.heartbeat(), heartbeatEveryMs: this.env.heartbeatEveryMs })
  }
}

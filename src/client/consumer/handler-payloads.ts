/** What KafkaJS's `eachMessage` and `eachBatch` handlers receive. */
import type { KafkaMessage } from '../message-types.js'
import type { Batch } from './batch.js'
import type { OffsetsByTopicPartition } from './offset-manager.js'

/** One message as the runner hands it over, before a delivery policy adds the attempt's `signal`. */
export interface MessageDelivery {
  topic: string
  partition: number
  message: KafkaMessage
  /** Sends a heartbeat now if the heartbeat interval has passed (for long handlers). */
  heartbeat(): Promise<void>
  /** Pauses this partition; returns a function that resumes it. */
  pause(): () => void
}

/** `eachMessage`'s argument. */
export interface EachMessagePayload extends MessageDelivery {
  /**
   * Aborts when this attempt outlives `run({ retry: { timeoutMs } })`; the attempt then counts as failed
   * even if the handler settles later, so a handler should pass it on (e.g. to `fetch`) and stop. Without
   * `timeoutMs` it never aborts. Not in KafkaJS.
   */
  signal: AbortSignal
}

/** `eachBatch`'s argument. */
export interface EachBatchPayload {
  batch: Batch
  /** Marks a message as processed: the partition's next offset becomes `offset + 1`. */
  resolveOffset(offset: string): void
  heartbeat(): Promise<void>
  pause(): () => void
  /** Commits `offsets`, or the resolved offsets if the auto-commit interval or threshold is reached. */
  commitOffsetsIfNecessary(offsets?: OffsetsByTopicPartition): Promise<void>
  uncommittedOffsets(): OffsetsByTopicPartition
  /** False once the consumer is stopping: a long handler should return. */
  isRunning(): boolean
  /** True once a seek made the rest of this batch obsolete. */
  isStale(): boolean
}

/** The `signal` of an attempt that has no timeout: it never aborts. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal

/**
 * Inherited by every payload the runner makes: its `signal` until a delivery policy gives an attempt its own.
 * Inherited rather than defined on each payload, so a payload's own keys stay KafkaJS's (deep-equality assertions,
 * spreading) and making one costs no more than an object literal.
 */
const PAYLOAD_DEFAULTS: Pick<EachMessagePayload, 'signal'> = Object.freeze({ signal: NEVER_ABORTED })

/** The payload of one message, ready for `eachMessage` as it is (its `signal` never aborts). */
export function messagePayload(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>, pause: () => () => void): EachMessagePayload {
  const payload = Object.create(PAYLOAD_DEFAULTS) as EachMessagePayload
  payload.topic = topic
  payload.partition = partition
  payload.message = message
  payload.heartbeat = heartbeat
  payload.pause = pause
  return payload
}

export type EachMessageHandler = (payload: EachMessagePayload) => Promise<void>
export type EachBatchHandler = (payload: EachBatchPayload) => Promise<void>

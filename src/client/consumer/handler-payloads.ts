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

export type EachMessageHandler = (payload: EachMessagePayload) => Promise<void>
export type EachBatchHandler = (payload: EachBatchPayload) => Promise<void>

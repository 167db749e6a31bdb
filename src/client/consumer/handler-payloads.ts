/** What KafkaJS's `eachMessage` and `eachBatch` handlers receive. */
import type { KafkaMessage } from '../message-types.js'
import type { Batch } from './batch.js'
import type { OffsetsByTopicPartition } from './offset-manager.js'

/** `eachMessage`'s argument. */
export interface EachMessagePayload {
  topic: string
  partition: number
  message: KafkaMessage
  /** Sends a heartbeat now if the heartbeat interval has passed (for long handlers). */
  heartbeat(): Promise<void>
  /** Pauses this partition; returns a function that resumes it. */
  pause(): () => void
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

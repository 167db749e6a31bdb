/**
 * How a failed record is published, for every caller that publishes one: the consumer's
 * `run({ deadLetter })` and the patterns' retry and dead-letter topics. As Spring's
 * `DeadLetterPublishingRecoverer` does by default, a record goes to the partition with the same
 * number as the one it came from when the target topic has it, and otherwise to the partition its
 * key picks. It is written with acks=all, and the caller resolves or commits the source offset
 * only after the write is acknowledged: a crash in between gives a duplicate, never a loss.
 */
import type { Message, ProducerRecord, RecordMetadata } from '../message-types.js'

/** Where failed records go: a producer, and a way to learn a target topic's partition count. */
export interface FailedRecordTarget {
  send(record: ProducerRecord): Promise<RecordMetadata[]>
  /** The topic's partition count, or undefined when it is not known (the key then picks the partition). */
  partitionCount(topic: string): Promise<number | undefined>
}

/** Publishes `message` to `topic`, on `sourcePartition` when the topic has that partition; resolves once every in-sync replica has it. */
export async function publishFailedRecord(target: FailedRecordTarget, topic: string, message: Message, sourcePartition: number): Promise<void> {
  const partitions = await target.partitionCount(topic)
  const routed: Message = partitions !== undefined && sourcePartition < partitions ? { ...message, partition: sourcePartition } : message
  await target.send({ topic, acks: -1, messages: [routed] })
}

/**
 * KafkaJS's `Transaction`, returned by `producer.transaction()`: `send`, `sendBatch`,
 * `sendOffsets`, `commit`, `abort`, `isActive`. Every method of an ended transaction rejects with
 * KafkaJS's "Cannot continue to use transaction once ended", and changes nothing.
 */
import { KafkaJSNonRetriableError } from '../errors.js'
import type { ProducerBatch, ProducerRecord, RecordMetadata } from '../message-types.js'
import type { OffsetsToSend, TransactionManager } from './transaction-manager.js'

/** A transaction in progress (KafkaJS's `Transaction` type). */
export interface Transaction {
  /** Sends messages inside the transaction (acks must be -1). */
  send(record: ProducerRecord): Promise<RecordMetadata[]>
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]>
  /** Commits a consumer group's offsets with the transaction: `offset` is the next offset to consume. */
  sendOffsets(offsets: OffsetsToSend): Promise<void>
  /** Commits: its records become visible to read_committed consumers, its offsets committed. */
  commit(): Promise<void>
  /** Aborts: its records are never visible to read_committed consumers, its offsets dropped. */
  abort(): Promise<void>
  /** Whether the transaction can still be used. */
  isActive(): boolean
}

/** How a transaction sends messages: the producer's send path with the transactional identity. */
export type TransactionalSend = (batch: ProducerBatch) => Promise<RecordMetadata[]>

function checkOffsets(offsets: OffsetsToSend): void {
  if (offsets === null || typeof offsets !== 'object' || !offsets.consumerGroupId || typeof offsets.consumerGroupId !== 'string') {
    throw new KafkaJSNonRetriableError('Missing consumerGroupId: sendOffsets({ consumerGroupId, topics }) needs the group whose offsets the transaction commits')
  }
  if (!Array.isArray(offsets.topics)) throw new KafkaJSNonRetriableError('Missing offset topics: sendOffsets({ consumerGroupId, topics: [{ topic, partitions: [{ partition, offset }] }] })')
  for (const t of offsets.topics) {
    for (const p of t?.partitions ?? []) {
      const offset = Number(p?.offset)
      if (!Number.isInteger(p?.partition) || p.partition < 0 || !Number.isInteger(offset) || offset < 0) {
        throw new KafkaJSNonRetriableError(`Invalid offset ${JSON.stringify(p)} for topic "${String(t?.topic)}" in sendOffsets: expected { partition: integer >= 0, offset: string of an integer >= 0 }`)
      }
    }
  }
}

/** Creates the transaction object over a manager that has just begun a transaction. */
export function createTransaction(manager: TransactionManager, send: TransactionalSend): Transaction {
  let ended = false
  const isActive = () => manager.isInTransaction() && !ended
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (!isActive()) throw new KafkaJSNonRetriableError('Cannot continue to use transaction once ended')
      return fn(...args)
    }
  return {
    send: guard((record: ProducerRecord) => {
      if (record === null || typeof record !== 'object') throw new KafkaJSNonRetriableError(`Invalid record ${String(record)}: expected { topic, messages }`)
      const { topic, messages, acks, timeout, compression } = record
      return send({ acks, timeout, compression, topicMessages: [{ topic, messages }] })
    }),
    sendBatch: guard((batch: ProducerBatch) => send(batch)),
    sendOffsets: guard(async (offsets: OffsetsToSend) => {
      checkOffsets(offsets)
      await manager.sendOffsets(offsets)
    }),
    commit: guard(async () => {
      await manager.commit()
      ended = true
    }),
    abort: guard(async () => {
      await manager.abort()
      ended = true
    }),
    isActive,
  }
}

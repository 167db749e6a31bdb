/**
 * KafkaJS's `Batch`: the messages one Fetch returned for one partition, with the offsets and lag
 * helpers `eachBatch` handlers use. Records below the fetch offset, control records (transaction
 * markers, KIP-98) and records of aborted transactions are never exposed as messages.
 */
import type { AbortedTransaction, FetchPartitionResponse } from '../../protocol/data-apis.js'
import type { LogRecord } from '../../protocol/records.js'
import { toKafkaMessage, type KafkaMessage } from '../message-types.js'

/**
 * Drops the records of aborted transactions, as Kafka's consumer does under read_committed: a
 * producer's transactional records are skipped from the first offset of an aborted transaction
 * until its ABORT marker.
 */
export function withoutAbortedRecords(records: readonly LogRecord[], aborted: readonly AbortedTransaction[]): LogRecord[] {
  if (aborted.length === 0) return [...records]
  const pending = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset)
  const abortedProducers = new Set<number>()
  return records.filter((record) => {
    while (pending.length > 0 && record.offset >= pending[0]!.firstOffset) abortedProducers.add(pending.shift()!.producerId)
    if (record.control === 'ABORT') {
      abortedProducers.delete(record.producerId)
      return true
    }
    return !(record.transactional && abortedProducers.has(record.producerId))
  })
}

/** The messages of one partition from one fetch, as `eachBatch` receives them. */
export class Batch {
  readonly topic: string
  readonly partition: number
  /** The partition's high watermark when the broker answered, as a string. */
  readonly highWatermark: string
  /** Messages to process, in offset order. */
  readonly messages: KafkaMessage[]
  /** Every record at or after the fetch offset, control records and aborted ones included. */
  private readonly recordsWithinOffset: readonly LogRecord[]

  constructor(
    topic: string,
    readonly fetchedOffset: number,
    partitionData: FetchPartitionResponse,
  ) {
    this.topic = topic
    this.partition = partitionData.partition
    this.highWatermark = String(partitionData.highWatermark)
    this.recordsWithinOffset = partitionData.records.filter((r) => r.offset >= fetchedOffset)
    this.messages = withoutAbortedRecords(this.recordsWithinOffset, partitionData.abortedTransactions)
      .filter((r) => r.control === undefined)
      .map(toKafkaMessage)
  }

  /** True when there is no message to process. */
  isEmpty(): boolean {
    return this.messages.length === 0
  }

  /** True when the fetch returned nothing at or after the fetch offset. */
  isEmptyIncludingFiltered(): boolean {
    return this.recordsWithinOffset.length === 0
  }

  /** True when records came back but none is a message (only control records or aborted ones). */
  isEmptyDueToFiltering(): boolean {
    return this.isEmpty() && !this.isEmptyIncludingFiltered()
  }

  /** Offset of the first record in the batch, or null if it is empty. */
  firstOffset(): string | null {
    const first = this.recordsWithinOffset[0]
    return first === undefined ? null : String(first.offset)
  }

  /** Offset of the last record in the batch (control records included); high watermark - 1 if it is empty. */
  lastOffset(): string {
    const last = this.recordsWithinOffset[this.recordsWithinOffset.length - 1]
    return last === undefined ? String(Number(this.highWatermark) - 1) : String(last.offset)
  }

  /** Lag behind the high watermark after the last offset of the batch. */
  offsetLag(): string {
    return String(Number(this.highWatermark) - 1 - Number(this.lastOffset()))
  }

  /** Lag behind the high watermark from the first offset of the batch. */
  offsetLagLow(): string {
    const first = this.firstOffset()
    return first === null ? '0' : String(Number(this.highWatermark) - 1 - Number(first))
  }
}

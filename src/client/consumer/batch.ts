/**
 * KafkaJS's `Batch`: the messages one Fetch returned for one partition, with the offsets and lag
 * helpers `eachBatch` handlers use. Records below the fetch offset (a fetch returns whole record
 * batches), control records (transaction markers, KIP-98) and records of aborted transactions are
 * never exposed as messages.
 */
import type { AbortedTransaction, FetchPartitionResponse } from '../../protocol/data-apis.js'
import { forEachRecord, nextOffsetOf, type RecordBatch } from '../../protocol/records.js'
import { toBatchContext, toKafkaMessage, type KafkaMessage } from '../message-types.js'

/**
 * Drops the batches of aborted transactions, as Kafka's consumer does under read_committed: a
 * producer's transactional batches are skipped from the first offset of an aborted transaction
 * until its ABORT marker.
 */
export function withoutAbortedBatches(batches: readonly RecordBatch[], aborted: readonly AbortedTransaction[]): readonly RecordBatch[] {
  if (aborted.length === 0) return batches
  const pending = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset)
  const abortedProducers = new Set<number>()
  return batches.filter((batch) => {
    while (pending.length > 0 && nextOffsetOf(batch) > pending[0]!.firstOffset) abortedProducers.add(pending.shift()!.producerId)
    if (batch.control === 'ABORT') {
      abortedProducers.delete(batch.producerId)
      return true
    }
    return !(batch.transactional && abortedProducers.has(batch.producerId))
  })
}

/** The messages of one partition from one fetch, as `eachBatch` receives them. */
export class Batch {
  readonly topic: string
  readonly partition: number
  /** The partition's high watermark when the broker answered, as a string. */
  readonly highWatermark: string
  /**
   * Messages to process, in offset order: this reader's own copies of the bytes (one copy per
   * fetched batch), so a handler writing into them changes nothing anyone else reads.
   */
  readonly messages: KafkaMessage[] = []
  /** First and last offset at or after the fetch offset, control records and aborted ones included; -1 if none. */
  private readonly first: number = -1
  private readonly last: number = -1

  constructor(
    topic: string,
    readonly fetchedOffset: number,
    partitionData: FetchPartitionResponse,
  ) {
    this.topic = topic
    this.partition = partitionData.partition
    this.highWatermark = String(partitionData.highWatermark)
    for (const batch of partitionData.batches) {
      const end = nextOffsetOf(batch)
      if (end <= fetchedOffset) continue
      if (this.first < 0) this.first = Math.max(fetchedOffset, batch.baseOffset)
      this.last = end - 1
    }
    const messages = this.messages
    for (const batch of withoutAbortedBatches(partitionData.batches, partitionData.abortedTransactions)) {
      if (batch.control !== undefined) continue
      if (nextOffsetOf(batch) <= fetchedOffset) continue
      let timestamp = NaN
      let timestampText = ''
      const context = toBatchContext(batch)
      forEachRecord(batch, fetchedOffset, (offset, i, key, value, headers) => {
        const t = batch.timestamps[i]!
        if (t !== timestamp) timestampText = String((timestamp = t))
        messages.push(toKafkaMessage(offset, timestampText, key, value, headers, context))
      })
    }
  }

  /** True when there is no message to process. */
  isEmpty(): boolean {
    return this.messages.length === 0
  }

  /** True when the fetch returned nothing at or after the fetch offset. */
  isEmptyIncludingFiltered(): boolean {
    return this.first < 0
  }

  /** True when records came back but none is a message (only control records or aborted ones). */
  isEmptyDueToFiltering(): boolean {
    return this.isEmpty() && !this.isEmptyIncludingFiltered()
  }

  /** Offset of the first record in the batch, or null if it is empty. */
  firstOffset(): string | null {
    return this.first < 0 ? null : String(this.first)
  }

  /** Offset of the last record in the batch (control records included); high watermark - 1 if it is empty. */
  lastOffset(): string {
    return this.last < 0 ? String(Number(this.highWatermark) - 1) : String(this.last)
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

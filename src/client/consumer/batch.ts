/**
 * KafkaJS's `Batch`: the messages one Fetch returned for one partition, with the offsets and lag
 * helpers `eachBatch` handlers use. Records below the fetch offset (a fetch returns whole record
 * batches), control records (transaction markers, KIP-98) and records of aborted transactions are
 * never exposed as messages.
 *
 * Messages are made when they are read, not when the fetch answers: `messages` builds them all on
 * first use (what `eachBatch` sees), and {@link Batch.cursor} hands them out one at a time, never
 * kept (what `eachMessage` sees). Either way each reader copies a stored batch's bytes once, and a
 * message lives only as long as its reader keeps it, so a large fetch does not fill the young heap
 * with messages waiting for their turn.
 */
import type { AbortedTransaction, FetchPartitionResponse } from '../../protocol/data-apis.js'
import { headersAt, indexAtOrAfter, nextOffsetOf, offsetAt, readerCopyOf, slot, type RecordBatch } from '../../protocol/records.js'
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

/**
 * Reads the messages of a {@link Batch} in order, one at a time; {@link MessageCursor.leaderEpoch} is that of the
 * stored batch the last message came from (KIP-320: what a commit of the offset after it carries).
 */
export class MessageCursor {
  private source = -1
  private index = 0
  private end = 0
  private copy: Buffer = EMPTY
  private stored: RecordBatch | undefined
  private context: ReturnType<typeof toBatchContext> | undefined
  private timestamp = NaN
  private timestampText = ''
  /** The offset of the last message returned; -1 before the first. */
  offset = -1
  /** The leader epoch of the last message returned; -1 before the first. */
  leaderEpoch = -1

  constructor(
    private readonly sources: readonly RecordBatch[],
    private readonly fetchedOffset: number,
  ) {}

  /** The next message, or undefined after the last. */
  next(): KafkaMessage | undefined {
    while (this.index >= this.end) {
      if (++this.source >= this.sources.length) return undefined
      const batch = this.sources[this.source]!
      this.stored = batch
      this.index = indexAtOrAfter(batch, this.fetchedOffset)
      this.end = batch.count
      this.copy = this.index < this.end ? readerCopyOf(batch) : EMPTY
      this.context = undefined
      this.leaderEpoch = batch.leaderEpoch
    }
    const batch = this.stored!
    const i = this.index++
    const t = batch.timestamps[i]!
    if (t !== this.timestamp) this.timestampText = String((this.timestamp = t))
    const { layout } = batch
    this.offset = offsetAt(batch, i)
    return toKafkaMessage(this.offset, this.timestampText, slot(this.copy, layout, i, 0), slot(this.copy, layout, i, 2), headersAt(batch, i), (this.context ??= toBatchContext(batch)))
  }
}

const EMPTY = Buffer.alloc(0)

/** The messages of one partition from one fetch, as `eachBatch` receives them. */
export class Batch {
  readonly topic: string
  readonly partition: number
  /** The partition's high watermark when the broker answered, as a string. */
  readonly highWatermark: string
  /** The stored batches that hold messages: no control batch, no aborted one, none wholly below the fetch offset. */
  private readonly sources: RecordBatch[] = []
  /** How many messages the sources hold at or after the fetch offset. */
  private readonly count: number = 0
  private built: KafkaMessage[] | undefined
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
    if (this.first < 0) return
    for (const batch of withoutAbortedBatches(partitionData.batches, partitionData.abortedTransactions)) {
      if (batch.control !== undefined || nextOffsetOf(batch) <= fetchedOffset) continue
      const messages = batch.count - indexAtOrAfter(batch, fetchedOffset)
      if (messages === 0) continue
      this.sources.push(batch)
      this.count += messages
    }
  }

  /**
   * Messages to process, in offset order: this reader's own copies of the bytes (one copy per
   * fetched batch), so a handler writing into them changes nothing anyone else reads. Built on first use.
   */
  get messages(): KafkaMessage[] {
    if (this.built === undefined) {
      const built: KafkaMessage[] = new Array(this.count)
      const cursor = this.cursor()
      for (let i = 0; i < this.count; i++) built[i] = cursor.next()!
      this.built = built
    }
    return this.built
  }

  set messages(messages: KafkaMessage[]) {
    this.built = messages
  }

  /**
   * Lets go of the messages built for a handler that is done with them: a fetch's batches wait for all of them to
   * be processed, and a batch's messages should not outlive its handler meanwhile. Read again, they are built anew.
   * @internal
   */
  discardMessages(): void {
    this.built = undefined
  }

  /** The messages one at a time, none kept: for a reader that hands them out singly (`eachMessage`). */
  cursor(): MessageCursor {
    return new MessageCursor(this.sources, this.fetchedOffset)
  }

  /** How many messages there are (without building them). */
  get size(): number {
    return this.built === undefined ? this.count : this.built.length
  }

  /** True when there is no message to process. */
  isEmpty(): boolean {
    return this.size === 0
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

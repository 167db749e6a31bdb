/**
 * Per-partition producer state (Kafka's `ProducerStateManager`, KIP-98): for each producer id its
 * epoch, the last few appended sequence runs (for duplicate detection of retried batches), and
 * its open transaction's first offset; plus the partition's aborted transactions (Kafka's
 * aborted-transaction index) for read_committed fetches.
 *
 * The state is a pure function of the log: leaders and followers fold the same records into it,
 * and a truncation rebuilds it by replaying the log, so a new leader after failover dedupes and
 * fences exactly as the old one did.
 *
 * Kafka keeps the metadata of the last 5 batches per producer (`NumBatchesToRetain`). kafkalite
 * merges two batches appended back to back with contiguous offsets and sequences into one run (a
 * follower's batch cut by a truncation would otherwise count twice): it keeps the last 5 such runs,
 * which recognise every duplicate Kafka's 5 batches do (a docs/semantics.md row).
 *
 * A producer that has not written for `producer.id.expiration.ms` and has no open transaction is
 * forgotten (Kafka's `removeExpiredProducers`, KIP-854): the next batch of a forgotten producer
 * is accepted at any sequence, as Kafka accepts a producer it has no state for (KIP-360).
 */
import { Errors, lastOffsetOf, producedCount, type AbortedTransaction, type ProducedBatch, type RecordBatch } from '../protocol/index.js'

/** Kafka's `ProducerStateEntry.NumBatchesToRetain`: the dedupe window of in-flight batches. */
export const RETAINED_BATCHES = 5

/** A run of records from one producer with contiguous sequences and offsets. */
interface SequenceRun {
  readonly firstSeq: number
  lastSeq: number
  readonly firstOffset: number
  lastOffset: number
}

interface ProducerEntry {
  /** The largest timestamp of the producer's last batch or marker (Kafka's `lastTimestamp`): expiration counts from it. */
  lastTimestamp: number
  epoch: number
  runs: SequenceRun[]
  /** First offset of the producer's open transaction on this partition, or null. */
  txnFirstOffset: number | null
}

/** An aborted transaction as kept in the index: its first offset and its ABORT marker's offset. */
export interface AbortedTxn extends AbortedTransaction {
  readonly lastOffset: number
}

/** How a batch relates to what the partition holds. */
export type AppendCheck =
  | { readonly kind: 'append' }
  /** A retry of a batch already in the log: answer with its offset, append nothing. */
  | { readonly kind: 'duplicate'; readonly baseOffset: number }
  | { readonly kind: 'reject'; readonly errorCode: number; readonly errorMessage: string }

/** The outcome of most checks, shared: every partition of every Produce is checked. */
const APPEND: AppendCheck = Object.freeze({ kind: 'append' })

/** Producer state of one partition replica. */
export class ProducerState {
  private readonly producers = new Map<number, ProducerEntry>()
  private aborted: AbortedTxn[] = []
  /** Ended transactions whose marker may still be above the high watermark (Kafka's `unreplicatedTxns`). */
  private ended: Array<{ readonly firstOffset: number; readonly markerOffset: number }> = []
  /** Producers whose last write is at or before this time were expired; a rebuild keeps them forgotten. */
  private expiredBefore = -Infinity

  /**
   * Checks a producer's batch before the leader appends it (Kafka's `ProducerAppendInfo`):
   * epoch fencing (INVALID_PRODUCER_EPOCH), duplicates of a retained run, and sequence order
   * (OUT_OF_ORDER_SEQUENCE_NUMBER). A batch without producer id always appends.
   */
  check(batch: ProducedBatch): AppendCheck {
    if (batch.producerId < 0) return APPEND
    const entry = this.producers.get(batch.producerId)
    const firstSeq = batch.baseSequence
    const lastSeq = firstSeq + producedCount(batch) - 1
    if (entry === undefined) {
      // Kafka accepts any first sequence from a producer it has no state for (it may have been expired, KIP-360).
      return APPEND
    }
    if (batch.producerEpoch < entry.epoch) {
      return reject(Errors.INVALID_PRODUCER_EPOCH.code, `Producer ${batch.producerId} has epoch ${batch.producerEpoch}, older than the current ${entry.epoch}`)
    }
    if (batch.producerEpoch > entry.epoch) {
      if (firstSeq === 0) return APPEND
      return reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code, `A new epoch ${batch.producerEpoch} of producer ${batch.producerId} must start at sequence 0, not ${firstSeq}`)
    }
    for (const run of entry.runs) {
      if (firstSeq >= run.firstSeq && lastSeq <= run.lastSeq) return { kind: 'duplicate', baseOffset: run.firstOffset + (firstSeq - run.firstSeq) }
    }
    // No run at this epoch: a marker just bumped it, so the producer starts again at 0.
    const lastSeqHeld = entry.runs.at(-1)?.lastSeq ?? -1
    if (firstSeq === lastSeqHeld + 1) return APPEND
    return reject(
      Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code,
      `Out of order sequence number for producer ${batch.producerId} at epoch ${entry.epoch}: ${firstSeq} (incoming seq), ${lastSeqHeld} (current end sequence)`,
    )
  }

  /** Whether the producer has a transaction open at this partition (a batch of it appended, no marker yet). */
  hasOpenTransaction(producerId: number): boolean {
    const entry = this.producers.get(producerId)
    return entry !== undefined && entry.txnFirstOffset !== null
  }

  /**
   * Checks a transaction marker (Kafka's `appendEndTxnMarker`): a marker with an epoch older than
   * the producer's is fenced. Returns the error code, 0 if it may be appended.
   */
  checkMarker(producerId: number, producerEpoch: number): number {
    const entry = this.producers.get(producerId)
    return entry !== undefined && producerEpoch < entry.epoch ? Errors.INVALID_PRODUCER_EPOCH.code : 0
  }

  /** Folds appended batches (as leader or follower) into the state, in offset order. */
  apply(batches: readonly RecordBatch[]): void {
    for (const batch of batches) {
      if (batch.producerId < 0) continue
      let entry = this.producers.get(batch.producerId)
      if (entry === undefined) this.producers.set(batch.producerId, (entry = { lastTimestamp: -Infinity, epoch: batch.producerEpoch, runs: [], txnFirstOffset: null }))
      entry.lastTimestamp = maxTimestamp(batch)
      if (batch.producerEpoch > entry.epoch) {
        entry.epoch = batch.producerEpoch
        entry.runs = []
      }
      const lastOffset = lastOffsetOf(batch)
      if (batch.control !== undefined) {
        if (entry.txnFirstOffset !== null) {
          if (batch.control === 'ABORT') this.aborted.push({ producerId: batch.producerId, firstOffset: entry.txnFirstOffset, lastOffset })
          this.ended.push({ firstOffset: entry.txnFirstOffset, markerOffset: lastOffset })
        }
        entry.txnFirstOffset = null
        continue
      }
      if (batch.transactional && entry.txnFirstOffset === null) entry.txnFirstOffset = batch.baseOffset
      if (batch.baseSequence < 0) continue
      // A cleaned batch keeps its last offset and sequence even when compaction removed its last records (KIP-98, Kafka's LogCleaner).
      const lastSeq = batch.baseSequence + (lastOffset - batch.baseOffset)
      const last = entry.runs.at(-1)
      if (last !== undefined && batch.baseSequence === last.lastSeq + 1 && batch.baseOffset === last.lastOffset + 1) {
        last.lastSeq = lastSeq
        last.lastOffset = lastOffset
      } else {
        entry.runs.push({ firstSeq: batch.baseSequence, lastSeq, firstOffset: batch.baseOffset, lastOffset })
        if (entry.runs.length > RETAINED_BATCHES) entry.runs.shift()
      }
    }
  }

  /** Forgets everything and folds `batches` again: after a truncation or a power loss. Producers expired before stay forgotten. */
  rebuild(batches: readonly RecordBatch[]): void {
    this.producers.clear()
    this.aborted = []
    this.ended = []
    this.apply(batches)
    this.forgetIdleSince(this.expiredBefore)
  }

  /**
   * Forgets every producer without an open transaction whose last write is `expirationMs` old
   * (Kafka's `isProducerExpired`). Returns how many were forgotten.
   */
  removeExpired(nowMs: number, expirationMs: number): number {
    this.expiredBefore = Math.max(this.expiredBefore, nowMs - expirationMs)
    return this.forgetIdleSince(this.expiredBefore)
  }

  /** How many producers this partition keeps state for. */
  get producerCount(): number {
    return this.producers.size
  }

  private forgetIdleSince(horizon: number): number {
    let removed = 0
    for (const [id, entry] of this.producers) {
      if (entry.txnFirstOffset !== null || entry.lastTimestamp > horizon) continue
      this.producers.delete(id)
      removed++
    }
    return removed
  }

  /** The high watermark reached `highWatermark`: transactions whose markers lie below it are stable and forgotten. */
  forgetStableBelow(highWatermark: number): void {
    // Called on every high watermark move: no new array when nothing ended.
    if (this.ended.length === 0) return
    this.ended = this.ended.filter((t) => t.markerOffset >= highWatermark)
  }

  /**
   * The first offset of the earliest transaction that is open, or whose marker is not yet below
   * `highWatermark` (Kafka's `firstUnstableOffset`); undefined if none. It bounds the last stable offset.
   */
  firstUnstableOffset(highWatermark: number): number | undefined {
    // Read per partition of every fetch answer (the last stable offset): nothing to visit without producer state.
    if (this.ended.length === 0 && this.producers.size === 0) return undefined
    let first: number | undefined
    for (const t of this.ended) if (t.markerOffset >= highWatermark && (first === undefined || t.firstOffset < first)) first = t.firstOffset
    for (const entry of this.producers.values()) {
      if (entry.txnFirstOffset !== null && (first === undefined || entry.txnFirstOffset < first)) first = entry.txnFirstOffset
    }
    return first
  }

  /** Open transactions: producer id -> first offset. */
  openTransactions(): Map<number, number> {
    const open = new Map<number, number>()
    for (const [id, entry] of this.producers) if (entry.txnFirstOffset !== null) open.set(id, entry.txnFirstOffset)
    return open
  }

  /**
   * Aborted transactions that overlap offsets `[from, to)`, as a read_committed fetch returns them
   * (Kafka's `collectAbortedTransactions`).
   */
  abortedTransactions(from: number, to: number): AbortedTransaction[] {
    return this.aborted.filter((t) => t.lastOffset >= from && t.firstOffset < to).map((t) => ({ producerId: t.producerId, firstOffset: t.firstOffset }))
  }

  /** The current epoch of a producer on this partition, if it has written here. */
  epochOf(producerId: number): number | undefined {
    return this.producers.get(producerId)?.epoch
  }
}

function reject(errorCode: number, errorMessage: string): AppendCheck {
  return { kind: 'reject', errorCode, errorMessage }
}

/** The batch's largest record timestamp (Kafka's `maxTimestamp`). */
function maxTimestamp(batch: RecordBatch): number {
  let max = -Infinity
  for (const t of batch.timestamps) if (t > max) max = t
  return max
}

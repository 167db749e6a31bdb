/**
 * Log compaction (Kafka's `LogCleaner`, `cleanup.policy=compact`): one cleaning of a partition log keeps, in its
 * closed segments, only the newest record of each key. Offsets never change: a cleaned batch keeps its base and last
 * offsets and holds fewer records (gaps appear), and a batch left with no record goes, unless it is its producer's
 * last (Kafka keeps that one empty so producer state, KIP-98, survives).
 *
 * When a log is cleaned, and how far (Kafka's `LogCleanerManager.cleanableOffsets` and `grabFilthiestCompactedLog`):
 * - the active segment is never cleaned, nor anything at or above the last stable offset (open transactions), nor a
 *   segment holding a record newer than `min.compaction.lag.ms`;
 * - the dirty part (above the cleaner checkpoint, Kafka's `cleaner-offset-checkpoint`) must be more than
 *   `min.cleanable.dirty.ratio` of the cleanable bytes, or its first record older than `max.compaction.lag.ms`
 *   (KIP-354), or a delete horizon (below) has passed.
 *
 * Deletes (KIP-534): a batch holding a tombstone (a null value) or a transaction marker gets a delete horizon, the
 * cleaning time plus `delete.retention.ms`, the first time it is cleaned; a cleaning after that removes its tombstones,
 * and its marker once no batch of that transaction is left. Records of aborted transactions go at the first cleaning
 * (Kafka's `CleanedTransactionMetadata`). Records without a key, which a compacted topic refuses but a topic switched
 * to compact may hold, are removed (Kafka counts them as invalid and drops them).
 */
import { lastOffsetOf, nextOffsetOf, offsetAt, type RecordBatch } from '../protocol/index.js'
import type { Segment } from './log-segment.js'
import { retainRecords } from './record-batch-builder.js'

/** The topic configs and replica state a cleaning is measured against. */
export interface CompactionLimits {
  readonly nowMs: number
  /** `delete.retention.ms`: how long tombstones and markers outlive their first cleaning. */
  readonly deleteRetentionMs: number
  /** `min.compaction.lag.ms`: a record stays uncompacted at least this long. */
  readonly minCompactionLagMs: number
  /** `max.compaction.lag.ms`: a dirty record is compacted within about this long, whatever the dirty ratio. */
  readonly maxCompactionLagMs: number
  /** `min.cleanable.dirty.ratio`. */
  readonly minCleanableDirtyRatio: number
  /** The replica's last stable offset: nothing at or above it is cleaned. */
  readonly lastStableOffset: number
}

/** What the cleaner needs of a log: its batches and segments, and where the last cleaning ended. */
export interface CleanableLog {
  readonly batches: readonly RecordBatch[]
  readonly segments: readonly Readonly<Segment>[]
  readonly logStartOffset: number
  readonly logEndOffset: number
  /** The first offset not yet cleaned (Kafka's cleaner checkpoint). */
  readonly firstDirtyOffset: number
  /** The earliest delete horizon still ahead in the log, -1 if none. */
  readonly nextDeleteHorizonMs: number
}

/** The result of one cleaning: the batches below `upTo` replaced by `batches`. */
export interface Cleaning {
  readonly upTo: number
  /** How many of the log's first batches (all those below `upTo`) are replaced. */
  readonly replacedBatches: number
  readonly batches: RecordBatch[]
  readonly nextDeleteHorizonMs: number
  /** True if a transaction marker went: the aborted-transaction index must be rebuilt. */
  readonly markersRemoved: boolean
}

/** The end of the cleanable part: the base of the first segment that may not be cleaned, or null if none may. */
export function firstUncleanableOffset(log: CleanableLog, limits: CompactionLimits): number | null {
  const { segments } = log
  let end = log.logStartOffset
  for (let i = 0; i + 1 < segments.length; i++) {
    const segment = segments[i]!
    const next = segments[i + 1]!.baseOffset
    if (next > limits.lastStableOffset) break
    if (limits.minCompactionLagMs > 0 && segment.maxTimestamp > limits.nowMs - limits.minCompactionLagMs) break
    end = next
  }
  return end > log.logStartOffset ? end : null
}

/** Whether a cleaning is due now, and up to where (Kafka's choice of the filthiest log, for one log). */
export function cleanableUpTo(log: CleanableLog, limits: CompactionLimits): number | null {
  const upTo = firstUncleanableOffset(log, limits)
  if (upTo === null) return null
  const firstDirty = Math.max(log.firstDirtyOffset, log.logStartOffset)
  let cleanBytes = 0
  let dirtyBytes = 0
  for (let i = 0; i < log.segments.length && log.segments[i]!.baseOffset < upTo; i++) {
    if (log.segments[i]!.baseOffset < firstDirty) cleanBytes += log.segments[i]!.bytes
    else dirtyBytes += log.segments[i]!.bytes
  }
  const horizonPassed = log.nextDeleteHorizonMs >= 0 && log.nextDeleteHorizonMs <= limits.nowMs
  if (dirtyBytes === 0) return horizonPassed ? upTo : null
  if (dirtyBytes / (cleanBytes + dirtyBytes) > limits.minCleanableDirtyRatio || horizonPassed) return upTo
  // KIP-354: the first dirty record waited longer than max.compaction.lag.ms.
  const firstDirtyBatch = log.batches.find((b) => nextOffsetOf(b) > firstDirty && b.count > 0)
  const earliest = firstDirtyBatch === undefined ? Infinity : Math.min(...firstDirtyBatch.timestamps)
  return limits.nowMs - earliest > limits.maxCompactionLagMs ? upTo : null
}

/** Cleans the batches of `log` below `upTo` (see the file comment). */
export function clean(log: CleanableLog, upTo: number, limits: CompactionLimits): Cleaning {
  const { batches } = log
  let replaced = 0
  while (replaced < batches.length && batches[replaced]!.baseOffset < upTo) replaced++
  const fates = transactionFates(batches)
  const lastDataOffsets = lastDataOffsetByProducer(batches)
  const latest = latestOffsetByKey(batches, replaced, fates)
  const out: RecordBatch[] = []
  const openTxns = new Set<number>()
  let nextHorizon = -1
  let markersRemoved = false
  // The next cleaning due for deletes: a kept tombstone's or new marker's horizon, even one already reached (a
  // horizon set now with delete.retention.ms=0 is acted on by the next cleaning, as in Kafka, never this one).
  const keepHorizon = (horizon: number | undefined): void => {
    if (horizon !== undefined && (nextHorizon < 0 || horizon < nextHorizon)) nextHorizon = horizon
  }
  const newHorizon = limits.nowMs + limits.deleteRetentionMs
  for (let b = 0; b < replaced; b++) {
    const batch = batches[b]!
    if (batch.control !== undefined) {
      // Kafka: a marker may go once no batch of its transaction was met in this cleaning, and its horizon passed.
      const discardable = !openTxns.delete(batch.producerId)
      if (batch.deleteHorizonMs === undefined) {
        out.push(retainRecords(batch, [0], newHorizon))
        keepHorizon(newHorizon)
      } else if (discardable && batch.deleteHorizonMs <= limits.nowMs) {
        markersRemoved = true
      } else {
        out.push(batch)
        // A marker whose transaction still has batches waits for a cleaning that removes them: no cleaning of its own.
        if (batch.deleteHorizonMs > limits.nowMs) keepHorizon(batch.deleteHorizonMs)
      }
      continue
    }
    if (batch.transactional) openTxns.add(batch.producerId)
    const aborted = batch.transactional && fates.get(batch) === 'ABORT'
    const kept: number[] = []
    let tombstones = false
    if (!aborted) {
      for (let i = 0; i < batch.count; i++) {
        const keyLength = batch.layout[i * 4 + 1]!
        if (keyLength < 0 || latest.get(keyOf(batch, i)) !== offsetAt(batch, i)) continue
        if (batch.layout[i * 4 + 3]! < 0) {
          if (batch.deleteHorizonMs !== undefined && batch.deleteHorizonMs <= limits.nowMs) continue
          tombstones = true
        }
        kept.push(i)
      }
    }
    const horizon = tombstones ? (batch.deleteHorizonMs ?? newHorizon) : batch.deleteHorizonMs
    if (tombstones) keepHorizon(horizon)
    if (kept.length === batch.count && horizon === batch.deleteHorizonMs) out.push(batch)
    else if (kept.length > 0 || (batch.producerId >= 0 && lastDataOffsets.get(batch.producerId) === lastOffsetOf(batch))) {
      out.push(retainRecords(batch, kept, horizon))
    }
  }
  for (let b = replaced; b < batches.length; b++) {
    const horizon = batches[b]!.deleteHorizonMs
    if (horizon !== undefined && horizon > limits.nowMs) keepHorizon(horizon)
  }
  return { upTo, replacedBatches: replaced, batches: out, nextDeleteHorizonMs: nextHorizon, markersRemoved }
}

/** Record `i`'s key as a map key (its bytes as latin1: one char per byte). */
function keyOf(batch: RecordBatch, i: number): string {
  const start = batch.layout[i * 4]!
  return batch.bytes.toString('latin1', start, start + batch.layout[i * 4 + 1]!)
}

/** The offset of the newest record of each key below batch `end` (Kafka's offset map), aborted records left out. */
function latestOffsetByKey(batches: readonly RecordBatch[], end: number, fates: ReadonlyMap<RecordBatch, string>): Map<string, number> {
  const latest = new Map<string, number>()
  for (let b = 0; b < end; b++) {
    const batch = batches[b]!
    if (batch.control !== undefined || (batch.transactional && fates.get(batch) === 'ABORT')) continue
    for (let i = 0; i < batch.count; i++) if (batch.layout[i * 4 + 1]! >= 0) latest.set(keyOf(batch, i), offsetAt(batch, i))
  }
  return latest
}

/** How each transactional data batch's transaction ended: the type of the next marker of its producer. */
function transactionFates(batches: readonly RecordBatch[]): Map<RecordBatch, string> {
  const fates = new Map<RecordBatch, string>()
  const nextMarker = new Map<number, string>()
  for (let b = batches.length - 1; b >= 0; b--) {
    const batch = batches[b]!
    if (batch.control !== undefined) nextMarker.set(batch.producerId, batch.control)
    else if (batch.transactional) fates.set(batch, nextMarker.get(batch.producerId) ?? 'OPEN')
  }
  return fates
}

/** The last offset of each producer's last data batch in the log (Kafka's `lastDataOffset` of producer state). */
function lastDataOffsetByProducer(batches: readonly RecordBatch[]): Map<number, number> {
  const last = new Map<number, number>()
  for (const batch of batches) if (batch.producerId >= 0 && batch.control === undefined) last.set(batch.producerId, lastOffsetOf(batch))
  return last
}

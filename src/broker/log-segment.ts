/**
 * The segments of a partition log (Kafka's `LogSegment`) and which of them retention deletes
 * (`UnifiedLog.deleteRetentionMsBreachedSegments` / `deleteRetentionSizeBreachedSegments`). Kafka deletes
 * whole segments, oldest first, and only those wholly below the high watermark.
 */

/** One segment: where it starts, its size, when it was opened, and the largest record timestamp in it. */
export interface Segment {
  readonly baseOffset: number
  bytes: number
  createdMs: number
  maxTimestamp: number
}

/** What retention is measured against. */
export interface RetentionLimits {
  readonly nowMs: number
  /** `retention.ms`; -1: no time limit. */
  readonly retentionMs: number
  /** `retention.bytes`; -1: no size limit. */
  readonly retentionBytes: number
  readonly highWatermark: number
  readonly logEndOffset: number
}

/**
 * How many of the oldest segments retention deletes: first those whose largest timestamp is older
 * than `retention.ms`, then, while the log is larger than `retention.bytes`, those whose removal keeps
 * it at or above that size. A segment counts only if it ends at or below the high watermark, and
 * the active segment only if it holds something.
 */
export function expiredSegmentCount(segments: readonly Segment[], limits: RetentionLimits): number {
  const eligible = (i: number): boolean => {
    const end = segments[i + 1]?.baseOffset ?? limits.logEndOffset
    return end <= limits.highWatermark && segments[i]!.bytes > 0
  }
  let count = 0
  if (limits.retentionMs >= 0) {
    while (count < segments.length && eligible(count) && limits.nowMs - segments[count]!.maxTimestamp > limits.retentionMs) count++
  }
  if (limits.retentionBytes >= 0) {
    let diff = -limits.retentionBytes
    for (let i = count; i < segments.length; i++) diff += segments[i]!.bytes
    while (count < segments.length && eligible(count) && diff - segments[count]!.bytes >= 0) diff -= segments[count++]!.bytes
  }
  return count
}

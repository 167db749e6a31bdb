/**
 * The leader epoch cache of one partition replica (Kafka's `LeaderEpochFileCache`, KIP-101):
 * for each leader epoch, the first offset written in it. A follower that comes back asks the
 * leader where its last epoch ended and truncates what the leader does not have.
 */

/** An epoch and the offset at which it starts. */
export interface EpochEntry {
  readonly epoch: number
  readonly startOffset: number
}

/** `UNDEFINED_EPOCH` / `UNDEFINED_EPOCH_OFFSET` of Kafka's OffsetForLeaderEpoch. */
export const UNDEFINED_EPOCH = -1
export const UNDEFINED_EPOCH_OFFSET = -1

export class LeaderEpochCache {
  private entries: EpochEntry[] = []
  /**
   * The latest entry's epoch (NaN without entries) and start offset, kept beside it: every append asks {@link assign},
   * which then reads two fields of this object instead of the array and its last entry.
   */
  private lastEpoch = NaN
  private lastStartOffset = 0

  /** Entries in increasing epoch and offset order. */
  all(): readonly EpochEntry[] {
    return this.entries
  }

  /** The latest epoch with an entry, or -1. */
  latestEpoch(): number {
    return this.entries.at(-1)?.epoch ?? UNDEFINED_EPOCH
  }

  /**
   * Records that `epoch` starts at `startOffset`. Ignored if the epoch is already the latest;
   * entries with an epoch or a start offset at or above the new one are dropped, as Kafka's
   * `LeaderEpochFileCache.assign` does (they belonged to a suffix that was replaced).
   */
  assign(epoch: number, startOffset: number): void {
    if (this.lastEpoch === epoch && this.lastStartOffset <= startOffset) return
    while (this.entries.length > 0 && (this.entries.at(-1)!.startOffset >= startOffset || this.entries.at(-1)!.epoch >= epoch)) {
      this.entries.pop()
    }
    this.entries.push(Object.freeze({ epoch, startOffset }))
    this.latestChanged()
  }

  /** Keeps {@link lastEpoch} and {@link lastStartOffset} those of the latest entry. */
  private latestChanged(): void {
    const last = this.entries[this.entries.length - 1]
    this.lastEpoch = last === undefined ? NaN : last.epoch
    this.lastStartOffset = last === undefined ? 0 : last.startOffset
  }

  /**
   * Where `epoch` ends as this replica sees it (Kafka's `endOffsetFor`): the largest epoch at or
   * below the one asked for, and the start offset of the next epoch (or `logEndOffset` when it is
   * the latest). Undefined (-1, -1) if the epoch predates every entry.
   */
  endOffsetFor(epoch: number, logEndOffset: number): { epoch: number; endOffset: number } {
    let index = -1
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i]!.epoch <= epoch) {
        index = i
        break
      }
    }
    if (index < 0) return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET }
    const next = this.entries[index + 1]
    return { epoch: this.entries[index]!.epoch, endOffset: next === undefined ? logEndOffset : next.startOffset }
  }

  /** Drops entries for offsets at or after `offset` (after a log truncation). */
  truncateFromEnd(offset: number): void {
    while (this.entries.length > 0 && this.entries.at(-1)!.startOffset >= offset) this.entries.pop()
    this.latestChanged()
  }

  /** Forgets every epoch (the log was emptied and starts over). */
  clear(): void {
    this.entries = []
    this.latestChanged()
  }

  /**
   * Forgets epochs wholly below a new log start offset (Kafka's `truncateFromStart`): the latest
   * entry at or below `offset` is kept, moved up to start there.
   */
  truncateFromStart(offset: number): void {
    let kept = -1
    while (kept + 1 < this.entries.length && this.entries[kept + 1]!.startOffset <= offset) kept++
    if (kept < 0) return
    const moved = Object.freeze({ epoch: this.entries[kept]!.epoch, startOffset: offset })
    this.entries = [moved, ...this.entries.slice(kept + 1)]
    this.latestChanged()
  }
}

/**
 * A group's committed offsets, as Kafka keeps them in `__consumer_offsets`: per partition the
 * next offset the group will read (Kafka's rule: committed offset = last processed + 1), with the
 * client's metadata string.
 *
 * Transactional offset commits (KIP-98, TxnOffsetCommit) are staged per producer id and only
 * become committed offsets when the transaction marker arrives; while staged they make
 * OffsetFetch with `requireStable` answer UNSTABLE_OFFSET_COMMIT (KIP-447). The transaction
 * coordinator drives {@link OffsetStore.stageTransactional} and {@link OffsetStore.completeTransaction}.
 */

/** A committed offset of one partition. */
export interface CommittedOffset {
  readonly offset: number
  /** Kafka stores a null metadata as the empty string (`OffsetAndMetadata.NoMetadata`). */
  readonly metadata: string
  readonly commitTimestamp: number
  /** KIP-320: the leader epoch the client committed with the offset, -1 if it sent none. */
  readonly leaderEpoch?: number
}

/** One partition's offset in a commit. */
export interface OffsetToCommit {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly metadata: string | null
  readonly leaderEpoch?: number
}

type PartitionMap<T> = Map<string, Map<number, T>>

function put<T>(map: PartitionMap<T>, topic: string, partition: number, value: T): void {
  let partitions = map.get(topic)
  if (partitions === undefined) map.set(topic, (partitions = new Map()))
  partitions.set(partition, value)
}

/** The committed offsets of one group. */
export class OffsetStore {
  private readonly committed: PartitionMap<CommittedOffset> = new Map()
  private readonly pendingByProducer = new Map<number, PartitionMap<CommittedOffset>>()

  /** Records committed offsets, overwriting earlier ones. */
  commit(offsets: readonly OffsetToCommit[], now: number): void {
    for (const o of offsets) put(this.committed, o.topic, o.partition, { offset: o.offset, metadata: o.metadata ?? '', commitTimestamp: now, leaderEpoch: o.leaderEpoch ?? -1 })
  }

  /** The committed offset of a partition, if any. */
  get(topic: string, partition: number): CommittedOffset | undefined {
    return this.committed.get(topic)?.get(partition)
  }

  /** Every committed offset, topic by topic, partitions ascending. */
  all(): Array<{ topic: string; partitions: Array<{ partition: number } & CommittedOffset> }> {
    return [...this.committed].map(([topic, partitions]) => ({
      topic,
      partitions: [...partitions].sort(([a], [b]) => a - b).map(([partition, c]) => ({ partition, ...c })),
    }))
  }

  /** True when the group has no committed and no staged offsets. */
  isEmpty(): boolean {
    return this.committed.size === 0 && this.pendingByProducer.size === 0
  }

  /** Forgets every committed and staged offset of a deleted topic (Kafka's `handleDeletedPartitions`). */
  removeTopic(topic: string): void {
    this.committed.delete(topic)
    for (const [producerId, pending] of this.pendingByProducer) {
      pending.delete(topic)
      if (pending.size === 0) this.pendingByProducer.delete(producerId)
    }
  }

  /**
   * Forgets the committed offsets `expired` says have passed their retention (Kafka's
   * `getExpiredOffsets`); an offset a transaction has staged a new value for stays. Returns how many went.
   */
  removeExpired(expired: (offset: CommittedOffset) => boolean): number {
    let removed = 0
    for (const [topic, partitions] of this.committed) {
      for (const [partition, offset] of partitions) {
        if (!expired(offset) || this.hasPendingTransactional(topic, partition)) continue
        partitions.delete(partition)
        removed++
      }
      if (partitions.size === 0) this.committed.delete(topic)
    }
    return removed
  }

  /** Stages a transaction's offsets (TxnOffsetCommit); they are invisible until {@link completeTransaction}. */
  stageTransactional(producerId: number, offsets: readonly OffsetToCommit[], now: number): void {
    let pending = this.pendingByProducer.get(producerId)
    if (pending === undefined) this.pendingByProducer.set(producerId, (pending = new Map()))
    for (const o of offsets) put(pending, o.topic, o.partition, { offset: o.offset, metadata: o.metadata ?? '', commitTimestamp: now })
  }

  /** Applies (commit marker) or drops (abort marker) the offsets a producer staged. */
  completeTransaction(producerId: number, committed: boolean): void {
    const pending = this.pendingByProducer.get(producerId)
    if (pending === undefined) return
    this.pendingByProducer.delete(producerId)
    if (!committed) return
    for (const [topic, partitions] of pending) for (const [partition, c] of partitions) put(this.committed, topic, partition, c)
  }

  /** Whether an open transaction has staged an offset for this partition (KIP-447's "unstable" offset). */
  hasPendingTransactional(topic: string, partition: number): boolean {
    for (const pending of this.pendingByProducer.values()) if (pending.get(topic)?.has(partition)) return true
    return false
  }
}

/**
 * One transactional id's state at the transaction coordinator (Kafka's `TransactionMetadata` and
 * `TransactionState`, KIP-98): its producer id and epoch, timeout, state, and the partitions and
 * consumer groups of the open transaction.
 */

/** Kafka's transaction states (PrepareEpochFence is not modelled; an expired id is removed rather than kept as Dead). */
export type TransactionState = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort'

/** Kafka's `TransactionState.validPreviousStates`, read forwards. */
const NEXT: { readonly [S in TransactionState]: readonly TransactionState[] } = {
  Empty: ['Empty', 'Ongoing', 'PrepareAbort'],
  Ongoing: ['Ongoing', 'PrepareCommit', 'PrepareAbort'],
  PrepareCommit: ['CompleteCommit'],
  PrepareAbort: ['CompleteAbort'],
  CompleteCommit: ['Empty', 'Ongoing', 'PrepareAbort'],
  CompleteAbort: ['Empty', 'Ongoing', 'PrepareAbort'],
}

/** Kafka's `Short.MaxValue`: past it the coordinator gives the transactional id a new producer id. */
export const MAX_PRODUCER_EPOCH = 32767

/** The coordinator's record of one transactional id. */
export class TransactionMetadata {
  state: TransactionState = 'Empty'
  /** Topic-partitions written in the open transaction, as `topic` -> partitions. */
  readonly partitions = new Map<string, Set<number>>()
  /** Consumer groups whose offsets the open transaction commits (AddOffsetsToTxn). */
  readonly groups = new Set<string>()
  /** When the open transaction started (its first AddPartitionsToTxn or AddOffsetsToTxn), for `transactionTimeout`. */
  startTimestamp = -1
  /**
   * The producer id and epoch before the last bump (Kafka's `lastProducerId` / `lastProducerEpoch`,
   * KIP-360): a retried bump that names them gets the current ones back. The epoch is -1 after a
   * bump that fenced a producer, so the fenced one cannot pass for a retry.
   */
  lastProducerId = -1
  lastProducerEpoch = -1

  /** When the state last changed (Kafka's `txnLastUpdateTimestamp`): `transactional.id.expiration.ms` counts from it. */
  lastUpdateTimestamp: number

  constructor(
    readonly transactionalId: string,
    public producerId: number,
    public producerEpoch: number,
    public timeoutMs: number,
    createdAt: number,
  ) {
    this.lastUpdateTimestamp = createdAt
  }

  /** Moves to `next` at `nowMs`; an illegal transition is a kafkalite bug, so it throws. */
  transitionTo(next: TransactionState, nowMs: number): void {
    if (!NEXT[this.state].includes(next)) throw new Error(`Transaction ${this.transactionalId}: illegal transition ${this.state} -> ${next}`)
    this.state = next
    this.lastUpdateTimestamp = nowMs
  }

  /**
   * Whether the id may be forgotten (Kafka's `removeExpiredTransactionalIds`): no transaction is
   * open or being completed, and nothing happened for `expirationMs`.
   */
  isExpired(nowMs: number, expirationMs: number): boolean {
    const idle = this.state === 'Empty' || this.state === 'CompleteCommit' || this.state === 'CompleteAbort'
    return idle && nowMs - this.lastUpdateTimestamp >= expirationMs
  }

  /** Whether EndTxn's markers are still being written. */
  get isPreparing(): boolean {
    return this.state === 'PrepareCommit' || this.state === 'PrepareAbort'
  }

  addPartitions(topics: ReadonlyArray<{ topic: string; partitions: readonly number[] }>): void {
    for (const t of topics) {
      let set = this.partitions.get(t.topic)
      if (set === undefined) this.partitions.set(t.topic, (set = new Set()))
      for (const p of t.partitions) set.add(p)
    }
  }

  /** Whether the partition was added to the open transaction. */
  hasPartition(topic: string, partition: number): boolean {
    return this.partitions.get(topic)?.has(partition) === true
  }

  /** The open transaction's partitions, topic by topic. */
  partitionList(): Array<{ topic: string; partitions: number[] }> {
    return [...this.partitions].map(([topic, set]) => ({ topic, partitions: [...set].sort((a, b) => a - b) }))
  }

  /** Forgets the finished transaction's partitions and groups. */
  clearTransaction(): void {
    this.partitions.clear()
    this.groups.clear()
    this.startTimestamp = -1
  }
}

/**
 * What `checkHistory` returns: Jepsen's Kafka anomalies found in a history, each entry saying which operations and
 * offsets show it, plus statistics of the run. The anomaly names follow `jepsen.tests.kafka`.
 */

/** Points at one operation of the history: its index (position in recording order), process and time. */
export interface OperationRef {
  readonly index: number
  readonly process: string
  readonly time: number
}

/** An offset of a partition as one operation saw it. */
export interface OffsetSeen {
  readonly offset: number
  readonly op: OperationRef
}

/** One value seen at an offset, and which operations saw it there (`ack`: a send's acknowledgement; `read`: a poll). */
export interface ValueWitnesses {
  readonly value: string
  readonly witnesses: readonly { readonly op: OperationRef; readonly as: 'ack' | 'read' }[]
}

/**
 * **lost-write**: a send was acknowledged at an offset at or below the highest offset any consumer polled in that
 * partition, yet no poll ever returned its value. Consumers got past it, so it should have been read: the log lost
 * it (for example an acks=1 write truncated after a leader change).
 */
export interface LostWrite {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly value: string
  readonly send: OperationRef
  /** The highest offset polled in the partition, and the poll that read it; null when no poll read the partition (a drained history). */
  readonly highestPolled: OffsetSeen | null
  /** Other values polls did read at this offset, if any (then inconsistent-offsets reports it too). */
  readonly readInstead: readonly string[]
  readonly explanation: string
}

/**
 * **inconsistent-offsets**: one offset of one partition was seen holding two or more different values (by sends'
 * acknowledgements and polls). In Kafka an offset names exactly one record, forever.
 */
export interface InconsistentOffset {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly values: readonly ValueWitnesses[]
  readonly explanation: string
}

/**
 * **nonmonotonic-poll**: one consumer, with no rebalance, assignment change or seek in between, read an offset of a
 * partition at or below one it had already read there (within one poll, or across successive polls).
 */
export interface NonmonotonicPoll {
  readonly process: string
  readonly topic: string
  readonly partition: number
  readonly previous: OffsetSeen
  readonly next: OffsetSeen
  /** True when both reads came in the same poll (Jepsen's int-nonmonotonic-poll). */
  readonly sameOperation: boolean
  readonly explanation: string
}

/**
 * **poll-skip**: one consumer, with no rebalance, assignment change or seek in between, read offset `previous` then
 * offset `next` of a partition, jumping over offsets that hold records: it never received them in order.
 */
export interface PollSkip {
  readonly process: string
  readonly topic: string
  readonly partition: number
  readonly previous: OffsetSeen
  readonly next: OffsetSeen
  /** How many skipped offsets hold a record (with dense offsets: every offset in between). */
  readonly skippedCount: number
  /** The first skipped offsets (at most 10), with the values other operations saw there, if any. */
  readonly skipped: readonly { readonly offset: number; readonly values: readonly string[] }[]
  /** True when both reads came in the same poll (Jepsen's int-poll-skip). */
  readonly sameOperation: boolean
  readonly explanation: string
}

/**
 * **duplicate**: one sent value appears at two or more offsets of a partition: the record was written twice, as a
 * producer retry without idempotence does. Reported only when the producer is idempotent (options.idempotent),
 * which promises none; otherwise counted in `stats.duplicates`.
 */
export interface Duplicate {
  readonly topic: string
  readonly partition: number
  readonly value: string
  readonly offsets: readonly number[]
  readonly explanation: string
}

/**
 * **nonmonotonic-send**: one process's acknowledged sends to a partition went backwards: a later send was
 * acknowledged at an offset at or below an earlier one's (an offset reused after truncation, or reordering).
 */
export interface NonmonotonicSend {
  readonly process: string
  readonly topic: string
  readonly partition: number
  readonly previous: OffsetSeen
  readonly next: OffsetSeen
  readonly explanation: string
}

/**
 * **unexpected-value**: a poll read a value that no send produced (`never-sent`), or whose every send definitely
 * failed (`failed-send`, Jepsen's aborted read, G1a).
 */
export interface UnexpectedValue {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly value: string
  readonly reason: 'never-sent' | 'failed-send'
  /** The polls that read it. */
  readonly readBy: readonly OperationRef[]
  /** For `failed-send`: the sends of this value, all failed. */
  readonly failedSends: readonly OperationRef[]
  readonly explanation: string
}

/** Every kind of anomaly the checker looks for; each list is empty in a valid history. */
export interface Anomalies {
  readonly lostWrite: readonly LostWrite[]
  readonly inconsistentOffsets: readonly InconsistentOffset[]
  readonly nonmonotonicPoll: readonly NonmonotonicPoll[]
  readonly pollSkip: readonly PollSkip[]
  readonly nonmonotonicSend: readonly NonmonotonicSend[]
  readonly duplicate: readonly Duplicate[]
  readonly unexpectedValue: readonly UnexpectedValue[]
}

/** The name of an anomaly kind: `'lostWrite'`, `'pollSkip'`, ... */
export type AnomalyKind = keyof Anomalies

/** Counts describing the run, for a report and for telling a thin test from a thorough one. */
export interface HistoryStats {
  readonly operations: number
  readonly sends: { readonly ok: number; readonly failed: number; readonly unknown: number }
  readonly polls: number
  readonly recordsRead: number
  readonly commits: { readonly ok: number; readonly failed: number; readonly unknown: number }
  /** Assign, rebalance and seek operations. */
  readonly positionChanges: number
  readonly faults: number
  /** Partitions seen in sends' acknowledgements or polls. */
  readonly partitions: number
  /** Acknowledged sends whose value no poll returned (lost, or simply not consumed yet: see lostWrite). */
  readonly unseen: number
  /** Values seen at more than one offset of a partition, whether or not reported as anomalies. */
  readonly duplicates: number
}

/** Options of `checkHistory`. */
export interface CheckOptions {
  /**
   * The producers were idempotent (`idempotent: true`, KIP-98), which promises no duplicates from retries:
   * report duplicates as anomalies. Default false: duplicates are only counted, as at-least-once allows them.
   */
  readonly idempotent?: boolean
  /**
   * Offsets may have gaps that hold no readable record: transaction markers, aborted records under
   * `isolation.level=read_committed`, compacted topics. Then a poll-skip is reported only for skipped offsets that
   * some operation saw holding a record. Default false: offsets are dense, as in a plain non-transactional,
   * uncompacted log, so every skipped offset below a read one held a record.
   */
  readonly allowOffsetGaps?: boolean
  /**
   * Topics with `cleanup.policy` compact: the log cleaner removes every record but the newest of each key, so a
   * consumer legitimately jumps over offsets others read earlier, and an acknowledged send may never be read. On
   * these topics poll-skip and lost-write are not reported; the other checks apply. Default none.
   */
  readonly compactedTopics?: readonly string[]
  /**
   * Every send of the run is in the history (default true), so a value read but never sent is an anomaly.
   * Set false when only the consumer side was recorded.
   */
  readonly allSendsRecorded?: boolean
  /**
   * The history ends with a final drain (Jepsen's final reads): after the faults healed, consumers read every
   * partition to its end. Then every acknowledged send counts for lost-write, even one above the highest offset
   * polled, since a log that got shorter than its acknowledged offsets lost them. Default false: only sends at or
   * below the highest polled offset count, as consumers may simply not have got that far.
   */
  readonly drained?: boolean
}

/** A fault the test injected, as recorded: a timeline to read anomalies against. */
export interface FaultSeen {
  readonly op: OperationRef
  readonly description: string
}

/** The verdict of `checkHistory`. */
export interface HistoryReport {
  /** True when every anomaly list is empty. */
  readonly valid: boolean
  readonly anomalies: Anomalies
  readonly stats: HistoryStats
  /** The faults of the run, in order. */
  readonly faults: readonly FaultSeen[]
  /** The options the check ran with, defaults filled in. */
  readonly options: Required<CheckOptions>
}

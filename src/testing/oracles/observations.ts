/**
 * The plain data the oracles judge: what the final log holds, what clients were told and what they did. A test
 * gathers it from the outside (acknowledgements as the producer returned them, reads as the handler got them, the
 * final log read afresh); the oracles never ask a broker or a client anything.
 */

/** A record at its place in a partition. */
export interface LogRecord {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly value: string
}

/** A topic-partition's extent in the final log: the first offset still held and the high watermark. */
export interface PartitionExtent {
  readonly topic: string
  readonly partition: number
  readonly logStartOffset: number
  readonly highWatermark: number
  /** The topic's `cleanup.policy` includes compact: offsets may have gaps the log cleaner left. */
  readonly compacted?: boolean
}

/** A topic's final log as one isolation level reads it. */
export interface FinalLog {
  /** Every record read, in any order. */
  readonly records: readonly LogRecord[]
  readonly extents: readonly PartitionExtent[]
}

/** A send the producer reported written, at this partition and offset. */
export interface Acknowledgement extends LogRecord {
  /** Who sent it (a producer's id), for the report. */
  readonly producer: string
  /** Sent inside a transaction that later committed (then read_committed must show it too). */
  readonly transactional?: boolean
}

/** A record a consumer's handler received. */
export interface Delivery extends LogRecord {
  readonly group: string
  readonly member: string
  /** The group generation the member was in when it got the record, if known. */
  readonly generation?: number
  /** Position in the run's sequence of events, to order it against joins and commits. */
  readonly seq: number
}

/** A member's assignment in one generation of a group. */
export interface GenerationAssignment {
  readonly group: string
  readonly generation: number
  readonly member: string
  readonly partitions: ReadonlyArray<{ readonly topic: string; readonly partition: number }>
  readonly seq: number
}

/** An offset commit that succeeded (the next offset to consume), or a user's seek or reset that may lower it. */
export interface CommitEvent {
  readonly group: string
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly member: string
  readonly seq: number
  /** `seek`: the user moved the position (seek, reset, setOffsets): the next commit may go lower. */
  readonly cause: 'commit' | 'seek'
}

/**
 * Records as Kafka's record batch format (v2, KIP-98) carries them: a producer sends a batch,
 * the leader assigns offsets, and every replica stores the same immutable records.
 */

/** One record header; Kafka allows repeated keys, so headers are a list, not a map. */
export interface RecordHeader {
  readonly key: string
  readonly value: Buffer | null
}

/** How a record's timestamp was set: by the producer, or by the broker (`message.timestamp.type`). */
export type TimestampType = 'CreateTime' | 'LogAppendTime'

/** A record as a producer sends it, before the leader gives it an offset. */
export interface ProducedRecord {
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: readonly RecordHeader[]
  /** The producer's CreateTime, in ms. */
  readonly timestamp: number
}

/** No producer id: the batch comes from a non-idempotent producer. */
export const NO_PRODUCER_ID = -1

/** A record batch as a producer sends it to a partition leader (one per partition per Produce request). */
export interface ProducedBatch {
  /** -1 unless the producer is idempotent or transactional (KIP-98). */
  readonly producerId: number
  readonly producerEpoch: number
  /** Sequence number of the first record; -1 without idempotence. */
  readonly baseSequence: number
  readonly transactional: boolean
  readonly records: readonly ProducedRecord[]
}

/** Commit or abort marker written by the transaction coordinator (a control record, KIP-98). */
export type ControlType = 'COMMIT' | 'ABORT'

/**
 * A record as stored in a partition log and returned by Fetch. Frozen once appended:
 * consumers and followers share it, and the log is the truth.
 */
export interface LogRecord {
  readonly offset: number
  readonly timestamp: number
  readonly timestampType: TimestampType
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: readonly RecordHeader[]
  /** The leader epoch in which the leader appended this record (used for truncation, KIP-101). */
  readonly leaderEpoch: number
  readonly producerId: number
  readonly producerEpoch: number
  /** -1 without idempotence. */
  readonly sequence: number
  readonly transactional: boolean
  /** Set on transaction markers, which consumers never see as messages. */
  readonly control?: ControlType
  /** Approximate size on disk, used for max.message.bytes and fetch max bytes. */
  readonly sizeInBytes: number
}

/** Kafka's per-record overhead in a v2 batch, roughly: attributes, varint deltas, lengths. */
const RECORD_OVERHEAD_BYTES = 21

/** Approximate encoded size of a record, as a v2 batch would store it. */
export function recordSize(record: Pick<ProducedRecord, 'key' | 'value' | 'headers'>): number {
  let size = RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0)
  for (const header of record.headers) size += Buffer.byteLength(header.key) + (header.value?.length ?? 0) + 2
  return size
}

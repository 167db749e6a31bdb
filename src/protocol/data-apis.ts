/** Requests and responses of Kafka's data path: Produce, Fetch, ListOffsets, OffsetForLeaderEpoch, DeleteRecords. */
import type { ProducedBatch, RecordBatch } from './records.js'

/** `acks`: 0 (no answer awaited), 1 (leader), -1 (all in-sync replicas). */
export type Acks = -1 | 0 | 1

/** Produce (API key 0). */
export interface ProduceRequest {
  readonly acks: Acks
  /** How long the leader may wait for the ISR to acknowledge (acks=-1) before REQUEST_TIMED_OUT. */
  readonly timeoutMs: number
  readonly transactionalId: string | null
  readonly topics: ReadonlyArray<{
    readonly topic: string
    readonly partitions: ReadonlyArray<{ readonly partition: number; readonly batch: ProducedBatch }>
  }>
}

export interface ProducePartitionResponse {
  readonly partition: number
  readonly errorCode: number
  readonly errorMessage?: string
  /** Offset of the first record of the batch, -1 on error. */
  readonly baseOffset: number
  /** -1 unless the topic uses LogAppendTime. */
  readonly logAppendTime: number
  readonly logStartOffset: number
}

export interface ProduceResponse {
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly ProducePartitionResponse[] }>
}

/** Consumers send -1 as replica id; followers send their broker id. */
export const CONSUMER_REPLICA_ID = -1

/** 0 = read_uncommitted, 1 = read_committed (KIP-98). */
export type IsolationLevel = 0 | 1

/** Fetch (API key 1), sent by consumers and by followers (with their replica id). */
export interface FetchRequest {
  readonly replicaId: number
  /**
   * A follower's broker epoch (Fetch v15 `ReplicaState.ReplicaEpoch`, KIP-903): which incarnation
   * of the broker sent the fetch. Absent or -1 from consumers.
   */
  readonly replicaEpoch?: number
  /** Long-poll: the leader answers when `minBytes` are available or after this many ms. */
  readonly maxWaitMs: number
  readonly minBytes: number
  readonly maxBytes: number
  readonly isolationLevel: IsolationLevel
  /**
   * kafkalite only, never on Kafka's wire: the consumer group member sending this fetch. Its
   * long-poll then also ends (early and empty, which Kafka allows) when its group starts a
   * rebalance, so the member hears of it at once instead of after `maxWaitMs`.
   */
  readonly groupMember?: { readonly groupId: string; readonly memberId: string }
  /**
   * Incremental fetch sessions (KIP-227, Fetch v7): 0 with epoch {@link INITIAL_FETCH_EPOCH} opens a
   * session; a session's id with its next epoch sends only the partitions whose fetch state changed
   * (and {@link FetchRequest.forgottenTopics}), and the answer holds only the partitions with
   * something new. Absent, or epoch {@link FINAL_FETCH_EPOCH}: a sessionless full fetch.
   */
  readonly sessionId?: number
  readonly sessionEpoch?: number
  /** Partitions leaving the session (KIP-227 `ForgottenTopicsData`). */
  readonly forgottenTopics?: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }>
  readonly topics: ReadonlyArray<{
    readonly topic: string
    readonly partitions: ReadonlyArray<{
      readonly partition: number
      readonly fetchOffset: number
      readonly partitionMaxBytes: number
      /** The leader epoch the fetcher believes current; -1 to skip the check (KIP-320). */
      readonly currentLeaderEpoch: number
    }>
  }>
}

export interface AbortedTransaction {
  readonly producerId: number
  readonly firstOffset: number
}

export interface FetchPartitionResponse {
  readonly partition: number
  readonly errorCode: number
  readonly highWatermark: number
  readonly lastStableOffset: number
  readonly logStartOffset: number
  /** With read_committed: aborted transactions overlapping the returned records. */
  readonly abortedTransactions: readonly AbortedTransaction[]
  /**
   * Whole batches, as Kafka returns them: the first may start below the fetch offset. Shared with
   * the log, so a reader copies the bytes it hands out (`recordsOf`).
   */
  readonly batches: readonly RecordBatch[]
}

/** KIP-227: the epoch that opens a fetch session, and the one that fetches without (or closes) one. */
export const INITIAL_FETCH_EPOCH = 0
export const FINAL_FETCH_EPOCH = -1

/** The session epoch after `epoch` (KIP-227: it wraps to 1, never back to the initial epoch). */
export function nextFetchEpoch(epoch: number): number {
  return epoch >= 0x7fffffff ? 1 : epoch + 1
}

export interface FetchResponse {
  /** A fetch-session error (FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH): the request did nothing. */
  readonly errorCode?: number
  /** The session this answer belongs to; 0 (or absent) when the fetch had none. */
  readonly sessionId?: number
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly FetchPartitionResponse[] }>
}

/** ListOffsets special timestamps. */
export const LATEST_TIMESTAMP = -1
export const EARLIEST_TIMESTAMP = -2

/** ListOffsets (API key 2). */
export interface ListOffsetsRequest {
  readonly replicaId: number
  readonly isolationLevel: IsolationLevel
  readonly topics: ReadonlyArray<{
    readonly topic: string
    readonly partitions: ReadonlyArray<{
      readonly partition: number
      readonly timestamp: number
      /** The leader epoch the client believes current (ListOffsets v4+, KIP-320); absent or -1 to skip the check. */
      readonly currentLeaderEpoch?: number
    }>
  }>
}

export interface ListOffsetsResponse {
  readonly topics: ReadonlyArray<{
    readonly topic: string
    readonly partitions: ReadonlyArray<{
      readonly partition: number
      readonly errorCode: number
      readonly timestamp: number
      /** -1 when no record has a timestamp at or after the one asked for. */
      readonly offset: number
      readonly leaderEpoch: number
    }>
  }>
}

/** OffsetForLeaderEpoch (API key 23): how a restarted follower finds where to truncate (KIP-101, KIP-279). */
export interface OffsetForLeaderEpochRequest {
  readonly replicaId: number
  readonly topics: ReadonlyArray<{
    readonly topic: string
    readonly partitions: ReadonlyArray<{ readonly partition: number; readonly currentLeaderEpoch: number; readonly leaderEpoch: number }>
  }>
}

export interface OffsetForLeaderEpochResponse {
  readonly topics: ReadonlyArray<{
    readonly topic: string
    readonly partitions: ReadonlyArray<{
      readonly partition: number
      readonly errorCode: number
      readonly leaderEpoch: number
      readonly endOffset: number
    }>
  }>
}

/** DeleteRecords (API key 21): moves partitions' log start offsets up, at their leaders. */
export interface DeleteRecordsRequest {
  readonly topics: ReadonlyArray<{
    readonly topic: string
    /** `offset`: every record below it goes; -1 means the high watermark. */
    readonly partitions: ReadonlyArray<{ readonly partition: number; readonly offset: number }>
  }>
  readonly timeoutMs: number
}

export interface DeleteRecordsResponse {
  readonly topics: ReadonlyArray<{
    readonly topic: string
    /** `lowWatermark`: the partition's log start offset after the deletion, -1 on error. */
    readonly partitions: ReadonlyArray<{ readonly partition: number; readonly lowWatermark: number; readonly errorCode: number }>
  }>
}

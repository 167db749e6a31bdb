/**
 * The operations of a test history, in the spirit of Jepsen's Kafka workload (`jepsen.tests.kafka`):
 * what each client process did, when (on the test's virtual clock), and what came of it.
 * Plain, JSON-friendly data: values are strings, so a history can be saved and checked later.
 */

/** A topic and a partition of it. */
export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

/** One record as a consumer received it. */
export interface ReadRecord extends TopicPartition {
  readonly offset: number
  readonly key?: string | null
  readonly value: string
}

/** A committed offset: the next offset the group will consume from that partition (Kafka's convention). */
export interface CommittedOffset extends TopicPartition {
  readonly offset: number
}

/**
 * What came of a send, in Jepsen's three outcomes:
 * - `ok`: the broker acknowledged the record at this partition and offset;
 * - `fail`: the send certainly did not append the record (for example `NOT_ENOUGH_REPLICAS`, rejected before append).
 *   A record from a `fail` send that a consumer reads anyway is an anomaly, so record `fail` only when the error
 *   proves the record was not written;
 * - `info`: unknown: timed out, or failed in a way that does not say whether the record was appended
 *   (`REQUEST_TIMED_OUT`, `NOT_ENOUGH_REPLICAS_AFTER_APPEND`, a retried send whose earlier attempt may have landed).
 *   The record may or may not appear later; neither is an anomaly.
 */
export type SendOutcome =
  | { readonly type: 'ok'; readonly partition: number; readonly offset: number }
  | { readonly type: 'fail'; readonly error: string }
  | { readonly type: 'info'; readonly error?: string }

/** What came of an offset commit: `ok`, certainly not applied (`fail`), or unknown (`info`). */
export type CommitOutcome =
  | { readonly type: 'ok' }
  | { readonly type: 'fail'; readonly error: string }
  | { readonly type: 'info'; readonly error?: string }

/**
 * Fields every operation has. As in Jepsen, a `process` is one logical thread of the test: it performs one
 * operation at a time, and records it when it completes. Give concurrent senders or consumers distinct process ids;
 * a consumer's process id is its consumer id.
 */
export interface OperationBase {
  /** Who did it: a producer's or consumer's id, or e.g. `'nemesis'` for faults. */
  readonly process: string
  /** When it completed, in milliseconds of the test's (virtual) clock. */
  readonly time: number
}

/** A producer sent one record. `partition` is the one asked for, if the caller chose it. */
export interface SendOperation extends OperationBase {
  readonly type: 'send'
  readonly topic: string
  readonly partition?: number
  readonly key?: string | null
  readonly value: string
  readonly outcome: SendOutcome
}

/** A consumer polled and received these records (possibly none), in the order it received them. */
export interface PollOperation extends OperationBase {
  readonly type: 'poll'
  readonly records: readonly ReadRecord[]
}

/** A consumer committed offsets for its group. */
export interface CommitOperation extends OperationBase {
  readonly type: 'commit'
  readonly offsets: readonly CommittedOffset[]
  readonly outcome: CommitOutcome
}

/**
 * A consumer manually assigned itself these partitions (as Java's `KafkaConsumer.assign`): it keeps its position in
 * the partitions it already had, so its reads of those must go on in order; it forgets the others.
 */
export interface AssignOperation extends OperationBase {
  readonly type: 'assign'
  readonly partitions: readonly TopicPartition[]
}

/**
 * A consumer group rebalance gave this consumer these partitions. The consumer resumes each from the group's
 * committed offset, which may lie before what it last read (at-least-once redelivery), so the checker forgets every
 * position the consumer had: polls are compared only between rebalances.
 */
export interface RebalanceOperation extends OperationBase {
  readonly type: 'rebalance'
  readonly partitions: readonly TopicPartition[]
}

/** A consumer moved its position in one partition (KafkaJS `consumer.seek`): the checker forgets its position there. */
export interface SeekOperation extends OperationBase {
  readonly type: 'seek'
  readonly topic: string
  readonly partition: number
  readonly offset: number
}

/** Something the test did to the cluster, in free text: `crash broker 2`, `restart broker 2`, `isolate 1`, `heal`. */
export interface FaultOperation extends OperationBase {
  readonly type: 'fault'
  readonly description: string
}

/** Any operation of a history. */
export type Operation =
  | SendOperation
  | PollOperation
  | CommitOperation
  | AssignOperation
  | RebalanceOperation
  | SeekOperation
  | FaultOperation

/** The name of an operation type: `'send'`, `'poll'`, ... */
export type OperationType = Operation['type']

type WithOptionalTime<T> = T extends OperationBase ? Omit<T, 'time'> & { readonly time?: number } : never

/** An operation as given to {@link History.record}: `time` may be left out when the history has a clock. */
export type OperationInput = WithOptionalTime<Operation>

/** Requests and responses of Kafka's idempotent and transactional producer (KIP-98, KIP-447). */
import type { ControlType } from './records.js'
import type { PartitionErrors } from './group-apis.js'

/** InitProducerId (API key 22). */
export interface InitProducerIdRequest {
  readonly transactionalId: string | null
  readonly transactionTimeoutMs: number
  /**
   * KIP-360 (v3+): the producer id and epoch the producer holds, to bump its epoch instead of being
   * treated as a new producer that fences the old one; -1 or absent when it holds none.
   */
  readonly producerId?: number
  readonly producerEpoch?: number
}

export interface InitProducerIdResponse {
  readonly errorCode: number
  readonly producerId: number
  readonly producerEpoch: number
}

interface TxnRequestBase {
  readonly transactionalId: string
  readonly producerId: number
  readonly producerEpoch: number
}

/** AddPartitionsToTxn (API key 24). */
export interface AddPartitionsToTxnRequest extends TxnRequestBase {
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }>
}

export type AddPartitionsToTxnResponse = PartitionErrors

/** AddOffsetsToTxn (API key 25). */
export interface AddOffsetsToTxnRequest extends TxnRequestBase {
  readonly groupId: string
}

export interface AddOffsetsToTxnResponse {
  readonly errorCode: number
}

/** EndTxn (API key 26). */
export interface EndTxnRequest extends TxnRequestBase {
  readonly committed: boolean
}

export interface EndTxnResponse {
  readonly errorCode: number
}

/** WriteTxnMarkers (API key 27): sent by the transaction coordinator to partition leaders. */
export interface WriteTxnMarkersRequest {
  readonly markers: ReadonlyArray<{
    readonly producerId: number
    readonly producerEpoch: number
    readonly type: ControlType
    readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }>
    readonly coordinatorEpoch: number
  }>
}

export interface WriteTxnMarkersResponse {
  readonly markers: ReadonlyArray<{ readonly producerId: number } & PartitionErrors>
}

/** TxnOffsetCommit (API key 28). */
export interface TxnOffsetCommitRequest extends TxnRequestBase {
  readonly groupId: string
  readonly generationId: number
  readonly memberId: string
  readonly topics: ReadonlyArray<{
    readonly topic: string
    readonly partitions: ReadonlyArray<{ readonly partition: number; readonly offset: number; readonly metadata: string | null }>
  }>
}

export type TxnOffsetCommitResponse = PartitionErrors

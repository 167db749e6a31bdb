/**
 * The transactional producer's side of KIP-98, as KafkaJS's EosManager models it: the states
 * UNINITIALIZED -> READY -> TRANSACTING -> COMMITTING / ABORTING -> READY, InitProducerId at the
 * transaction coordinator, AddPartitionsToTxn before the first send to a partition,
 * AddOffsetsToTxn + TxnOffsetCommit for `sendOffsets`, and EndTxn.
 *
 * Beyond KafkaJS, as the Java producer: a producer fenced by a newer one with the same
 * transactional id (PRODUCER_FENCED, INVALID_PRODUCER_EPOCH) is unusable from then on; a
 * transaction in which a send failed can only be aborted; and a failed commit or abort leaves the
 * transaction open, so the caller can retry or abort instead of being stuck.
 */
import { Errors } from '../../protocol/error-codes.js'
import type { ApiName, RequestOf, ResponseOf } from '../../protocol/api.js'
import { topicPartitionKey } from '../../protocol/topic-partition.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSError, KafkaJSNonRetriableError, KafkaJSProtocolError, protocolError } from '../errors.js'
import type { Logger } from '../logger.js'
import { Idempotence } from './idempotence.js'

/** KafkaJS's transaction states. */
export type TransactionManagerState = 'UNINITIALIZED' | 'READY' | 'TRANSACTING' | 'COMMITTING' | 'ABORTING'

/** KafkaJS's default `transactionTimeout`. */
export const DEFAULT_TRANSACTION_TIMEOUT = 60_000

/** Errors meaning a newer producer with the same transactional id took over. */
const FENCED = new Set<string>([Errors.PRODUCER_FENCED.type, Errors.INVALID_PRODUCER_EPOCH.type])

/** Offsets of `sendOffsets`, as KafkaJS takes them (offsets as strings: the next offset to consume). */
export interface OffsetsToSend {
  consumerGroupId: string
  topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>
}

/** A transactional producer's transaction state and its requests to the coordinators. */
export class TransactionManager {
  readonly idempotence = new Idempotence()
  private current: TransactionManagerState = 'UNINITIALIZED'
  private readonly partitions = new Set<string>()
  private offsetsAdded = false
  private fencedBy: KafkaJSError | undefined
  private sendFailure: Error | undefined

  constructor(
    private readonly client: BrokerRouter,
    private readonly logger: Logger,
    readonly transactionalId: string,
    private readonly transactionTimeout: number,
  ) {}

  get state(): TransactionManagerState {
    return this.current
  }

  isInTransaction(): boolean {
    return this.current === 'TRANSACTING'
  }

  /** Throws if a newer producer fenced this one. */
  checkNotFenced(): void {
    if (this.fencedBy !== undefined) {
      throw new KafkaJSNonRetriableError(`Producer with transactional id "${this.transactionalId}" was fenced by a newer producer with the same id: create a new producer (${this.fencedBy.message})`, { cause: this.fencedBy })
    }
  }

  /**
   * Starts a transaction: InitProducerId first, once; and again after a send was given up that the
   * broker may hold, naming the producer id and epoch so the coordinator bumps the epoch (KIP-360,
   * as the Java producer after an abortable error), and sequences restart on the new epoch.
   */
  async begin(): Promise<void> {
    this.checkNotFenced()
    if (this.current === 'TRANSACTING' || this.current === 'COMMITTING' || this.current === 'ABORTING') {
      throw new KafkaJSNonRetriableError('There is already an ongoing transaction for this producer. Please end the transaction before beginning another.')
    }
    if (this.current === 'UNINITIALIZED') await this.initProducerId({})
    else if (this.idempotence.epochBumpRequired) await this.initProducerId({ producerId: this.idempotence.producerId, producerEpoch: this.idempotence.producerEpoch })
    this.partitions.clear()
    this.offsetsAdded = false
    this.sendFailure = undefined
    this.current = 'TRANSACTING'
  }

  /** AddPartitionsToTxn for the partitions not yet in the transaction. */
  async addPartitions(partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<void> {
    const fresh = new Map<string, number[]>()
    for (const { topic, partition } of partitions) {
      if (this.partitions.has(topicPartitionKey(topic, partition))) continue
      fresh.set(topic, [...(fresh.get(topic) ?? []), partition])
    }
    if (fresh.size === 0) return
    const topics = [...fresh].map(([topic, ps]) => ({ topic, partitions: ps }))
    const response = await this.coordinatorRequest('AddPartitionsToTxn', { ...this.ids(), topics })
    const failed = response.topics.flatMap((t) => t.partitions.filter((p) => p.errorCode !== 0).map((p) => ({ topic: t.topic, ...p })))
    // OPERATION_NOT_ATTEMPTED only accompanies the real error: report that one.
    const first = failed.find((p) => p.errorCode !== Errors.OPERATION_NOT_ATTEMPTED.code) ?? failed[0]
    if (first !== undefined) throw this.noteError(protocolError(first.errorCode, `adding ${first.topic}-${first.partition} to transaction "${this.transactionalId}"`)!)
    for (const t of topics) for (const p of t.partitions) this.partitions.add(topicPartitionKey(t.topic, p))
  }

  /** Throws if the transaction can only be aborted: a send in it failed (Kafka's abortable error state). */
  checkSendable(): void {
    this.checkNotFenced()
    if (this.sendFailure !== undefined) {
      throw new KafkaJSNonRetriableError(`Cannot send in transaction "${this.transactionalId}": an earlier send in it failed (${this.sendFailure.message}); abort it`, { cause: this.sendFailure })
    }
  }

  /** Records a failed send of this transaction: it can then only be aborted (Kafka's abortable error). */
  sendFailed(error: Error): void {
    this.sendFailure = error
    if (error instanceof KafkaJSError) this.noteError(error)
    const cause = (error as { cause?: unknown }).cause
    if (cause instanceof KafkaJSError) this.noteError(cause)
  }

  /** AddOffsetsToTxn at the transaction coordinator, then TxnOffsetCommit at the group's coordinator. */
  async sendOffsets({ consumerGroupId, topics }: OffsetsToSend): Promise<void> {
    const added = await this.coordinatorRequest('AddOffsetsToTxn', { ...this.ids(), groupId: consumerGroupId })
    if (added.errorCode !== 0) throw this.noteError(protocolError(added.errorCode, `adding the offsets of group "${consumerGroupId}" to transaction "${this.transactionalId}"`)!)
    this.offsetsAdded = true
    const request = {
      ...this.ids(),
      groupId: consumerGroupId,
      generationId: -1,
      memberId: '',
      topics: topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => ({ partition: p.partition, offset: Number(p.offset), metadata: null })) })),
    }
    await this.client.retrier(async (bail) => {
      const coordinator = await this.client.findCoordinator(consumerGroupId, 0)
      const result = await this.client.send(coordinator, 'TxnOffsetCommit', request)
      const failed = result.topics.flatMap((t) => t.partitions.filter((p) => p.errorCode !== 0).map((p) => ({ topic: t.topic, ...p })))[0]
      if (failed === undefined) return result
      const error = protocolError(failed.errorCode, `committing the offset of ${failed.topic}-${failed.partition} for group "${consumerGroupId}" in transaction "${this.transactionalId}"`)!
      if (error.retriable) throw error
      return bail(this.noteError(error))
    })
  }

  /** EndTxn with commit; a transaction that wrote nothing ends without a request, as in KafkaJS. */
  commit(): Promise<void> {
    if (this.sendFailure !== undefined) {
      return Promise.reject(
        new KafkaJSNonRetriableError(`Cannot commit transaction "${this.transactionalId}": a send in it failed (${this.sendFailure.message}); abort it instead`, { cause: this.sendFailure }),
      )
    }
    return this.end(true)
  }

  /** EndTxn with abort. */
  abort(): Promise<void> {
    return this.end(false)
  }

  private async end(committed: boolean): Promise<void> {
    this.checkNotFenced()
    this.current = committed ? 'COMMITTING' : 'ABORTING'
    try {
      if (this.partitions.size > 0 || this.offsetsAdded) {
        const response = await this.coordinatorRequest('EndTxn', { ...this.ids(), committed })
        if (response.errorCode !== 0) throw this.noteError(protocolError(response.errorCode, `${committed ? 'committing' : 'aborting'} transaction "${this.transactionalId}"`)!)
      } else {
        this.logger.debug('No partitions or offsets registered, not sending EndTxn', { transactionalId: this.transactionalId })
      }
      this.current = 'READY'
    } catch (error) {
      this.current = 'TRANSACTING'
      throw error
    }
  }

  /** InitProducerId at the coordinator, retried while the previous transaction of this id is still ending. */
  private async initProducerId(current: { producerId?: number; producerEpoch?: number }): Promise<void> {
    const response = await this.coordinatorRequest('InitProducerId', { transactionalId: this.transactionalId, transactionTimeoutMs: this.transactionTimeout, ...current })
    if (response.errorCode !== 0) throw protocolError(response.errorCode, `initialising transactional id "${this.transactionalId}"`)!
    this.idempotence.reset(response.producerId, response.producerEpoch)
    this.current = 'READY'
    this.logger.debug('Initialized producer id & epoch', { producerId: response.producerId, producerEpoch: response.producerEpoch })
  }

  private ids(): { transactionalId: string; producerId: number; producerEpoch: number } {
    return { transactionalId: this.transactionalId, producerId: this.idempotence.producerId, producerEpoch: this.idempotence.producerEpoch }
  }

  /**
   * Sends to the transaction coordinator, finding it again and retrying while it moves or is busy
   * (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, CONCURRENT_TRANSACTIONS, connection errors).
   */
  private coordinatorRequest<K extends ApiName>(api: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
    return this.client.retrier(async (bail) => {
      const coordinator = await this.client.findCoordinator(this.transactionalId, 1)
      const response = await this.client.send(coordinator, api, request)
      const code = errorCodeOf(response)
      const error = protocolError(code, `${api} for transactional id "${this.transactionalId}"`)
      if (error?.retriable) throw error
      return error !== undefined && api === 'InitProducerId' ? bail(this.noteError(error)) : response
    })
  }

  private noteError<E extends KafkaJSError>(error: E): E {
    if (error instanceof KafkaJSProtocolError && FENCED.has(error.type)) this.fencedBy ??= error
    // The coordinator forgot the transactional id (`transactional.id.expiration.ms`): as the Java
    // producer, the transaction can only be aborted, and the next one starts with an InitProducerId
    // naming the old producer id, which the coordinator answers with a new one (KIP-360).
    if (error instanceof KafkaJSProtocolError && error.type === Errors.INVALID_PRODUCER_ID_MAPPING.type) this.idempotence.requireEpochBump()
    return error
  }
}

/** The first error code of a transaction API response (top level or per partition). */
function errorCodeOf(response: unknown): number {
  const r = response as { errorCode?: number; topics?: Array<{ partitions: Array<{ errorCode: number }> }> }
  if (r.errorCode !== undefined) return r.errorCode
  for (const t of r.topics ?? []) for (const p of t.partitions) if (p.errorCode !== 0 && p.errorCode !== Errors.OPERATION_NOT_ATTEMPTED.code) return p.errorCode
  return 0
}

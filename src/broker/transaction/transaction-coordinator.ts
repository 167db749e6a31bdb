/**
 * Kafka's `TransactionCoordinator` (KIP-98): InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn
 * and EndTxn, with the answers Kafka gives. Ending a transaction moves it to PrepareCommit or
 * PrepareAbort, answers the producer, then writes the markers (see transaction-marker-writer.ts)
 * and completes it. A new InitProducerId for the same transactional id bumps the epoch, which
 * fences the older producer and aborts its open transaction. A transaction open for longer than
 * its timeout is aborted, with an epoch bump, by a periodic check
 * (`transaction.abort.timed.out.transaction.cleanup.interval.ms`).
 *
 * One coordinator per cluster: it models state Kafka keeps in the replicated
 * `__transaction_state` topic, so it survives the crash of the coordinator broker (a
 * docs/semantics.md row). The handlers route requests only to the broker that leads the
 * transactional id's `__transaction_state` partition.
 */
import {
  Errors,
  type AddOffsetsToTxnRequest,
  type AddOffsetsToTxnResponse,
  type AddPartitionsToTxnRequest,
  type AddPartitionsToTxnResponse,
  type EndTxnRequest,
  type EndTxnResponse,
  type InitProducerIdRequest,
  type InitProducerIdResponse,
} from '../../protocol/index.js'
import type { Clock, TimerHandle } from '../../time/index.js'
import { ProducerIdManager } from './producer-id-manager.js'
import { MAX_PRODUCER_EPOCH, TransactionMetadata } from './transaction-metadata.js'
import { writeMarkers, type MarkerRouting } from './transaction-marker-writer.js'

/** Kafka's `transaction.abort.timed.out.transaction.cleanup.interval.ms` default. */
export const ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS = 10_000

/** What the coordinator needs from its cluster. */
export interface TransactionCoordinatorOptions {
  readonly clock: Clock
  /** `transaction.max.timeout.ms`. */
  readonly maxTimeoutMs: number
  /** `transactional.id.expiration.ms`: an idle transactional id is forgotten after this long. */
  readonly transactionalIdExpirationMs: number
  /** `transaction.remove.expired.transaction.cleanup.interval.ms`: how often idle ids are looked for. */
  readonly removeExpiredCleanupIntervalMs: number
  readonly routing: MarkerRouting
  partitionExists(topic: string, partition: number): boolean
  /** The `__consumer_offsets` partition whose leader coordinates `groupId` (its marker completes the group's offsets). */
  offsetsPartitionOf(groupId: string): { topic: string; partition: number }
}

type TxnRequest = { transactionalId: string; producerId: number; producerEpoch: number }

/** The transaction coordinator of a cluster. */
export class TransactionCoordinator {
  readonly producerIds = new ProducerIdManager()
  private readonly transactions = new Map<string, TransactionMetadata>()
  private readonly markerWrites = new Set<Promise<void>>()
  private timeoutCheck: TimerHandle | undefined

  constructor(private readonly opts: TransactionCoordinatorOptions) {
    this.scheduleExpiredIdRemoval()
  }

  /** How many transactional ids the coordinator keeps state for. */
  get transactionalIdCount(): number {
    return this.transactions.size
  }

  /**
   * Kafka's `removeExpiredTransactionalIds`: forgets every transactional id with no transaction
   * under way and no activity for `transactional.id.expiration.ms`. A producer that comes back
   * with it gets INVALID_PRODUCER_ID_MAPPING until it calls InitProducerId again, which starts it
   * afresh with a new producer id. Returns how many ids were forgotten.
   */
  removeExpiredTransactionalIds(): number {
    const now = this.opts.clock.now()
    let removed = 0
    for (const [id, txn] of this.transactions) {
      if (!txn.isExpired(now, this.opts.transactionalIdExpirationMs)) continue
      this.transactions.delete(id)
      removed++
    }
    return removed
  }

  /** Runs {@link removeExpiredTransactionalIds} every cleanup interval, in the background. */
  private scheduleExpiredIdRemoval(): void {
    this.opts.clock.setTimeout(
      () => {
        this.removeExpiredTransactionalIds()
        this.scheduleExpiredIdRemoval()
      },
      this.opts.removeExpiredCleanupIntervalMs,
      { background: true },
    )
  }

  /** The coordinator's record of a transactional id, for tests and descriptions. */
  transaction(transactionalId: string): TransactionMetadata | undefined {
    return this.transactions.get(transactionalId)
  }

  /** Every transactional id the coordinator knows, for `describe()` (Kafka's ListTransactions, KIP-664). */
  allTransactions(): readonly TransactionMetadata[] {
    return [...this.transactions.values()]
  }

  /**
   * InitProducerId. Without transactional id: a fresh producer id, epoch 0 (idempotence only; as
   * Kafka, a producer id and epoch in the request are ignored). With one: its producer id with the
   * epoch bumped, fencing older producers; an open transaction is aborted first and the producer
   * told CONCURRENT_TRANSACTIONS, so it retries once the abort is done.
   *
   * KIP-360: a request that names the producer id and epoch it holds bumps that epoch (a new
   * producer id once the epoch is exhausted); a retry of a bump already done, naming the epoch
   * before it, gets the current one back; any other epoch is PRODUCER_FENCED.
   */
  initProducerId(req: InitProducerIdRequest): InitProducerIdResponse {
    const fail = (code: number): InitProducerIdResponse => ({ errorCode: code, producerId: -1, producerEpoch: -1 })
    if (req.transactionalId === null) return { errorCode: 0, producerId: this.producerIds.allocate(), producerEpoch: 0 }
    if (req.transactionalId === '') return fail(Errors.INVALID_REQUEST.code)
    if (!Number.isInteger(req.transactionTimeoutMs) || req.transactionTimeoutMs <= 0 || req.transactionTimeoutMs > this.opts.maxTimeoutMs) {
      return fail(Errors.INVALID_TRANSACTION_TIMEOUT.code)
    }
    let txn = this.transactions.get(req.transactionalId)
    if (txn === undefined) {
      txn = new TransactionMetadata(req.transactionalId, this.producerIds.allocate(), 0, req.transactionTimeoutMs, this.opts.clock.now())
      this.transactions.set(req.transactionalId, txn)
      return { errorCode: 0, producerId: txn.producerId, producerEpoch: txn.producerEpoch }
    }
    const expected = (req.producerEpoch ?? -1) >= 0 ? { producerId: req.producerId ?? -1, producerEpoch: req.producerEpoch ?? -1 } : undefined
    // Kafka's isValidProducerId: the current id, or the previous one whose epoch was exhausted.
    if (expected !== undefined && expected.producerId !== txn.producerId && !(expected.producerId === txn.lastProducerId && isEpochExhausted(expected.producerEpoch))) {
      return fail(Errors.PRODUCER_FENCED.code)
    }
    if (txn.isPreparing) return fail(Errors.CONCURRENT_TRANSACTIONS.code)
    if (txn.state === 'Ongoing') {
      this.bumpEpoch(txn, false)
      this.endTransaction(txn, false)
      return fail(Errors.CONCURRENT_TRANSACTIONS.code)
    }
    if (expected !== undefined && expected.producerEpoch !== txn.producerEpoch) {
      // Kafka's prepareIncrementProducerEpoch: the epoch before the last bump is a retry of that bump.
      const retried = expected.producerId === txn.lastProducerId && expected.producerEpoch === txn.lastProducerEpoch
      return retried ? { errorCode: 0, producerId: txn.producerId, producerEpoch: txn.producerEpoch } : fail(Errors.PRODUCER_FENCED.code)
    }
    this.bumpEpoch(txn, expected !== undefined)
    txn.timeoutMs = req.transactionTimeoutMs
    txn.transitionTo('Empty', this.opts.clock.now())
    return { errorCode: 0, producerId: txn.producerId, producerEpoch: txn.producerEpoch }
  }

  /** AddPartitionsToTxn: the partitions join the transaction, which becomes Ongoing. */
  addPartitionsToTxn(req: AddPartitionsToTxnRequest): AddPartitionsToTxnResponse {
    const answer = (code: (topic: string, partition: number) => number): AddPartitionsToTxnResponse => ({
      topics: req.topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => ({ partition: p, errorCode: code(t.topic, p) })) })),
    })
    const error = this.checkProducer(req)
    if (error !== 0) return answer(() => error)
    const unknown = (topic: string, partition: number) => !this.opts.partitionExists(topic, partition)
    if (req.topics.some((t) => t.partitions.some((p) => unknown(t.topic, p)))) {
      // Kafka answers the unknown partitions and does not attempt the others.
      return answer((topic, partition) => (unknown(topic, partition) ? Errors.UNKNOWN_TOPIC_OR_PARTITION.code : Errors.OPERATION_NOT_ATTEMPTED.code))
    }
    const txn = this.transactions.get(req.transactionalId)!
    this.begin(txn)
    txn.addPartitions(req.topics)
    return answer(() => 0)
  }

  /** AddOffsetsToTxn: the group's offsets partition joins the transaction (TxnOffsetCommit follows, at the group coordinator). */
  addOffsetsToTxn(req: AddOffsetsToTxnRequest): AddOffsetsToTxnResponse {
    const error = this.checkProducer(req)
    if (error !== 0) return { errorCode: error }
    const txn = this.transactions.get(req.transactionalId)!
    this.begin(txn)
    txn.groups.add(req.groupId)
    return { errorCode: 0 }
  }

  /**
   * KIP-890 part 1's verification of a TxnOffsetCommit (`transaction.partition.verification.enable`): the group
   * coordinator stages offsets only for a transaction that is still ongoing, by this producer id and epoch, with the
   * group added (AddOffsetsToTxn). A late TxnOffsetCommit of a transaction that was fenced or ended would otherwise
   * stay staged for good, no marker left to complete it, and the group's offsets unstable (a hanging transaction).
   * Returns 0 or the error code to answer with.
   */
  verifyOffsetCommit(req: TxnRequest & { readonly groupId: string }): number {
    return this.verifyOngoing(req, (txn) => txn.groups.has(req.groupId), { concurrent: Errors.INVALID_TXN_STATE.code, fenced: Errors.PRODUCER_FENCED.code })
  }

  /**
   * KIP-890 part 1's verification of a transactional Produce (`transaction.partition.verification.enable`): a partition
   * leader appends a producer's first batch of a transaction only if the transaction is still ongoing, by this producer
   * id and epoch, with the partition added (AddPartitionsToTxn). A late batch of a transaction that ended or was fenced
   * would otherwise open a transaction at the partition that no marker closes: its last stable offset stuck there, and
   * read_committed consumers with it (a hanging transaction). Returns 0 or the error code Produce answers with: a
   * transaction being completed (CONCURRENT_TRANSACTIONS) as the retriable NOT_ENOUGH_REPLICAS, as Kafka's
   * ReplicaManager does for clients that know only Produce's errors (KAFKA-15459), and another epoch as Produce's
   * INVALID_PRODUCER_EPOCH.
   */
  verifyProduce(req: TxnRequest, topic: string, partition: number): number {
    return this.verifyOngoing(req, (txn) => txn.hasPartition(topic, partition), { concurrent: Errors.NOT_ENOUGH_REPLICAS.code, fenced: Errors.INVALID_PRODUCER_EPOCH.code })
  }

  /**
   * 0 if `req`'s producer has its transaction ongoing and `holds` it (the partition or group added), else the error the
   * verifying API answers: its own codes for a transaction being completed and for another epoch, INVALID_TXN_STATE
   * for one not ongoing or without it.
   */
  private verifyOngoing(req: TxnRequest, holds: (txn: TransactionMetadata) => boolean, codes: { readonly concurrent: number; readonly fenced: number }): number {
    const error = this.checkProducer(req)
    if (error === Errors.CONCURRENT_TRANSACTIONS.code) return codes.concurrent
    if (error === Errors.PRODUCER_FENCED.code) return codes.fenced
    if (error !== 0) return error
    const txn = this.transactions.get(req.transactionalId)!
    return txn.state === 'Ongoing' && holds(txn) ? 0 : Errors.INVALID_TXN_STATE.code
  }

  /**
   * EndTxn: PrepareCommit or PrepareAbort, then the markers are written in the background. A retry
   * of an EndTxn already completed with the same outcome succeeds, as in Kafka.
   */
  endTxn(req: EndTxnRequest): EndTxnResponse {
    const txn = this.transactions.get(req.transactionalId)
    if (txn === undefined || txn.producerId !== req.producerId) return { errorCode: Errors.INVALID_PRODUCER_ID_MAPPING.code }
    if (txn.producerEpoch !== req.producerEpoch) return { errorCode: Errors.PRODUCER_FENCED.code }
    switch (txn.state) {
      case 'Ongoing':
        this.endTransaction(txn, req.committed)
        return { errorCode: 0 }
      case 'CompleteCommit':
        return { errorCode: req.committed ? 0 : Errors.INVALID_TXN_STATE.code }
      case 'CompleteAbort':
        return { errorCode: req.committed ? Errors.INVALID_TXN_STATE.code : 0 }
      case 'PrepareCommit':
        return { errorCode: req.committed ? Errors.CONCURRENT_TRANSACTIONS.code : Errors.INVALID_TXN_STATE.code }
      case 'PrepareAbort':
        return { errorCode: req.committed ? Errors.INVALID_TXN_STATE.code : Errors.CONCURRENT_TRANSACTIONS.code }
      case 'Empty':
        return { errorCode: Errors.INVALID_TXN_STATE.code }
    }
  }

  /** Resolves once every marker write under way has finished (tests). */
  async markersWritten(): Promise<void> {
    while (this.markerWrites.size > 0) await Promise.all([...this.markerWrites])
  }

  /** Kafka's order of checks for AddPartitionsToTxn and AddOffsetsToTxn. */
  private checkProducer(req: TxnRequest): number {
    const txn = this.transactions.get(req.transactionalId)
    if (txn === undefined || txn.producerId !== req.producerId) return Errors.INVALID_PRODUCER_ID_MAPPING.code
    if (txn.producerEpoch !== req.producerEpoch) return Errors.PRODUCER_FENCED.code
    if (txn.isPreparing) return Errors.CONCURRENT_TRANSACTIONS.code
    return 0
  }

  private begin(txn: TransactionMetadata): void {
    if (txn.state !== 'Ongoing') {
      txn.clearTransaction()
      txn.startTimestamp = this.opts.clock.now()
      txn.transitionTo('Ongoing', this.opts.clock.now())
    }
    this.scheduleTimeoutCheck()
  }

  /**
   * Kafka's epoch bump; past Short.MaxValue the transactional id gets a new producer id. A bump the
   * producer asked for (KIP-360) remembers the epoch before it, so a retry of the request is
   * recognised; a bump that fences the producer does not.
   */
  private bumpEpoch(txn: TransactionMetadata, requested: boolean): void {
    txn.lastProducerId = txn.producerId
    txn.lastProducerEpoch = requested ? txn.producerEpoch : -1
    if (isEpochExhausted(txn.producerEpoch)) {
      txn.producerId = this.producerIds.allocate()
      txn.producerEpoch = 0
    } else {
      txn.producerEpoch++
    }
  }

  /** Prepare, write the markers (with the epoch as it is now), complete. */
  private endTransaction(txn: TransactionMetadata, committed: boolean): void {
    txn.transitionTo(committed ? 'PrepareCommit' : 'PrepareAbort', this.opts.clock.now())
    const partitions = [
      ...txn.partitionList().flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition }))),
      ...[...txn.groups].map((groupId) => this.opts.offsetsPartitionOf(groupId)),
    ]
    const job = { transactionalId: txn.transactionalId, producerId: txn.producerId, producerEpoch: txn.producerEpoch, type: committed ? ('COMMIT' as const) : ('ABORT' as const), partitions }
    const write: Promise<void> = writeMarkers(this.opts.routing, job).then(() => {
      this.markerWrites.delete(write)
      txn.transitionTo(committed ? 'CompleteCommit' : 'CompleteAbort', this.opts.clock.now())
      txn.clearTransaction()
    })
    this.markerWrites.add(write)
  }

  /** Runs the timed-out-transaction check while some transaction is open. */
  private scheduleTimeoutCheck(): void {
    if (this.timeoutCheck !== undefined) return
    this.timeoutCheck = this.opts.clock.setTimeout(
      () => {
        this.timeoutCheck = undefined
        this.abortTimedOut()
        if ([...this.transactions.values()].some((t) => t.state === 'Ongoing')) this.scheduleTimeoutCheck()
      },
      ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS,
      { background: true },
    )
  }

  /** Kafka's `abortTimedOutTransactions`: the epoch is bumped so the abandoned producer is fenced. */
  private abortTimedOut(): void {
    const now = this.opts.clock.now()
    for (const txn of this.transactions.values()) {
      if (txn.state !== 'Ongoing' || now - txn.startTimestamp <= txn.timeoutMs) continue
      this.bumpEpoch(txn, false)
      this.endTransaction(txn, false)
    }
  }
}

/** Kafka's `TransactionMetadata.isEpochExhausted`: one bump short of Short.MaxValue, kept for fencing. */
function isEpochExhausted(producerEpoch: number): boolean {
  return producerEpoch >= MAX_PRODUCER_EPOCH - 1
}

/**
 * Produce (API key 0). The leader validates each partition's batch, appends it in its current
 * leader epoch, and answers by `acks`: 0 and 1 at once, -1 (all) once every ISR member has the
 * batch (the high watermark passed it), or REQUEST_TIMED_OUT after `timeoutMs`.
 *
 * Errors as Kafka gives them: INVALID_REQUIRED_ACKS, UNKNOWN_TOPIC_OR_PARTITION, CORRUPT_MESSAGE (a batch
 * without records, or laid out beyond its bytes),
 * NOT_LEADER_OR_FOLLOWER, INVALID_TOPIC_EXCEPTION (internal topics), MESSAGE_TOO_LARGE (batch over `max.message.bytes`), NOT_ENOUGH_REPLICAS
 * (acks=all and the ISR below `min.insync.replicas`, checked before appending),
 * REQUEST_TIMED_OUT (acks=all and the ISR shrank below `min.insync.replicas` while waiting: the high watermark
 * holds there, see Replica), NOT_ENOUGH_REPLICAS_AFTER_APPEND (it shrank after the high watermark passed the batch and
 * before the answer), INVALID_TXN_STATE (a transactional batch the transaction coordinator does not know as part of an
 * ongoing transaction, KIP-890), INVALID_RECORD (a record without a
 * key for a topic with `cleanup.policy` compact), and NOT_LEADER_OR_FOLLOWER
 * if leadership moved while waiting. A rejected batch leaves the log unchanged.
 *
 * Idempotent and transactional batches (KIP-98) are checked against the partition's producer
 * state first: INVALID_PRODUCER_EPOCH for a fenced epoch, OUT_OF_ORDER_SEQUENCE_NUMBER for a gap;
 * a retry of a batch still in the dedupe window appends nothing and answers with the original
 * batch's offset (success, as Kafka: the producer never sees DUPLICATE_SEQUENCE_NUMBER).
 *
 * Authorization (with an authorizer): WRITE on the topic (TOPIC_AUTHORIZATION_FAILED) and, for a
 * transactional producer, WRITE on its transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
 *
 * Compression: records are stored uncompressed; the batch keeps its codec, or the topic's
 * `compression.type` when that names one (Replica.appendAsLeader), for the wire to fetch with.
 * Not modelled: acks=0 producing no response in-process (a response is returned; the client
 * ignores it; the wire listener sends none).
 */
import { AclOperation, AclResourceType, Errors, producedCount, type ProducePartitionResponse, type ProduceRequest, type ProduceResponse, type ProducedBatch } from '../../protocol/index.js'
import type { TimerHandle } from '../../time/index.js'
import type { ChangeListener } from '../change-signal.js'
import { PendingAnswer } from '../pending-answer.js'
import { batchSize } from '../partition-log.js'
import { layoutProblem } from '../record-batch-builder.js'
import type { Replica } from '../replica.js'
import { isInternalTopic } from '../topic-name.js'
import type { HandlerContext } from './handler-context.js'
import { allowed, allowedOnTopic } from './authorization.js'
import { leaderErrorOf } from './leader-replica.js'

function failed(partition: number, errorCode: number, errorMessage?: string): ProducePartitionResponse {
  return { partition, errorCode, ...(errorMessage === undefined ? {} : { errorMessage }), baseOffset: -1, logAppendTime: -1, logStartOffset: -1 }
}

function hasNullKey(batch: ProducedBatch): boolean {
  const { laidOut } = batch
  if (laidOut === undefined) return batch.records.some((r) => r.key === null)
  for (let i = 1; i < laidOut.count * 4; i += 4) if (laidOut.layout[i]! < 0) return true
  return false
}

/**
 * A partition batch appended under acks=all, waiting for the ISR; its answer is made once the wait ends. It listens to
 * its replica's signal itself ({@link ChangeListener}): a request spread over thousands of partitions makes no closure
 * per partition.
 */
class AwaitingIsr implements ChangeListener {
  /** The request's wait this batch is part of, once it waits. */
  wait: IsrWait | undefined = undefined
  /** Acknowledged already: later notifies of its replica change nothing. */
  met = false

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly replica: Replica,
    readonly epoch: number,
    readonly baseOffset: number,
    readonly lastOffset: number,
    readonly logAppendTime: number,
    readonly logStartOffset: number,
  ) {}

  /** The answer if the ISR acknowledged it, with `errorCode`. */
  answer(errorCode: number): ProducePartitionResponse {
    return { partition: this.partition, errorCode, baseOffset: this.baseOffset, logAppendTime: this.logAppendTime, logStartOffset: this.logStartOffset }
  }

  /** Its replica changed: re-checks this batch alone. Stays listening (returning at once) until the request's wait ends. */
  changed(): void {
    const wait = this.wait!
    if (this.met || wait.finished || !acknowledged(wait.ctx, this)) return
    this.met = true
    wait.batchMet()
  }
}

/** Acknowledged under acks=all: the high watermark passed the batch, or the wait is over for it (leadership moved). */
function acknowledged(ctx: HandlerContext, waiting: AwaitingIsr): boolean {
  return !stillLeader(ctx, waiting) || waiting.replica.highWatermark > waiting.lastOffset
}

/**
 * One acks=all request's wait (Kafka's DelayedProduce): done once every batch of `waiting` is {@link acknowledged}, or
 * after `timeoutMs` of clock time. Each batch listens to its own replica's signal and re-checks only itself.
 */
class IsrWait {
  finished = false
  private left: number
  private timer: TimerHandle | undefined = undefined

  constructor(
    readonly ctx: HandlerContext,
    private readonly waiting: readonly AwaitingIsr[],
    private readonly done: () => void,
  ) {
    this.left = waiting.length
  }

  /** Starts the timeout, then listens to each batch's replica. */
  start(timeoutMs: number): void {
    this.timer = this.ctx.cluster.clock.setTimeout(() => this.finish(), timeoutMs)
    for (const batch of this.waiting) {
      batch.wait = this
      batch.replica.changed.listen(batch)
    }
  }

  batchMet(): void {
    if (--this.left === 0) this.finish()
  }

  private finish(): void {
    this.finished = true
    this.ctx.cluster.clock.clearTimeout(this.timer!)
    // One unlisten per batch, here: a batch met earlier stayed listening.
    for (const batch of this.waiting) batch.replica.changed.unlisten(batch)
    this.done()
  }
}

/** Calls `done` once every batch of `waiting` is {@link acknowledged}, or after `timeoutMs` of clock time. */
function waitForIsr(ctx: HandlerContext, waiting: readonly AwaitingIsr[], timeoutMs: number, done: () => void): void {
  if (timeoutMs <= 0) return done()
  new IsrWait(ctx, waiting, done).start(timeoutMs)
}

/** Validates and appends one partition's batch; answers at once, or returns what acks=all must wait for. */
function producePartition(ctx: HandlerContext, request: ProduceRequest, topic: string, partition: number, batch: ProducedBatch, nowMs: number): ProducePartitionResponse | AwaitingIsr {
  if (request.transactionalId !== null && !allowed(ctx, AclOperation.WRITE, AclResourceType.TRANSACTIONAL_ID, request.transactionalId)) {
    return failed(partition, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code, `Not authorized to WRITE transactional id ${request.transactionalId}`)
  }
  if (!allowedOnTopic(ctx, AclOperation.WRITE, topic)) return failed(partition, Errors.TOPIC_AUTHORIZATION_FAILED.code, `Not authorized to WRITE topic ${topic}`)
  // The replica and its error code, not a lookup object: this runs for every partition of every Produce.
  const found = ctx.broker.replica(topic, partition)
  const errorCode = leaderErrorOf(ctx.broker, topic, partition, found, -1)
  if (errorCode !== 0) return failed(partition, errorCode)
  // Kafka's ReplicaManager: clients cannot append to internal topics (the coordinators write them).
  if (isInternalTopic(topic)) return failed(partition, Errors.INVALID_TOPIC_EXCEPTION.code, `Cannot append to internal topic ${topic}`)
  const replica = found!
  if (batch.transactional && request.transactionalId === null) {
    return failed(partition, Errors.INVALID_REQUEST.code, 'A transactional batch must come with the transactional id')
  }
  // KIP-890 part 1: the first batch of a transaction at this partition is appended only if the coordinator says the
  // transaction is ongoing with the partition in it; a later batch of the same transaction finds it open here. Before
  // the batch's own checks, as Kafka's ReplicaManager verifies before the log sees the batch.
  if (batch.transactional && !replica.producers.hasOpenTransaction(batch.producerId)) {
    const transactionalId = request.transactionalId!
    const verified = ctx.cluster.transactionCoordinator.verifyProduce({ transactionalId, producerId: batch.producerId, producerEpoch: batch.producerEpoch }, topic, partition)
    if (verified === Errors.NOT_ENOUGH_REPLICAS.code) return failed(partition, verified, `The transaction of ${transactionalId} is being completed; retry once it is (KIP-890)`)
    if (verified !== 0) {
      return failed(partition, verified, `${topic}-${partition} is not in an ongoing transaction of ${transactionalId} by producer ${batch.producerId} at epoch ${batch.producerEpoch}: a late or unannounced batch (KIP-890)`)
    }
  }
  const count = producedCount(batch)
  if (count === 0) return failed(partition, Errors.CORRUPT_MESSAGE.code, 'A record batch must hold at least one record')
  const corrupt = batch.laidOut === undefined ? undefined : layoutProblem(batch.laidOut)
  if (corrupt !== undefined) return failed(partition, Errors.CORRUPT_MESSAGE.code, corrupt)
  const size = batchSize(batch)
  const config = replica.config.appendValues()
  if (size > config.maxMessageBytes) {
    return failed(partition, Errors.MESSAGE_TOO_LARGE.code, `The batch is ${size} bytes, larger than max.message.bytes ${config.maxMessageBytes}`)
  }
  // Kafka's LogValidator: a compacted topic keeps records by key, so it refuses one without (INVALID_RECORD).
  if (config.compacted && hasNullKey(batch)) {
    return failed(partition, Errors.INVALID_RECORD.code, `Compacted topic cannot accept message without key in topic partition ${topic}-${partition}.`)
  }
  if (request.acks === -1 && replica.underMinIsr) {
    const capped = replica.effectiveMinIsr === config.minInsyncReplicas ? '' : ` (${config.minInsyncReplicas}, capped at the replica count)`
    return failed(partition, Errors.NOT_ENOUGH_REPLICAS.code, `The ISR of ${topic}-${partition} has ${replica.isr.length} replica(s), fewer than min.insync.replicas ${replica.effectiveMinIsr}${capped}`)
  }
  const producerCheck = replica.producers.check(batch)
  if (producerCheck.kind === 'reject') return failed(partition, producerCheck.errorCode, producerCheck.errorMessage)
  const epoch = replica.leaderEpoch
  const info =
    producerCheck.kind === 'duplicate'
      ? { baseOffset: producerCheck.baseOffset, lastOffset: producerCheck.baseOffset + count - 1, logAppendTime: -1 }
      : replica.appendAsLeader(batch, size, nowMs)
  const logStartOffset = replica.log.logStartOffset
  if (request.acks === -1) return new AwaitingIsr(topic, partition, replica, epoch, info.baseOffset, info.lastOffset, info.logAppendTime, logStartOffset)
  return { partition, errorCode: Errors.NONE.code, baseOffset: info.baseOffset, logAppendTime: info.logAppendTime, logStartOffset }
}

/** The answer for a partition once acks=all waited (or timed out). */
function isrOutcome(ctx: HandlerContext, waiting: AwaitingIsr, timeoutMs: number): ProducePartitionResponse {
  const { topic, partition, replica } = waiting
  if (!stillLeader(ctx, waiting)) return failed(partition, Errors.NOT_LEADER_OR_FOLLOWER.code, `Leadership of ${topic}-${partition} moved while waiting for the ISR`)
  if (replica.highWatermark <= waiting.lastOffset) return failed(partition, Errors.REQUEST_TIMED_OUT.code, `The ISR did not acknowledge within ${timeoutMs} ms`)
  // Kafka's Partition.checkEnoughReplicasReachOffset: replicated, but the ISR is now below min.insync.replicas.
  if (replica.underMinIsr) return waiting.answer(Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND.code)
  return waiting.answer(Errors.NONE.code)
}

function stillLeader(ctx: HandlerContext, waiting: AwaitingIsr): boolean {
  const { replica } = waiting
  return replica.isLeader && replica.leaderEpoch === waiting.epoch && ctx.broker.replica(waiting.topic, waiting.partition) === replica
}

/**
 * Serves a Produce request at a broker: every partition is validated and appended at once, and
 * acks=all waits once for the whole request (Kafka's DelayedProduce), each partition re-checked
 * only when its own replica changes. Not `async`: a request that needs no wait (acks 0 or 1, or an
 * ISR of the leader alone) is answered at once, and one that waits with a {@link PendingAnswer}, without a promise.
 */
export function handleProduce(ctx: HandlerContext, request: ProduceRequest): ProduceResponse | PendingAnswer<ProduceResponse> {
  if (request.acks !== 0 && request.acks !== 1 && request.acks !== -1) {
    return {
      topics: request.topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => failed(p.partition, Errors.INVALID_REQUIRED_ACKS.code)) })),
    }
  }
  // One time for the whole request: every partition's append takes it (as Kafka's ReplicaManager reads it once per request).
  const now = ctx.cluster.clock.now()
  const results = request.topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => producePartition(ctx, request, t.topic, p.partition, p.batch, now)) }))
  if (request.acks !== -1) return { topics: results as ReadonlyArray<{ topic: string; partitions: ProducePartitionResponse[] }> }
  const waiting: AwaitingIsr[] = []
  for (const { partitions } of results) for (const result of partitions) if (result instanceof AwaitingIsr && !acknowledged(ctx, result)) waiting.push(result)
  const answer = (): ProduceResponse => ({
    topics: results.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map((result) => (result instanceof AwaitingIsr ? isrOutcome(ctx, result, request.timeoutMs) : result)),
    })),
  })
  if (waiting.length === 0) return answer()
  const pending = new PendingAnswer<ProduceResponse>()
  // Answered in a later microtask, never inside the append or fetch whose notify ended the wait.
  waitForIsr(ctx, waiting, request.timeoutMs, () => queueMicrotask(() => pending.settleWith(answer)))
  return pending
}

/**
 * The producer's send path: partition each message once, group the partition batches by leader,
 * send one Produce request per leader, and retry only the partitions that failed, refreshing
 * metadata after NOT_LEADER_OR_FOLLOWER and the like, as the Java producer does per batch.
 */
import type { Acks, ProducePartitionResponse, ProduceRequest, ProduceResponse } from '../../protocol/data-apis.js'
import { Errors } from '../../protocol/error-codes.js'
import { laidOutBatch, NO_PRODUCER_ID, type LaidOutRecords } from '../../protocol/records.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSError, KafkaJSMetadataNotLoaded, KafkaJSNonRetriableError, protocolError } from '../errors.js'
import type { Logger } from '../logger.js'
import type { RecordMetadata, TopicMessages } from '../message-types.js'
import type { PartitionerArgs } from '../partitioners/partitioner-types.js'
import type { Idempotence } from './idempotence.js'
import { layOutMessages } from './record-layout.js'
import { isRetriableSendError } from '../error-policy.js'

/** A Produce request's parameters, resolved. */
export interface SendRequest {
  acks: Acks
  /** The broker's wait for the ISR (ProduceRequest `timeoutMs`). */
  timeout: number
  topicMessages: TopicMessages[]
}

/** The identity an idempotent or transactional producer sends with (KIP-98). */
export interface ProducerIdentity {
  idempotence: Idempotence
  /** null for an idempotent producer outside transactions. */
  transactionalId: string | null
  /** Transactional: AddPartitionsToTxn for partitions not yet in the transaction, before the first send to them. */
  addPartitions?(partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<void>
}

/** What the sender needs from its producer. */
export interface SenderContext {
  client: BrokerRouter
  partitioner: (args: PartitionerArgs) => number
  logger: Logger
  /** Set for an idempotent or transactional producer. */
  identity?: ProducerIdentity
}

interface PartitionBatch {
  topic: string
  partition: number
  /** The partition's records, laid out once and sent as they are on every attempt. */
  records: LaidOutRecords
  /** First sequence, reserved once and reused by every retry; -1 without idempotence. */
  baseSequence: number
  /**
   * A Produce carrying this batch went out: if the batch is given up the broker may hold it (a lost
   * answer, or REQUEST_TIMED_OUT / NOT_ENOUGH_REPLICAS_AFTER_APPEND / NOT_LEADER_OR_FOLLOWER after the append).
   */
  sent: boolean
  /**
   * Done: with its metadata, or null once handed over with acks=0 (never resent); undefined while pending (set from the
   * start, so every batch keeps one shape). Kept on the batch, not in a map by topic-partition key: a send spread over
   * thousands of partitions built a key string per batch three times (pending, answered, collected).
   */
  result: RecordMetadata | null | undefined
}

/** Errors after which the producer's sequences no longer match the broker's. */
const SEQUENCE_LOST = new Set<string>([Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.type, Errors.UNKNOWN_PRODUCER_ID.type, Errors.INVALID_PRODUCER_EPOCH.type])


/** Merges entries of the same topic, keeping first-seen topic order (as KafkaJS's sendBatch). */
function mergeTopics(topicMessages: TopicMessages[]): TopicMessages[] {
  if (topicMessages.length === 1) return topicMessages
  const parts = new Map<string, Array<TopicMessages['messages']>>()
  for (const { topic, messages } of topicMessages) {
    const list = parts.get(topic)
    if (list === undefined) parts.set(topic, [messages])
    else list.push(messages)
  }
  // The caller's arrays are never written: a topic named more than once gets an array of its own.
  return [...parts].map(([topic, lists]) => ({ topic, messages: lists.length === 1 ? lists[0]! : lists.flat() }))
}

/**
 * Sends every message and resolves with one RecordMetadata per partition written, or rejects with
 * the typed error of the first non-retriable failure, or KafkaJSNumberOfRetriesExceeded.
 * With acks=0 it resolves with `[]` once the requests are handed to the transport.
 *
 * Not `async`, and an attempt awaits only what it must load: with metadata at hand, a send to one
 * leader costs its request and one `then` per layer (issue 11's promise budget).
 */
export function sendMessages(ctx: SenderContext, request: SendRequest): Promise<RecordMetadata[]> {
  const { client } = ctx
  let topicMessages = mergeTopics(request.topicMessages)
  const topics = topicMessages.map((t) => t.topic)
  let batches: PartitionBatch[] | undefined
  const identity = ctx.identity
  const collect = (): RecordMetadata[] => {
    const written: RecordMetadata[] = []
    for (const b of batches!) if (b.result !== undefined && b.result !== null) written.push(b.result)
    return written
  }
  const partitionOnce = (): void => {
    if (batches !== undefined) return
    batches = partitionMessages(ctx, topicMessages)
    if (identity !== undefined) for (const b of batches) b.baseSequence = identity.idempotence.reserve(b.topic, b.partition, b.records.count)
  }
  const pending = (): PartitionBatch[] => batches!.filter((b) => b.result === undefined)
  // What must be loaded or told first: metadata, a partition beyond the cached count, the transaction's partitions.
  const mustAwait = (): boolean =>
    !client.targetsLoaded(topics) || client.metadataStale() || (batches === undefined && namesUnknownPartition(ctx, topicMessages)) || identity?.addPartitions !== undefined
  const awaitingAttempt = async (): Promise<void> => {
    // The messages are partitioned after what must load first; meanwhile the caller may change its arrays
    // (`send(); messages.length = 0`), so the send keeps its own.
    if (batches === undefined) topicMessages = topicMessages.map(({ topic, messages }) => ({ topic, messages: [...messages] }))
    if (!client.targetsLoaded(topics)) await client.addTargetTopics(topics)
    await client.refreshMetadataIfNecessary()
    // A partition beyond the cached count may have just been added (CreatePartitions): as Java's
    // producer does, reload metadata before calling the partition invalid.
    if (batches === undefined && namesUnknownPartition(ctx, topicMessages)) await client.refreshMetadata()
    partitionOnce()
    await identity?.addPartitions?.(pending())
  }

  const sent = client.retrier((bail, retryCount, retryTime) => {
    const failed = (error: unknown): never => retryOrBail(error as KafkaJSError & { type?: string }, ctx, bail, retryCount, retryTime)
    const send = (): Promise<RecordMetadata[]> => {
      try {
        partitionOnce()
        return sendToLeaders(client, request, identity, pending(), collect, failed)
      } catch (error) {
        return failed(error)
      }
    }
    return mustAwait() ? awaitingAttempt().then(send, failed) : send()
  })
  if (identity === undefined) return sent
  return sent.catch((error: unknown) => {
    if (batches !== undefined) settleSequences(identity.idempotence, batches, error as { type?: string })
    throw error
  })
}

/**
 * After a failed idempotent send: batches that never went out give their sequences back. If any
 * that went out failed, the broker may hold it under its sequence, and if the broker's sequences
 * disagree with ours, no later batch may reuse them: the next send starts a new epoch (KIP-360;
 * the Java producer bumps the epoch after every batch it fails once sent).
 */
function settleSequences(idempotence: Idempotence, batches: PartitionBatch[], error: { type?: string }): void {
  const failed = batches.filter((b) => b.result === undefined)
  if ((error.type !== undefined && SEQUENCE_LOST.has(error.type)) || failed.some((b) => b.sent)) {
    idempotence.requireEpochBump()
    return
  }
  for (const b of failed) idempotence.release(b.topic, b.partition, b.baseSequence)
}

/** The send retrier's error policy: rethrow to retry (refreshing metadata when stale), bail on a non-retriable error. */
function retryOrBail(e: KafkaJSError & { type?: string }, ctx: SenderContext, bail: (error: Error) => never, retryCount: number, retryTime: number): never {
  const { client, logger } = ctx
  if (isRetriableSendError(e)) {
    logger.error(`Failed to send messages: ${e.message}`, { retryCount, retryTime })
    client.invalidateMetadata()
    throw e
  }
  if (e.retriable === false) bail(e)
  logger.error(e.message, { retryCount, retryTime })
  throw e
}

/** True if a message names an explicit partition the cached metadata does not know. */
function namesUnknownPartition(ctx: SenderContext, topicMessages: TopicMessages[]): boolean {
  return topicMessages.some(({ topic, messages }) => {
    const known = ctx.client.hasTopic(topic) ? ctx.client.partitionCount(topic) : 0
    return messages.some((m) => typeof m.partition === 'number' && m.partition >= known)
  })
}

/** Runs the partitioner once per message (a partition outside the topic is bad input), then lays each partition's messages out. */
function partitionMessages(ctx: SenderContext, topicMessages: TopicMessages[]): PartitionBatch[] {
  const batches: PartitionBatch[] = []
  const now = ctx.client.clock.now()
  for (const { topic, messages } of topicMessages) {
    const partitionMetadata = ctx.client.partitionerMetadata(topic)
    if (partitionMetadata.length === 0) throw new KafkaJSMetadataNotLoaded('Producing to topic without metadata')
    // Indexed by partition number (topics are merged, so each topic comes once): no key string per message.
    const slotOfPartition: Array<number | undefined> = []
    const partitions: number[] = []
    const slotOf = new Int32Array(messages.length)
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!
      const partition = ctx.partitioner({ topic, partitionMetadata, message })
      if (!Number.isInteger(partition) || partition < 0 || partition >= partitionMetadata.length) {
        // Java's producer: "Invalid partition given with record"; KafkaJS would drop the message silently.
        throw new KafkaJSNonRetriableError(
          `Invalid partition ${String(partition)} for a message to topic "${topic}": it has ${partitionMetadata.length} partitions (0..${partitionMetadata.length - 1})`,
        )
      }
      let slot = slotOfPartition[partition]
      if (slot === undefined) slotOfPartition[partition] = slot = partitions.push(partition) - 1
      slotOf[i] = slot
    }
    const laidOut = layOutMessages({ messages, slotOf, partitions }, now)
    for (let s = 0; s < partitions.length; s++) batches.push({ topic, partition: partitions[s]!, records: laidOut[s]!, baseSequence: -1, sent: false, result: undefined })
  }
  return batches
}

/**
 * Sends the pending batches, one Produce per leader, and records each partition that succeeded;
 * then resolves with `done()`, or hands `failed` the first non-retriable error if any, else the first
 * retriable one. A send to one leader is one request and one `then`.
 */
function sendToLeaders<T>(
  client: BrokerRouter,
  request: SendRequest,
  identity: ProducerIdentity | undefined,
  pending: PartitionBatch[],
  done: () => T,
  failed: (error: unknown) => never,
): Promise<T> {
  const byLeader = new Map<number, PartitionBatch[]>()
  const errors: Error[] = []
  for (const batch of pending) {
    const leader = client.leaderFor(batch.topic, batch.partition)
    if (leader < 0) {
      errors.push(protocolError(Errors.LEADER_NOT_AVAILABLE.code, `topic ${batch.topic} partition ${batch.partition}`)!)
      continue
    }
    let list = byLeader.get(leader)
    if (list === undefined) byLeader.set(leader, (list = []))
    list.push(batch)
  }
  const finish = (): T => (errors.length === 0 ? done() : failed(errors.find((e) => (e as KafkaJSError).retriable === false) ?? errors[0]!))
  /** Records a leader's answer on the batches sent to it. */
  const record = (response: ProduceResponse, sentBatches: readonly PartitionBatch[]): void => {
    // A leader answers the partitions in the order they were sent, which for one topic is the order of `sentBatches`:
    // each answer is matched with the batch at its place, and only an answer out of that order is looked up.
    let sentTo: Map<string, Map<number, PartitionBatch>> | undefined
    let at = 0
    for (const topic of response.topics) {
      for (const p of topic.partitions) {
        const next = sentBatches[at++]
        if (p.errorCode !== 0) {
          errors.push(protocolError(p.errorCode, `topic ${topic.topic} partition ${p.partition}`, p.errorMessage)!)
          continue
        }
        const batch = next !== undefined && next.partition === p.partition && next.topic === topic.topic ? next : (sentTo ??= byTopicAndPartition(sentBatches)).get(topic.topic)?.get(p.partition)
        if (batch !== undefined) batch.result = toRecordMetadata(topic.topic, p)
      }
    }
  }
  const sendTo = (leader: number, leaderBatches: PartitionBatch[]): Promise<void> | undefined => {
    const produce = toProduceRequest(request, identity, leaderBatches)
    if (request.acks === 0) {
      // acks=0: nobody waits for the answer, and a lost request is not retried (Kafka's `retries` has no effect).
      client.send(leader, 'Produce', produce).catch(() => undefined)
      for (const b of leaderBatches) b.result = null
      return undefined
    }
    // From here the leader may append the batches, whatever the answer (a retry with the same sequences is deduplicated).
    for (const b of leaderBatches) b.sent = true
    return client.send(leader, 'Produce', produce).then((response) => record(response, leaderBatches))
  }
  if (byLeader.size === 1 && request.acks !== 0) {
    // One leader (a single-record send): its request and one `then`, no Promise.allSettled round.
    const [[leader, leaderBatches]] = byLeader
    for (const b of leaderBatches) b.sent = true
    return client.send(leader, 'Produce', toProduceRequest(request, identity, leaderBatches)).then(
      (response) => {
        record(response, leaderBatches)
        return finish()
      },
      (error: unknown) => {
        errors.push(error as Error)
        return finish()
      },
    )
  }
  return Promise.allSettled([...byLeader].map(([leader, leaderBatches]) => sendTo(leader, leaderBatches))).then((outcomes) => {
    for (const outcome of outcomes) if (outcome.status === 'rejected') errors.push(outcome.reason as Error)
    return finish()
  })
}

/** The batches by topic, then partition number in a Map: an array indexed by partition numbers arriving in any order up to thousands would turn sparse (dictionary mode) in V8. */
function byTopicAndPartition(batches: readonly PartitionBatch[]): Map<string, Map<number, PartitionBatch>> {
  const sentTo = new Map<string, Map<number, PartitionBatch>>()
  for (const b of batches) {
    let byPartition = sentTo.get(b.topic)
    if (byPartition === undefined) sentTo.set(b.topic, (byPartition = new Map()))
    byPartition.set(b.partition, b)
  }
  return sentTo
}

/** A plain producer's identity on every batch (KIP-98: no producer id), shared. */
const NO_IDENTITY = Object.freeze({ producerId: NO_PRODUCER_ID, producerEpoch: -1, baseSequence: -1, transactional: false })

/** The Produce request for `batches`, grouped by topic in first-seen order (for one topic, the order of `batches`). */
function toProduceRequest(request: SendRequest, identity: ProducerIdentity | undefined, batches: PartitionBatch[]): ProduceRequest {
  const byTopic = new Map<string, PartitionBatch[]>()
  for (const batch of batches) {
    let list = byTopic.get(batch.topic)
    if (list === undefined) byTopic.set(batch.topic, (list = []))
    list.push(batch)
  }
  return {
    acks: request.acks,
    timeoutMs: request.timeout,
    transactionalId: identity?.transactionalId ?? null,
    topics: [...byTopic].map(([topic, list]) => ({
      topic,
      partitions: list.map((b) => ({
        partition: b.partition,
        // KIP-98: a plain producer sends no producer id; an idempotent one its id, epoch and the batch's sequence.
        batch:
          identity === undefined
            ? laidOutBatch(NO_IDENTITY, b.records)
            : laidOutBatch(
                {
                  producerId: identity.idempotence.producerId,
                  producerEpoch: identity.idempotence.producerEpoch,
                  baseSequence: b.baseSequence,
                  transactional: identity.transactionalId !== null,
                },
                b.records,
              ),
      })),
    })),
  }
}

/** KafkaJS's RecordMetadata for a partition written (Produce v7 fields, offsets as strings). */
function toRecordMetadata(topicName: string, p: ProducePartitionResponse): RecordMetadata {
  return {
    topicName,
    partition: p.partition,
    errorCode: p.errorCode,
    baseOffset: String(p.baseOffset),
    logAppendTime: String(p.logAppendTime),
    logStartOffset: String(p.logStartOffset),
  }
}

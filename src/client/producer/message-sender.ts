/**
 * The producer's send path: partition each message once, group the partition batches by leader,
 * send one Produce request per leader, and retry only the partitions that failed, refreshing
 * metadata after NOT_LEADER_OR_FOLLOWER and the like, as the Java producer does per batch.
 */
import type { Acks, ProducePartitionResponse, ProduceRequest } from '../../protocol/data-apis.js'
import { Errors } from '../../protocol/error-codes.js'
import { NO_PRODUCER_ID, type ProducedRecord } from '../../protocol/records.js'
import type { ClusterClient } from '../cluster/cluster-client.js'
import { KafkaJSConnectionError, KafkaJSError, KafkaJSMetadataNotLoaded, KafkaJSNonRetriableError, KafkaJSRequestTimeoutError, protocolError } from '../errors.js'
import type { Logger } from '../logger.js'
import { toProducedRecord, type RecordMetadata, type TopicMessages } from '../message-types.js'
import type { PartitionerArgs } from '../partitioners/partitioner-types.js'

/** A Produce request's parameters, resolved. */
export interface SendRequest {
  acks: Acks
  /** The broker's wait for the ISR (ProduceRequest `timeoutMs`). */
  timeout: number
  topicMessages: TopicMessages[]
}

/** What the sender needs from its producer. */
export interface SenderContext {
  client: ClusterClient
  partitioner: (args: PartitionerArgs) => number
  logger: Logger
}

interface PartitionBatch {
  topic: string
  partition: number
  records: ProducedRecord[]
}

/** KafkaJS's `staleMetadata`: errors after which the leader map must be reloaded before retrying. */
const STALE_METADATA = new Set<string>([
  Errors.UNKNOWN_TOPIC_OR_PARTITION.type,
  Errors.LEADER_NOT_AVAILABLE.type,
  Errors.NOT_LEADER_OR_FOLLOWER.type,
  Errors.FENCED_LEADER_EPOCH.type,
])

const batchKey = (topic: string, partition: number) => `${partition}:${topic}`

/** Merges entries of the same topic, keeping first-seen topic order (as KafkaJS's sendBatch). */
function mergeTopics(topicMessages: TopicMessages[]): TopicMessages[] {
  const merged = new Map<string, TopicMessages>()
  for (const { topic, messages } of topicMessages) {
    const existing = merged.get(topic)
    if (existing === undefined) merged.set(topic, { topic, messages: [...messages] })
    else existing.messages.push(...messages)
  }
  return [...merged.values()]
}

/**
 * Sends every message and resolves with one RecordMetadata per partition written, or rejects with
 * the typed error of the first non-retriable failure, or KafkaJSNumberOfRetriesExceeded.
 * With acks=0 it resolves with `[]` once the requests are handed to the transport.
 */
export async function sendMessages(ctx: SenderContext, request: SendRequest): Promise<RecordMetadata[]> {
  const { client, logger } = ctx
  const topicMessages = mergeTopics(request.topicMessages)
  const topics = topicMessages.map((t) => t.topic)
  let batches: PartitionBatch[] | undefined
  // Partitions done: with their metadata, or null once handed over with acks=0 (never resent).
  const results = new Map<string, RecordMetadata | null>()

  return client.retrier(async (bail, retryCount, retryTime) => {
    try {
      await client.addTargetTopics(topics)
      await client.refreshMetadataIfNecessary()
      batches ??= partitionMessages(ctx, topicMessages)
      const pending = batches.filter((b) => !results.has(batchKey(b.topic, b.partition)))
      await sendToLeaders(client, request, pending, results)
      return batches.flatMap((b) => results.get(batchKey(b.topic, b.partition)) ?? [])
    } catch (error) {
      const e = error as KafkaJSError & { type?: string }
      if (
        (e.type !== undefined && STALE_METADATA.has(e.type)) ||
        e instanceof KafkaJSMetadataNotLoaded ||
        e instanceof KafkaJSConnectionError ||
        e instanceof KafkaJSRequestTimeoutError ||
        (e.name === 'KafkaJSProtocolError' && e.retriable)
      ) {
        logger.error(`Failed to send messages: ${e.message}`, { retryCount, retryTime })
        client.invalidateMetadata()
        throw e
      }
      if (e.retriable === false) bail(e)
      logger.error(e.message, { retryCount, retryTime })
      throw e
    }
  })
}

/** Runs the partitioner once per message; a partition outside the topic is bad input. */
function partitionMessages(ctx: SenderContext, topicMessages: TopicMessages[]): PartitionBatch[] {
  const byPartition = new Map<string, PartitionBatch>()
  const now = ctx.client.clock.now()
  for (const { topic, messages } of topicMessages) {
    const partitionMetadata = ctx.client.findTopicPartitionMetadata(topic)
    if (partitionMetadata.length === 0) throw new KafkaJSMetadataNotLoaded('Producing to topic without metadata')
    for (const message of messages) {
      const partition = ctx.partitioner({ topic, partitionMetadata, message })
      if (!Number.isInteger(partition) || partition < 0 || partition >= partitionMetadata.length) {
        // Java's producer: "Invalid partition given with record"; KafkaJS would drop the message silently.
        throw new KafkaJSNonRetriableError(
          `Invalid partition ${String(partition)} for a message to topic "${topic}": it has ${partitionMetadata.length} partitions (0..${partitionMetadata.length - 1})`,
        )
      }
      const key = batchKey(topic, partition)
      let batch = byPartition.get(key)
      if (batch === undefined) byPartition.set(key, (batch = { topic, partition, records: [] }))
      batch.records.push(toProducedRecord(message, now))
    }
  }
  return [...byPartition.values()]
}

/**
 * Sends the pending batches, one Produce per leader, and records each partition that succeeded.
 * Throws the first non-retriable error if any, else the first retriable one.
 */
async function sendToLeaders(client: ClusterClient, request: SendRequest, pending: PartitionBatch[], results: Map<string, RecordMetadata | null>): Promise<void> {
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
  const sends = [...byLeader].map(async ([leader, leaderBatches]) => {
    const produce = toProduceRequest(request, leaderBatches)
    if (request.acks === 0) {
      // acks=0: nobody waits for the answer, and a lost request is not retried (Kafka's `retries` has no effect).
      client.send(leader, 'Produce', produce).catch(() => undefined)
      for (const b of leaderBatches) results.set(batchKey(b.topic, b.partition), null)
      return
    }
    const response = await client.send(leader, 'Produce', produce)
    for (const topic of response.topics) {
      for (const p of topic.partitions) {
        if (p.errorCode === 0) results.set(batchKey(topic.topic, p.partition), toRecordMetadata(topic.topic, p))
        else errors.push(protocolError(p.errorCode, `topic ${topic.topic} partition ${p.partition}`, p.errorMessage)!)
      }
    }
  })
  for (const outcome of await Promise.allSettled(sends)) {
    if (outcome.status === 'rejected') errors.push(outcome.reason as Error)
  }
  if (errors.length === 0) return
  throw errors.find((e) => (e as KafkaJSError).retriable === false) ?? errors[0]!
}

function toProduceRequest(request: SendRequest, batches: PartitionBatch[]): ProduceRequest {
  const byTopic = new Map<string, PartitionBatch[]>()
  for (const batch of batches) {
    let list = byTopic.get(batch.topic)
    if (list === undefined) byTopic.set(batch.topic, (list = []))
    list.push(batch)
  }
  return {
    acks: request.acks,
    timeoutMs: request.timeout,
    transactionalId: null,
    topics: [...byTopic].map(([topic, list]) => ({
      topic,
      partitions: list.map((b) => ({
        partition: b.partition,
        // Seams for idempotence and transactions (KIP-98): a plain producer sends no producer id.
        batch: { producerId: NO_PRODUCER_ID, producerEpoch: -1, baseSequence: -1, transactional: false, records: b.records },
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

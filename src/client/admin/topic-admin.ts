/**
 * The admin's topic operations (CreateTopics, DeleteTopics, CreatePartitions, Metadata), with
 * KafkaJS's checks, defaults (broker timeout 5000 ms, `waitForLeaders`), results and errors.
 */
import type { CreateTopicsRequest, TopicResult } from '../../protocol/metadata-apis.js'
import { Errors } from '../../protocol/error-codes.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSAggregateError, KafkaJSCreateTopicError, KafkaJSNonRetriableError, KafkaJSTimeout, protocolError } from '../errors.js'
import type { ITopicConfig, ITopicMetadata, ITopicPartitionConfig } from './admin-types.js'
import { checkTimeout } from './admin-validation.js'
import { isWithin, MAX_INT32, showValue } from '../numeric-option.js'
import { sendToController } from './metadata-lookups.js'

/** KafkaJS's broker-side default `timeout` for topic operations. */
const DEFAULT_TIMEOUT = 5000
/** KafkaJS polls for leaders every 100 ms after creating topics. */
const LEADER_POLL_MS = 100

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)

/** KafkaJS's checks of `createTopics({ topics })`. */
function checkTopicConfigs(topics: unknown): asserts topics is ITopicConfig[] {
  if (!topics || !Array.isArray(topics)) throw new KafkaJSNonRetriableError(`Invalid topics array ${String(topics)}`)
  if (topics.some((t) => t === null || typeof t !== 'object' || typeof t.topic !== 'string')) {
    throw new KafkaJSNonRetriableError('Invalid topics array, the topic names have to be a valid string')
  }
  if (new Set(topics.map((t: ITopicConfig) => t.topic)).size < topics.length) {
    throw new KafkaJSNonRetriableError('Invalid topics array, it cannot have multiple entries for the same topic')
  }
  for (const { topic, configEntries, numPartitions, replicationFactor } of topics as ITopicConfig[]) {
    // The broker judges the values (INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR); what cannot be an INT32 field never leaves the client.
    for (const [name, value] of [['numPartitions', numPartitions], ['replicationFactor', replicationFactor]] as const) {
      if (value !== undefined && !isWithin(value, { min: -MAX_INT32 - 1, integer: true })) {
        throw new KafkaJSNonRetriableError(`Invalid ${name} ${showValue(value)} (${typeof value}) for topic "${topic}": expected an integer that fits Kafka's INT32 field (up to ${MAX_INT32})`)
      }
    }
    if (configEntries === undefined || configEntries === null) continue
    if (!Array.isArray(configEntries)) throw new KafkaJSNonRetriableError(`Invalid configEntries for topic "${topic}", must be an array`)
    configEntries.forEach((entry, index) => {
      if (typeof entry !== 'object' || entry === null) {
        throw new KafkaJSNonRetriableError(`Invalid configEntries for topic "${topic}". Entry ${index} must be an object`)
      }
      for (const property of ['name', 'value'] as const) {
        if (!Object.prototype.hasOwnProperty.call(entry, property) || typeof entry[property] !== 'string') {
          throw new KafkaJSNonRetriableError(`Invalid configEntries for topic "${topic}". Entry ${index} must have a valid "${property}" property`)
        }
      }
    })
  }
}

function toCreateTopicsRequest(topics: ITopicConfig[], validateOnly: boolean, timeout: number): CreateTopicsRequest {
  return {
    topics: topics.map((t) => ({
      name: t.topic,
      numPartitions: t.numPartitions ?? -1,
      replicationFactor: t.replicationFactor ?? -1,
      replicaAssignment: (t.replicaAssignment ?? []).map((a) => ({ partition: a.partition, brokerIds: a.replicas })),
      configs: (t.configEntries ?? []).map((c) => ({ name: c.name, value: c.value })),
    })),
    timeoutMs: timeout,
    validateOnly,
  }
}

/** The per-topic errors of a CreateTopics answer, as KafkaJS raises them: one KafkaJSCreateTopicError each, sorted by topic. */
function createTopicErrors(results: readonly TopicResult[]): KafkaJSCreateTopicError[] {
  return [...results]
    .sort(byName)
    .filter((r) => r.errorCode !== 0)
    .map((r) => new KafkaJSCreateTopicError(protocolError(r.errorCode, `topic "${r.name}"`, r.errorMessage)!, r.name))
}

/**
 * `admin.createTopics`: resolves true when the topics were created, false when every one of them
 * already existed; rejects with KafkaJSAggregateError of KafkaJSCreateTopicError otherwise.
 */
export async function createTopics(
  client: BrokerRouter,
  options: { topics: ITopicConfig[]; validateOnly?: boolean; timeout?: number; waitForLeaders?: boolean },
): Promise<boolean> {
  if (options === null || typeof options !== 'object') throw new KafkaJSNonRetriableError(`Invalid topics array ${String(options)}`)
  const { topics, validateOnly = false, timeout = DEFAULT_TIMEOUT, waitForLeaders = true } = options
  checkTopicConfigs(topics)
  checkTimeout(timeout)
  const request = toCreateTopicsRequest(topics, validateOnly, timeout)
  const created = await sendToController(client, 'CreateTopics', request, (response) => {
    const errors = createTopicErrors(response.topics)
    if (errors.length === 0) return true
    if (errors.every((e) => e.type === Errors.TOPIC_ALREADY_EXISTS.type)) return false
    // A NOT_CONTROLLER answer is retried by sendToController; anything else is the caller's to see.
    if (errors.some((e) => e.type === Errors.NOT_CONTROLLER.type)) throw errors.find((e) => e.type === Errors.NOT_CONTROLLER.type)
    throw new KafkaJSAggregateError('Topic creation errors', errors)
  })
  // With validateOnly nothing was created, so there are no leaders to wait for.
  if (created && waitForLeaders && !validateOnly) await awaitLeaders(client, topics.map((t) => t.topic), timeout)
  return created
}

/** Polls metadata until every partition of the topics has a leader, as KafkaJS's `waitForLeaders`. */
async function awaitLeaders(client: BrokerRouter, topics: string[], timeout: number): Promise<void> {
  const deadline = client.clock.now() + timeout
  for (;;) {
    const response = await client.metadata(topics)
    const ready = topics.every((name) => {
      const meta = response.topics.find((t) => t.topic === name)
      return meta !== undefined && meta.errorCode === 0 && meta.partitions.every((p) => p.leader >= 0)
    })
    if (ready) return
    if (client.clock.now() >= deadline) throw new KafkaJSTimeout('Timed out while waiting for topic leaders')
    await client.clock.sleep(LEADER_POLL_MS)
  }
}

/** `admin.deleteTopics`: rejects with the broker's error for the first topic that could not be deleted. */
export async function deleteTopics(client: BrokerRouter, options: { topics: string[]; timeout?: number }): Promise<void> {
  const { topics, timeout = DEFAULT_TIMEOUT } = options ?? ({} as never)
  if (!topics || !Array.isArray(topics)) throw new KafkaJSNonRetriableError(`Invalid topics array ${String(topics)}`)
  if (topics.some((t) => typeof t !== 'string')) throw new KafkaJSNonRetriableError('Invalid topics array, the names must be a valid string')
  checkTimeout(timeout)
  await sendToController(client, 'DeleteTopics', { topicNames: topics, timeoutMs: timeout }, (response) => {
    const failed = [...response.topics].sort(byName).find((t) => t.errorCode !== 0)
    if (failed !== undefined) throw protocolError(failed.errorCode, `deleting topic "${failed.name}"`, failed.errorMessage)
  })
  client.removeTargetTopics(topics)
}

/** `admin.createPartitions`: raises the partition count of existing topics (`count` is the new total). */
export async function createPartitions(
  client: BrokerRouter,
  options: { topicPartitions: ITopicPartitionConfig[]; validateOnly?: boolean; timeout?: number },
): Promise<boolean> {
  const { topicPartitions, validateOnly = false, timeout = DEFAULT_TIMEOUT } = options ?? ({} as never)
  if (!topicPartitions || !Array.isArray(topicPartitions)) throw new KafkaJSNonRetriableError(`Invalid topic partitions array ${String(topicPartitions)}`)
  if (topicPartitions.length === 0) throw new KafkaJSNonRetriableError('Empty topic partitions array')
  if (topicPartitions.some((t) => t === null || typeof t !== 'object' || typeof t.topic !== 'string')) {
    throw new KafkaJSNonRetriableError('Invalid topic partitions array, the topic names have to be a valid string')
  }
  if (new Set(topicPartitions.map((t) => t.topic)).size < topicPartitions.length) {
    throw new KafkaJSNonRetriableError('Invalid topic partitions array, it cannot have multiple entries for the same topic')
  }
  const badCount = topicPartitions.find((t) => !Number.isInteger(t.count))
  if (badCount !== undefined) throw new KafkaJSNonRetriableError(`Invalid partition count ${String(badCount.count)} for topic "${badCount.topic}": expected an integer`)
  checkTimeout(timeout)
  const request = {
    topics: topicPartitions.map((t) => ({ name: t.topic, count: t.count, assignments: t.assignments ?? null })),
    timeoutMs: timeout,
    validateOnly,
  }
  await sendToController(client, 'CreatePartitions', request, (response) => {
    const failed = [...response.results].sort(byName).find((t) => t.errorCode !== 0)
    if (failed !== undefined) throw protocolError(failed.errorCode, `topic "${failed.name}"`, failed.errorMessage)
  })
  return true
}

/** `admin.listTopics`: every topic name the cluster knows. */
export async function listTopics(client: BrokerRouter): Promise<string[]> {
  const response = await client.metadata(null)
  return response.topics.map((t) => t.topic)
}

/**
 * `admin.fetchTopicMetadata`: partitions with leader, replicas and ISR, for the given topics or,
 * with none, every topic. Rejects with the broker's error for an unknown topic.
 */
export async function fetchTopicMetadata(client: BrokerRouter, options: { topics?: string[] } = {}): Promise<{ topics: ITopicMetadata[] }> {
  const topics = options?.topics ?? []
  if (!Array.isArray(topics)) throw new KafkaJSNonRetriableError(`Invalid topics array ${String(topics)}`)
  for (const topic of topics) {
    if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`)
  }
  const response = await client.metadata(topics.length === 0 ? null : topics)
  const failed = response.topics.find((t) => t.errorCode !== 0)
  if (failed !== undefined) throw protocolError(failed.errorCode, `topic "${failed.topic}"`)
  return {
    topics: response.topics.map((t) => ({
      name: t.topic,
      partitions: [...t.partitions]
        .sort((a, b) => a.partition - b.partition)
        .map((p) => ({
          partitionErrorCode: p.errorCode,
          partitionId: p.partition,
          leader: p.leader,
          replicas: [...p.replicas],
          isr: [...p.isr],
          offlineReplicas: [...p.offlineReplicas],
        })),
    })),
  }
}

/** `admin.describeCluster`: brokers, controller (null if none) and cluster id. */
export async function describeCluster(client: BrokerRouter): Promise<{ brokers: Array<{ nodeId: number; host: string; port: number }>; controller: number | null; clusterId: string }> {
  const response = await client.metadata([])
  return {
    brokers: response.brokers.map(({ nodeId, host, port }) => ({ nodeId, host, port })),
    controller: response.controllerId < 0 ? null : response.controllerId,
    clusterId: response.clusterId,
  }
}

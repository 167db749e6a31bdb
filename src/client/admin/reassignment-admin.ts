/**
 * The admin's replica placement calls: partition reassignments (KIP-455) with KafkaJS 2.2.4's
 * checks and messages, and `electLeaders` (KIP-460, a kafkalite extra: KafkaJS 2.2.4 lacks it).
 */
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSNonRetriableError, protocolError } from '../errors.js'
import type { ListPartitionReassignmentsResponse, PartitionReassignment, TopicPartitions } from './admin-types.js'
import { sendToController } from './metadata-lookups.js'

const DEFAULT_TIMEOUT = 5000

function checkTopicNames(topics: ReadonlyArray<{ topic?: unknown }>): void {
  if (topics.some(({ topic }) => typeof topic !== 'string')) throw new KafkaJSNonRetriableError('Invalid topics array, the topic names have to be a valid string')
  if (new Set(topics.map(({ topic }) => topic)).size < topics.length) {
    throw new KafkaJSNonRetriableError('Invalid topics array, it cannot have multiple entries for the same topic')
  }
}

/** `admin.alterPartitionReassignments`: starts moving partitions to new replicas; resolves once the moves are accepted. */
export async function alterPartitionReassignments(client: BrokerRouter, options: { topics: PartitionReassignment[]; timeout?: number }): Promise<void> {
  const { topics, timeout = DEFAULT_TIMEOUT } = options ?? ({} as never)
  if (!topics || !Array.isArray(topics)) throw new KafkaJSNonRetriableError(`Invalid topics array ${String(topics)}`)
  checkTopicNames(topics)
  for (const { topic, partitionAssignment } of topics) {
    if (!partitionAssignment || !Array.isArray(partitionAssignment)) {
      throw new KafkaJSNonRetriableError(`Invalid partitions array: ${String(partitionAssignment)} for topic: ${topic}`)
    }
    for (const { partition, replicas } of partitionAssignment) {
      if (partition === null || partition === undefined || typeof partition !== 'number' || partition < 0) {
        throw new KafkaJSNonRetriableError(`Invalid partitions index: ${String(partition)} for topic: ${topic}`)
      }
      if (!replicas || !Array.isArray(replicas)) {
        throw new KafkaJSNonRetriableError(`Invalid replica assignment: ${String(replicas)} for topic: ${topic} on partition: ${partition}`)
      }
      if (replicas.some((replica) => typeof replica !== 'number' || replica < 0)) {
        throw new KafkaJSNonRetriableError(`Invalid replica assignment: ${String(replicas)} for topic: ${topic} on partition: ${partition}. Replicas must be a non negative number`)
      }
    }
  }
  const request = {
    timeoutMs: timeout,
    topics: topics.map((t) => ({ name: t.topic, partitions: t.partitionAssignment.map((p) => ({ partitionIndex: p.partition, replicas: p.replicas })) })),
  }
  await sendToController(client, 'AlterPartitionReassignments', request, (response) => {
    if (response.errorCode !== 0) throw protocolError(response.errorCode, 'reassigning partitions', response.errorMessage)
    for (const t of response.responses) {
      const failed = t.partitions.find((p) => p.errorCode !== 0)
      if (failed !== undefined) throw protocolError(failed.errorCode, `reassigning ${t.name}-${failed.partitionIndex}`, failed.errorMessage)
    }
  })
}

/** `admin.listPartitionReassignments`: the moves in progress (all, or of the given partitions). */
export async function listPartitionReassignments(client: BrokerRouter, options: { topics?: TopicPartitions[]; timeout?: number } = {}): Promise<ListPartitionReassignmentsResponse> {
  const { topics = null, timeout = DEFAULT_TIMEOUT } = options ?? {}
  if (topics) {
    if (!Array.isArray(topics)) throw new KafkaJSNonRetriableError(`Invalid topics array ${String(topics)}`)
    checkTopicNames(topics)
    for (const { topic, partitions } of topics) {
      if (!partitions || !Array.isArray(partitions)) throw new KafkaJSNonRetriableError(`Invalid partition array: ${String(partitions)} for topic: ${topic}`)
      if (partitions.some((partition) => typeof partition !== 'number' || partition < 0)) {
        throw new KafkaJSNonRetriableError(`Invalid partition array: ${String(partitions)} for topic: ${topic}. The partition indices have to be a valid number greater than 0.`)
      }
    }
  }
  const request = { timeoutMs: timeout, topics: topics === null ? null : topics.map((t) => ({ name: t.topic, partitionIndexes: t.partitions })) }
  return sendToController(client, 'ListPartitionReassignments', request, (response) => {
    if (response.errorCode !== 0) throw protocolError(response.errorCode, 'listing reassignments', response.errorMessage)
    return {
      topics: response.topics.map((t) => ({
        topic: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, replicas: [...p.replicas], addingReplicas: [...p.addingReplicas], removingReplicas: [...p.removingReplicas] })),
      })),
    }
  })
}

/** Kafka's `ElectionType`. */
export const ElectionTypes = { PREFERRED: 0, UNCLEAN: 1 } as const
export type ElectionTypes = (typeof ElectionTypes)[keyof typeof ElectionTypes]

/**
 * `admin.electLeaders`: elects leaders of the given partitions (every partition if none given).
 * Rejects with the first partition's error, except ELECTION_NOT_NEEDED, which is not a failure.
 */
export async function electLeaders(
  client: BrokerRouter,
  options: { electionType?: ElectionTypes; topicPartitions?: TopicPartitions[]; timeout?: number } = {},
): Promise<Array<{ topic: string; partition: number; errorCode: number }>> {
  const { electionType = ElectionTypes.PREFERRED, topicPartitions, timeout = DEFAULT_TIMEOUT } = options ?? {}
  if (!(Object.values(ElectionTypes) as unknown[]).includes(electionType)) {
    throw new KafkaJSNonRetriableError(`Invalid election type ${String(electionType)}: use ElectionTypes.PREFERRED or ElectionTypes.UNCLEAN`)
  }
  const request = { electionType, timeoutMs: timeout, topicPartitions: topicPartitions === undefined ? null : topicPartitions.map((t) => ({ topic: t.topic, partitions: t.partitions })) }
  return sendToController(client, 'ElectLeaders', request, (response) => {
    if (response.errorCode !== 0) throw protocolError(response.errorCode, 'electing leaders')
    const results = response.replicaElectionResults.flatMap((t) => t.partitionResult.map((p) => ({ topic: t.topic, partition: p.partitionId, errorCode: p.errorCode, errorMessage: p.errorMessage })))
    const failed = results.find((r) => r.errorCode !== 0 && r.errorCode !== 84)
    if (failed !== undefined) throw protocolError(failed.errorCode, `electing the leader of ${failed.topic}-${failed.partition}`, failed.errorMessage)
    return results.map(({ topic, partition, errorCode }) => ({ topic, partition, errorCode }))
  })
}

/**
 * Publishes failed records to retry and dead-letter topics, and creates those topics beside their
 * source topic. Records are routed and written as the client's `publishFailedRecord` does for the
 * consumer's own dead letters (same partition number as the source when the target has it, acks=all);
 * this module adds the listener container's topic creation and a cache of partition counts.
 */
import { publishFailedRecord } from '../client/dead-letter/failed-record-publishing.js'
import type { Message } from '../client/message-types.js'
import type { AdminLike, MessageSender } from './client-api.js'

/** A topic that should exist, and how many partitions it gets if it has to be created. */
export interface TopicSpec {
  topic: string
  numPartitions: number
  replicationFactor?: number
}

/** Publishes failed records; one per listener container. */
export class FailedRecordPublisher {
  private readonly partitionCounts = new Map<string, number>()

  constructor(
    private readonly producer: MessageSender,
    private readonly admin: AdminLike,
  ) {}

  /** The partition counts of the existing topics among `topics`. */
  async existingPartitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const existing = new Set(await this.admin.listTopics())
    const wanted = [...new Set(topics)].filter((topic) => existing.has(topic))
    if (wanted.length > 0) {
      const { topics: metadata } = await this.admin.fetchTopicMetadata({ topics: wanted })
      for (const { name, partitions } of metadata) this.partitionCounts.set(name, partitions.length)
    }
    const counts = new Map<string, number>()
    for (const topic of wanted) {
      const count = this.partitionCounts.get(topic)
      if (count !== undefined) counts.set(topic, count)
    }
    return counts
  }

  /** Creates the topics of `specs` that do not exist yet (KafkaJS `createTopics` leaves existing ones alone). */
  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    const existing = await this.existingPartitionCounts(specs.map((spec) => spec.topic))
    const missing = specs.filter((spec, index) => !existing.has(spec.topic) && specs.findIndex((other) => other.topic === spec.topic) === index)
    if (missing.length === 0) return
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map(({ topic, numPartitions, replicationFactor }) =>
        replicationFactor === undefined ? { topic, numPartitions } : { topic, numPartitions, replicationFactor },
      ),
    })
    for (const spec of missing) this.partitionCounts.set(spec.topic, spec.numPartitions)
  }

  /** Publishes `message` to `topic`, on `sourcePartition` when the topic has that partition. */
  async publish(topic: string, message: Message, sourcePartition: number): Promise<void> {
    const partitionCount = async (name: string) => this.partitionCounts.get(name) ?? (await this.lookUpPartitionCount(name))
    await publishFailedRecord({ send: (record) => this.producer.send(record), partitionCount }, topic, message, sourcePartition)
  }

  private async lookUpPartitionCount(topic: string): Promise<number | undefined> {
    try {
      return (await this.existingPartitionCounts([topic])).get(topic)
    } catch {
      // Unknown counts only lose the same-partition routing; the key still picks a partition.
      return undefined
    }
  }
}

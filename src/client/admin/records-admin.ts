/**
 * `admin.deleteTopicRecords` (DeleteRecords): moves partitions' log start offsets, at their leaders,
 * with KafkaJS's validation, warnings and errors (KafkaJSDeleteTopicRecordsError per partition).
 */
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSBrokerNotFound, KafkaJSDeleteTopicRecordsError, KafkaJSNonRetriableError, protocolError, type KafkaJSError } from '../errors.js'
import type { Logger } from '../logger.js'
import { EARLIEST_TIMESTAMP, listOffsets } from './metadata-lookups.js'

/** One partition to trim: every record below `offset` goes (`'-1'`: up to the high watermark). */
export interface DeleteRecordsPartition {
  partition: number
  offset: string
}

type PartitionError = { partition: number; offset: string; error: KafkaJSError }

/** KafkaJS's `staleMetadata`: errors after which fresh metadata may help. */
const STALE_METADATA = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_OR_FOLLOWER'])

/**
 * Deletes every record below the given offsets. A partition without a leader rejects with
 * KafkaJSDeleteTopicRecordsError; partitions the brokers refuse reject with it too, wrapped (as KafkaJS's
 * retrier does) in KafkaJSNonRetriableError when no error is retriable.
 */
export async function deleteTopicRecords(client: BrokerRouter, log: Logger, options: { topic: string; partitions: DeleteRecordsPartition[] }): Promise<void> {
  const { topic, partitions } = options ?? ({} as never)
  if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic "${String(topic)}"`)
  if (!Array.isArray(partitions) || partitions.length === 0) throw new KafkaJSNonRetriableError('Invalid partitions')

  await client.addTargetTopics([topic])
  await client.refreshMetadataIfNecessary()
  const led = [...new Set(partitions.map((p) => p.partition))].filter((partition) => client.leaderFor(topic, partition) >= 0)
  const low = await listOffsets(client, topic, led, EARLIEST_TIMESTAMP)
  const leaderless: PartitionError[] = []
  for (const { partition, offset } of partitions) {
    if (client.leaderFor(topic, partition) < 0) {
      leaderless.push({ partition, offset, error: new KafkaJSBrokerNotFound('Could not find the leader for the partition', { retriable: false }) })
      continue
    }
    const start = low.get(partition)
    if (start !== undefined && Number.parseInt(offset) < start && Number.parseInt(offset) !== -1) {
      log.warn('The requested offset is before the earliest offset maintained on the partition - no records will be deleted from this partition', { topic, partition, offset })
    }
  }
  if (leaderless.length > 0) throw new KafkaJSDeleteTopicRecordsError(leaderless)

  const pending = new Map(partitions.map((p) => [p.partition, p]))
  await client.retrier(async () => {
    const failed: PartitionError[] = []
    const byLeader = client.findLeaderForPartitions(topic, [...pending.keys()])
    await Promise.all(
      [...byLeader].map(async ([leader, ids]) => {
        const asked = ids.map((id) => pending.get(id)!)
        const response = await client.send(leader, 'DeleteRecords', {
          topics: [{ topic, partitions: asked.map((p) => ({ partition: p.partition, offset: Number(p.offset) })) }],
          timeoutMs: 5000,
        })
        for (const result of response.topics.flatMap((t) => t.partitions)) {
          const error = protocolError(result.errorCode, `deleting records of topic "${topic}" partition ${result.partition}`)
          if (error === undefined) pending.delete(result.partition)
          else failed.push({ partition: result.partition, offset: pending.get(result.partition)!.offset, error })
        }
      }),
    )
    if (failed.length > 0) {
      if (failed.some((f) => STALE_METADATA.has((f.error as { type?: string }).type ?? ''))) client.invalidateMetadata()
      throw new KafkaJSDeleteTopicRecordsError(failed)
    }
  })
}

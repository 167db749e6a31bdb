/**
 * The admin's offset operations: a topic's low/high watermarks and offsets by timestamp
 * (ListOffsets), a group's committed offsets (OffsetFetch), and setting or resetting them
 * (OffsetCommit) while the group has no running member.
 */
import { Errors } from '../../protocol/error-codes.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSNonRetriableError, protocolError, type KafkaJSProtocolError } from '../errors.js'
import type { FetchOffsetsPartition, PartitionOffset, SeekEntry } from './admin-types.js'
import { checkGroupId, checkTopic, parseOffset } from './admin-validation.js'
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, listOffsets, sendToCoordinator, topicPartitions } from './metadata-lookups.js'

/** `admin.fetchTopicOffsets`: per partition, the high watermark (`offset`, `high`) and the log start offset (`low`). */
export async function fetchTopicOffsets(client: BrokerRouter, topic: string): Promise<Array<PartitionOffset & { high: string; low: string }>> {
  checkTopic(topic)
  const partitions = await topicPartitions(client, topic)
  const high = await listOffsets(client, topic, partitions, LATEST_TIMESTAMP)
  const low = await listOffsets(client, topic, partitions, EARLIEST_TIMESTAMP)
  return partitions.map((partition) => {
    const offset = String(high.get(partition))
    return { partition, offset, high: offset, low: String(low.get(partition)) }
  })
}

/**
 * `admin.fetchTopicOffsetsByTimestamp`: per partition, the first offset whose timestamp is at or
 * after `timestamp`, or the high watermark when there is none; without a timestamp, the high watermark.
 */
export async function fetchTopicOffsetsByTimestamp(client: BrokerRouter, topic: string, given?: number | string): Promise<SeekEntry[]> {
  checkTopic(topic)
  // KafkaJS encodes the timestamp with Long.fromValue, so the numeric string `message.timestamp` is works too.
  const timestamp = typeof given === 'string' && /^-?\d+$/.test(given) ? Number(given) : given
  if (timestamp !== undefined && timestamp !== null && !(typeof timestamp === 'number' && Number.isFinite(timestamp))) {
    throw new KafkaJSNonRetriableError(`Invalid timestamp ${String(timestamp)}: expected milliseconds since the epoch (a number or a numeric string)`)
  }
  const partitions = await topicPartitions(client, topic)
  const high = await listOffsets(client, topic, partitions, LATEST_TIMESTAMP)
  const byTime = timestamp === undefined || timestamp === null ? high : await listOffsets(client, topic, partitions, timestamp)
  return partitions.map((partition) => {
    const offset = byTime.get(partition)!
    return { partition, offset: String(offset >= 0 ? offset : high.get(partition)) }
  })
}

/**
 * `admin.fetchOffsets`: the group's committed offsets for the topics (every partition, `'-1'` where
 * none is committed) or, without topics, for every partition the group has committed.
 * `resolveOffsets` replaces `-1`/`-2` by the high/low watermark and commits them, as KafkaJS does.
 */
export async function fetchOffsets(
  client: BrokerRouter,
  options: { groupId: string; topics?: string[]; resolveOffsets?: boolean },
): Promise<Array<{ topic: string; partitions: FetchOffsetsPartition[] }>> {
  const { groupId, resolveOffsets = false } = options ?? ({} as never)
  checkGroupId(groupId)
  const topics = options.topics ?? []
  if (!Array.isArray(topics)) throw new KafkaJSNonRetriableError('Expected topics array to be set')
  topics.forEach(checkTopic)
  const request = await Promise.all(topics.map(async (topic) => ({ topic, partitions: await topicPartitions(client, topic) })))
  const response = await sendToCoordinator(client, groupId, async (coordinator) => {
    const answer = await client.send(coordinator, 'OffsetFetch', { groupId, topics: request.length === 0 ? null : request, requireStable: false })
    const error = protocolError(answer.errorCode, `fetching the offsets of group "${groupId}"`)
    if (error !== undefined) throw error
    return answer
  })
  let result = response.topics.map(({ topic, partitions }) => ({
    topic,
    partitions: partitions.map((p) => {
      const error = protocolError(p.errorCode, `group "${groupId}" topic "${topic}" partition ${p.partition}`)
      if (error !== undefined) throw error
      return { partition: p.partition, offset: String(p.offset), metadata: p.metadata || null }
    }),
  }))
  if (resolveOffsets) {
    result = await Promise.all(
      result.map(async ({ topic, partitions }) => {
        const watermarks = new Map((await fetchTopicOffsets(client, topic)).map((w) => [w.partition, w]))
        const resolved = partitions.map((p) => {
          const w = watermarks.get(p.partition)
          if (p.offset === String(EARLIEST_TIMESTAMP)) return { ...p, offset: w?.low ?? p.offset }
          if (p.offset === String(LATEST_TIMESTAMP)) return { ...p, offset: w?.high ?? p.offset }
          return p
        })
        await setOffsets(client, { groupId, topic, partitions: resolved })
        return { topic, partitions: resolved }
      }),
    )
  }
  return result
}

/** Kafka's group states in which no member is running: only then may an admin move offsets. */
const IDLE_STATES = new Set(['Empty', 'Dead'])

/** Rejects unless the group has no running member (KafkaJS's check before setting offsets). */
async function checkGroupIdle(client: BrokerRouter, groupId: string): Promise<void> {
  const state = await sendToCoordinator(client, groupId, async (coordinator) => {
    const { groups } = await client.send(coordinator, 'DescribeGroups', { groups: [groupId] })
    const group = groups.find((g) => g.groupId === groupId)
    const error = group === undefined ? undefined : protocolError(group.errorCode, `describing group "${groupId}"`)
    if (error !== undefined) throw error
    return group?.state ?? 'Dead'
  })
  if (!IDLE_STATES.has(state)) throw new KafkaJSNonRetriableError(`The consumer group must have no running instances, current state: ${state}`)
}

/**
 * `admin.setOffsets`: commits the given offsets for the group, which must have no running member.
 * Offsets `-2`/`-1` are resolved to the log start offset / high watermark before committing.
 * Every partition is checked first, so a bad one commits nothing.
 */
export async function setOffsets(client: BrokerRouter, options: { groupId: string; topic: string; partitions: SeekEntry[] }): Promise<void> {
  const { groupId, topic, partitions } = options ?? ({} as never)
  checkGroupId(groupId)
  checkTopic(topic)
  if (!partitions || !Array.isArray(partitions) || partitions.length === 0) throw new KafkaJSNonRetriableError('Invalid partitions')
  const existing = new Set(await topicPartitions(client, topic))
  const requested = partitions.map((p) => {
    if (p === null || typeof p !== 'object' || !existing.has(p.partition)) {
      throw protocolError(Errors.UNKNOWN_TOPIC_OR_PARTITION.code, `topic "${topic}" has no partition ${String(p?.partition)} (it has ${existing.size})`)!
    }
    return { partition: p.partition, offset: parseOffset(p.offset, `topic "${topic}" partition ${p.partition}`) }
  })
  const sentinels = requested.filter((p) => p.offset < 0)
  if (sentinels.some((p) => p.offset !== EARLIEST_TIMESTAMP && p.offset !== LATEST_TIMESTAMP)) {
    throw new KafkaJSNonRetriableError(`Invalid offset for group "${groupId}" topic "${topic}": offsets must be >= 0, or -1 (latest) / -2 (earliest)`)
  }
  await checkGroupIdle(client, groupId)
  const resolved = await resolveSentinels(client, topic, requested)
  await commitOffsets(client, groupId, topic, resolved)
}

/** `admin.resetOffsets`: moves the group to the earliest or (default) latest offset of every partition of the topic. */
export async function resetOffsets(client: BrokerRouter, options: { groupId: string; topic: string; earliest?: boolean }): Promise<void> {
  const { groupId, topic, earliest = false } = options ?? ({} as never)
  checkGroupId(groupId)
  checkTopic(topic)
  const partitions = await topicPartitions(client, topic)
  const offset = String(earliest ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP)
  await setOffsets(client, { groupId, topic, partitions: partitions.map((partition) => ({ partition, offset })) })
}

/**
 * Turns -2 / -1 into the current log start offset / high watermark, as Kafka's
 * `kafka-consumer-groups --reset-offsets --to-earliest/--to-latest` does, so the reset holds
 * whatever the consumer's `fromBeginning` is.
 */
async function resolveSentinels(client: BrokerRouter, topic: string, requested: Array<{ partition: number; offset: number }>) {
  const resolveWith = async (sentinel: number) => {
    const partitions = requested.filter((p) => p.offset === sentinel).map((p) => p.partition)
    return partitions.length === 0 ? new Map<number, number>() : listOffsets(client, topic, partitions, sentinel)
  }
  const earliest = await resolveWith(EARLIEST_TIMESTAMP)
  const latest = await resolveWith(LATEST_TIMESTAMP)
  return requested.map((p) => ({
    partition: p.partition,
    offset: p.offset === EARLIEST_TIMESTAMP ? earliest.get(p.partition)! : p.offset === LATEST_TIMESTAMP ? latest.get(p.partition)! : p.offset,
  }))
}

/** A simple OffsetCommit (generation -1, no member), as Kafka's AdminClient `alterConsumerGroupOffsets` sends. */
async function commitOffsets(client: BrokerRouter, groupId: string, topic: string, offsets: Array<{ partition: number; offset: number }>): Promise<void> {
  await sendToCoordinator(client, groupId, async (coordinator) => {
    const response = await client.send(coordinator, 'OffsetCommit', {
      groupId,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [{ topic, partitions: offsets.map(({ partition, offset }) => ({ partition, offset, metadata: null })) }],
    })
    for (const t of response.topics) {
      for (const p of t.partitions) {
        const error: KafkaJSProtocolError | undefined = protocolError(p.errorCode, `committing group "${groupId}" topic "${t.topic}" partition ${p.partition}`)
        if (error !== undefined) throw error
      }
    }
  })
}

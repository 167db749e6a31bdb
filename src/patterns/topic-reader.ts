/**
 * Reads a topic from its start (or a group's committed offsets) up to the end it had when the read
 * began, through the public consumer API. KafkaJS has no manual partition assignment, so the read
 * uses a consumer group: a durable one, whose committed offsets then say how far it got, or a
 * throwaway one, deleted afterwards.
 *
 * A read always settles: when `onRecord` or the commit after it fails (the client's own retries
 * spent), the read stops and rejects with a {@link TopicReadError} naming the record, rather than
 * letting the consumer deliver the record again, where it would be skipped as already read and the
 * partition never finish.
 */
import type { KafkaMessage } from '../client/message-types.js'
import type { KafkaLike } from './client-api.js'
import { TopicReadError } from './errors.js'

/** A record read from a topic. */
export interface TopicRecord {
  topic: string
  partition: number
  message: KafkaMessage
}

/** Options of {@link readTopicToEnd}. */
export interface ReadTopicOptions {
  /** A durable group: the read starts at its committed offsets and commits after each handled record. */
  groupId?: string
  /**
   * Called for each record, in offset order per partition; the read commits (durable group) after it
   * resolves. If it throws, the read stops and rejects with a TopicReadError.
   */
  onRecord?: (record: TopicRecord) => Promise<void> | void
}

let throwawayGroups = 0

function throwawayGroupId(topic: string): string {
  throwawayGroups += 1
  return `kafkalite-reader-${topic}-${throwawayGroups}`
}

/**
 * Reads every record of `topic` below its current end offsets (its high watermarks when the read
 * starts; records appended meanwhile are left for the next read), and resolves with them in offset
 * order per partition. On a virtual clock, drive it with `clock.run(readTopicToEnd(...))`: joining a
 * group takes cluster time.
 *
 * Not for topics written transactionally: a consumer never sees the commit markers below the end.
 */
export async function readTopicToEnd(kafka: KafkaLike, topic: string, options: ReadTopicOptions = {}): Promise<TopicRecord[]> {
  const admin = kafka.admin()
  await admin.connect()
  const durable = options.groupId !== undefined
  const groupId = options.groupId ?? throwawayGroupId(topic)
  try {
    const ends = new Map<number, number>()
    const starts = new Map<number, number>()
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      ends.set(partition, Number(high))
      starts.set(partition, Number(low))
    }
    if (durable) {
      for (const { partitions } of await admin.fetchOffsets({ groupId, topics: [topic] })) {
        for (const { partition, offset } of partitions) {
          if (Number(offset) >= 0) starts.set(partition, Math.max(starts.get(partition) ?? 0, Number(offset)))
        }
      }
    }
    const pending = new Set([...ends].filter(([partition, end]) => (starts.get(partition) ?? 0) < end).map(([partition]) => partition))
    if (pending.size === 0) return []
    return await consumeUntilDone(kafka, topic, groupId, ends, pending, options, durable)
  } finally {
    if (!durable) await admin.deleteGroups([groupId]).catch(() => undefined)
    await admin.disconnect()
  }
}

async function consumeUntilDone(
  kafka: KafkaLike,
  topic: string,
  groupId: string,
  ends: ReadonlyMap<number, number>,
  pending: Set<number>,
  options: ReadTopicOptions,
  durable: boolean,
): Promise<TopicRecord[]> {
  const records = new Map<string, TopicRecord>()
  const consumer = kafka.consumer({ groupId })
  let finish!: () => void
  let fail!: (error: Error) => void
  let stopped = false
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve
    fail = reject
  })
  // Handled where it is awaited below; this only keeps an early failure from counting as unhandled meanwhile.
  done.catch(() => undefined)
  try {
    await consumer.connect()
    await consumer.subscribe({ topics: [topic], fromBeginning: true })
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const offset = Number(message.offset)
        const key = `${partition}:${offset}`
        if (stopped || offset >= (ends.get(partition) ?? 0) || records.has(key)) return
        const record = { topic, partition, message }
        try {
          await options.onRecord?.(record)
          records.set(key, record)
          if (durable) await consumer.commitOffsets([{ topic, partition, offset: String(offset + 1) }])
        } catch (error) {
          stopped = true
          const what = records.has(key) ? `committing it for group "${groupId}"` : 'handling it'
          const resume = durable ? `; a new read with group "${groupId}" resumes from its committed offset` : ''
          fail(new TopicReadError(`Reading ${topic} stopped at partition ${partition}, offset ${offset}: ${what} failed (${(error as Error)?.message ?? String(error)})${resume}`, { cause: error }))
          return
        }
        if (offset + 1 >= ends.get(partition)!) pending.delete(partition)
        if (pending.size === 0) finish()
      },
    })
    await done
  } finally {
    await consumer.disconnect()
  }
  return [...records.values()].sort((a, b) => a.partition - b.partition || Number(a.message.offset) - Number(b.message.offset))
}

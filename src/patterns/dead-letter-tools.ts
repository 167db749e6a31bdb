/**
 * Tools for a dead-letter topic: read what is in it with the reasons decoded, and replay records to
 * the topic they came from once the cause is fixed. Kafka cannot delete single records, so a replay
 * does not empty the dead-letter topic; give `groupId` to remember how far replays got.
 */
import { DEAD_LETTER_HEADER_PREFIX, parseDeadLetterHeaders, type DeadLetterInfo } from '../client/dead-letter/dead-letter-headers.js'
import type { IHeaders, KafkaMessage, Message } from '../client/message-types.js'
import type { KafkaLike } from './client-api.js'
import { InvalidListenerError, type TopicReadError } from './errors.js'
import { RETRY_TOPIC_HEADER_PREFIX } from './retry-topics.js'
import { readTopicToEnd } from './topic-reader.js'

/** A record of a dead-letter topic, with its dead-letter headers decoded. */
export interface DeadLetterRecord {
  topic: string
  partition: number
  offset: string
  key: Buffer | null
  value: Buffer | null
  headers: IHeaders
  timestamp: string
  /** Where the record came from and why it failed; undefined if it has no dead-letter headers. */
  deadLetter: DeadLetterInfo | undefined
}

function toDeadLetterRecord(topic: string, partition: number, message: KafkaMessage): DeadLetterRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: message.headers ?? {},
    timestamp: message.timestamp,
    deadLetter: parseDeadLetterHeaders(message),
  }
}

/**
 * Every record now in a dead-letter topic, in offset order per partition. On a virtual clock, drive it
 * with `clock.run(readDeadLetters(kafka, 'orders-dlt'))`. A topic that does not exist rejects with
 * the client's UNKNOWN_TOPIC_OR_PARTITION error rather than reading as empty: it is more often a typo.
 */
export async function readDeadLetters(kafka: KafkaLike, topic: string): Promise<DeadLetterRecord[]> {
  if (typeof topic !== 'string' || topic === '') throw new InvalidListenerError(`readDeadLetters needs a topic name, got ${JSON.stringify(topic)}`)
  const records = await readTopicToEnd(kafka, topic)
  return records.map(({ partition, message }) => toDeadLetterRecord(topic, partition, message))
}

/** Options of {@link replayDeadLetters}. */
export interface ReplayOptions {
  /** The dead-letter topic to replay. */
  from: string
  /** Replays only the records it accepts (default: all). */
  filter?: (record: DeadLetterRecord) => boolean
  /** Replays to this topic instead of each record's original topic. */
  to?: string
  /**
   * A consumer group that remembers what was replayed: each record is replayed once across calls.
   * Without it, every call replays every record in the topic.
   */
  groupId?: string
}

/** What {@link replayDeadLetters} did. */
export interface ReplayResult {
  /** Records published back, each to its original topic (or `to`). */
  replayed: DeadLetterRecord[]
  /** Records left alone: refused by `filter`, or with no original topic to go back to. */
  skipped: DeadLetterRecord[]
}

/** The record's own headers, without the dead-letter and retry headers it picked up on the way. */
function originalHeaders(headers: IHeaders): IHeaders {
  const kept: IHeaders = {}
  for (const [key, value] of Object.entries(headers)) {
    if (!key.startsWith(DEAD_LETTER_HEADER_PREFIX) && !key.startsWith(RETRY_TOPIC_HEADER_PREFIX)) kept[key] = value
  }
  return kept
}

/**
 * Publishes the records of a dead-letter topic back to the topics they came from (with their key,
 * value and own headers, on their original partition), in offset order per partition, waiting for
 * each to be acknowledged by all in-sync replicas. If a replay fails (the producer's retries spent) or,
 * with `groupId`, its commit does, the call rejects with a {@link TopicReadError} naming the record.
 */
export async function replayDeadLetters(kafka: KafkaLike, options: ReplayOptions): Promise<ReplayResult> {
  if (typeof options?.from !== 'string' || options.from === '') {
    throw new InvalidListenerError(`replayDeadLetters needs { from: '<dead-letter topic>' }, got ${JSON.stringify(options?.from)}`)
  }
  if (options.to === options.from) {
    throw new InvalidListenerError(`replayDeadLetters: "to" is the dead-letter topic itself ("${options.from}"); records would be replayed into it again`)
  }
  const producer = kafka.producer()
  await producer.connect()
  const result: ReplayResult = { replayed: [], skipped: [] }
  try {
    await readTopicToEnd(kafka, options.from, {
      groupId: options.groupId,
      onRecord: async ({ partition, message }) => {
        const record = toDeadLetterRecord(options.from, partition, message)
        const target = options.to ?? record.deadLetter?.originalTopic
        if (target === undefined || (options.filter !== undefined && !options.filter(record))) {
          result.skipped.push(record)
          return
        }
        const replay: Message = { key: record.key, value: record.value, headers: originalHeaders(record.headers) }
        if (options.to === undefined && record.deadLetter?.originalPartition !== undefined) replay.partition = record.deadLetter.originalPartition
        await producer.send({ topic: target, acks: -1, messages: [replay] })
        result.replayed.push(record)
      },
    })
  } finally {
    await producer.disconnect()
  }
  return result
}

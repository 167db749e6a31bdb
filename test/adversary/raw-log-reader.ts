/**
 * The patterns adversary's final reader: every record of some topics with its key, value, headers and timestamp, read
 * afresh after the run by a new client and a new group from the beginning up to each partition's high watermark.
 * It uses the KafkaJS-compatible consumer only, never the patterns layer's own topic reader (which the run checks).
 */
import type { IHeaders, Kafka } from 'kafkalite'
import type { Clock } from '../../src/time/clock.js'

export interface RawRecord {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly key: string | null
  /** The value's bytes (a poison record's are not text). */
  readonly value: Buffer | null
  readonly timestamp: number
  readonly headers: IHeaders
}

export interface RawLog {
  readonly records: readonly RawRecord[]
  /** Per `topic/partition`: its high watermark when the read began. */
  readonly ends: ReadonlyMap<string, number>
  /** True when every partition was read to its high watermark. */
  readonly complete: boolean
}

/**
 * Reads `topics` to their high watermarks; gives up (complete: false) after `maxMs` of cluster time. It waits on the
 * clock and never drives it: `await clock.run(readRawLog(...))`.
 */
export async function readRawLog(kafka: Kafka, clock: Clock, topics: readonly string[], maxMs = 120_000): Promise<RawLog> {
  const admin = kafka.admin()
  await admin.connect()
  const ends = new Map<string, number>()
  for (const topic of topics) for (const o of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${o.partition}`, Number(o.high))
  await admin.disconnect()
  const records: RawRecord[] = []
  const next = new Map<string, number>()
  const consumer = kafka.consumer({ groupId: `raw-reader-${clock.now()}`, maxWaitTimeInMs: 100 })
  await consumer.connect()
  await consumer.subscribe({ topics: [...topics], fromBeginning: true })
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      const offset = Number(message.offset)
      const at = `${topic}/${partition}`
      // A record delivered again after a rebalance is kept once.
      if (offset < (next.get(at) ?? 0)) return
      next.set(at, offset + 1)
      records.push({
        topic,
        partition,
        offset,
        key: message.key === null ? null : message.key.toString(),
        value: message.value === null ? null : Buffer.from(message.value),
        timestamp: Number(message.timestamp),
        headers: { ...(message.headers ?? {}) },
      })
    },
  })
  const done = (): boolean => [...ends].every(([at, end]) => (next.get(at) ?? 0) >= end)
  const started = clock.now()
  while (!done() && clock.now() - started < maxMs) await clock.sleep(100)
  const complete = done()
  await consumer.disconnect()
  return { records, ends, complete }
}

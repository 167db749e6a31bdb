/**
 * Reads the final log afresh, from outside: a new consumer group (a fresh client, no state shared with the run)
 * reads every partition of the topics from the beginning at one isolation level, and an admin client tells each
 * partition's log start and high watermark. Call it once the faults are over.
 */
import type { Kafka } from '../../client/kafka.js'
import type { VirtualClock } from '../../time/virtual-clock.js'
import type { FinalLog, LogRecord, PartitionExtent } from './observations.js'

/** Options of {@link readFinalLog}. */
export interface ReadFinalLogOptions {
  /** `read_committed` (KafkaJS's default) or `read_uncommitted`. */
  readonly isolation: 'read_committed' | 'read_uncommitted'
  /** Stop once no record has arrived for this long, in ms of cluster time (default 3000). */
  readonly quietMs?: number
  /** Give up after this long (default 120000): a log that cannot be read is itself a finding of the liveness oracles. */
  readonly maxMs?: number
}

let readers = 0

/** Reads `topics` to their ends with a fresh consumer group of `kafka`, on `clock`, then disconnects it. */
export async function readFinalLog(kafka: Kafka, clock: VirtualClock, topics: readonly string[], options: ReadFinalLogOptions): Promise<FinalLog> {
  const quietMs = options.quietMs ?? 3000
  const maxMs = options.maxMs ?? 120_000
  const admin = kafka.admin()
  await clock.run(admin.connect())
  const extents: PartitionExtent[] = []
  for (const topic of topics) {
    for (const o of await clock.run(admin.fetchTopicOffsets(topic))) {
      extents.push({ topic, partition: o.partition, logStartOffset: Number(o.low), highWatermark: Number(o.high) })
    }
  }
  await clock.run(admin.disconnect())
  const records: LogRecord[] = []
  const consumer = kafka.consumer({
    groupId: `kafkalite-final-reader-${++readers}-${options.isolation}`,
    readUncommitted: options.isolation === 'read_uncommitted',
    maxWaitTimeInMs: 100,
  })
  await clock.run(consumer.connect())
  await clock.run(consumer.subscribe({ topics: [...topics], fromBeginning: true }))
  let joined = false
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true
  })
  await clock.run(
    consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        records.push({ topic, partition, offset: Number(message.offset), value: message.value?.toString() ?? '' })
      },
    }),
  )
  const reachedEnds = (): boolean => {
    const top = new Map<string, number>()
    for (const r of records) top.set(`${r.topic}/${r.partition}`, Math.max(top.get(`${r.topic}/${r.partition}`) ?? -1, r.offset))
    return extents.every((e) => e.highWatermark <= e.logStartOffset || (top.get(`${e.topic}/${e.partition}`) ?? -1) >= e.highWatermark - 1)
  }
  const started = clock.now()
  let seen = -1
  let quietSince = clock.now()
  while (clock.now() - started < maxMs) {
    await clock.advance(100)
    if (records.length !== seen) {
      seen = records.length
      quietSince = clock.now()
    }
    // Markers may end a transactional partition, so its last offset is never delivered: quiet is the other end.
    if (joined && (reachedEnds() || clock.now() - quietSince >= quietMs)) break
  }
  await clock.run(consumer.disconnect())
  return { records, extents }
}

/**
 * Reads the final log afresh, from outside: a new consumer group (a fresh client, no state shared with the run)
 * reads every partition of the topics from the beginning at one isolation level, and an admin client tells each
 * partition's log start and high watermark. Call it once the faults are over.

It waits on the cluster's clock and never drives it: inside `withCluster` just await it; elsewhere
`await clock.run(readFinalLog(...))`.
 */
import type { Clock, History, Kafka } from 'kafkalite'
import type { FinalLog, LogRecord, PartitionExtent } from './observations.js'

/** Options of {@link readFinalLog}. */
export interface ReadFinalLogOptions {
  /** `read_committed` (KafkaJS's default) or `read_uncommitted`. */
  readonly isolation: 'read_committed' | 'read_uncommitted'
  /** Stop once no record has arrived for this long, in ms of cluster time (default 3000). */
  readonly quietMs?: number
  /** Give up after this long (default 120000): a log that cannot be read is itself a finding of the liveness oracles. */
  readonly maxMs?: number
  /**
   * Also record every record read as a one-record poll of this history (process: the reader's group id), so that
   * `checkHistory(history, { drained: true })` compares the acknowledgements against the whole final log.
   */
  readonly history?: History
}

/** Reads `topics` to their ends with a fresh consumer group of `kafka`, waiting on `clock`, then disconnects it. */
export async function readFinalLog(kafka: Kafka, clock: Clock, topics: readonly string[], options: ReadFinalLogOptions): Promise<FinalLog> {
  const quietMs = options.quietMs ?? 3000
  const maxMs = options.maxMs ?? 120_000
  const admin = kafka.admin()
  await admin.connect()
  const extents: PartitionExtent[] = []
  for (const topic of topics) {
    for (const o of await admin.fetchTopicOffsets(topic)) {
      extents.push({ topic, partition: o.partition, logStartOffset: Number(o.low), highWatermark: Number(o.high) })
    }
  }
  await admin.disconnect()
  const records: LogRecord[] = []
  // Named after the cluster time, not a module counter: the same seed replays the same group ids (no global state).
  const groupId = `kafkalite-final-reader-${options.isolation}-${clock.now()}`
  const consumer = kafka.consumer({
    groupId,
    readUncommitted: options.isolation === 'read_uncommitted',
    maxWaitTimeInMs: 100,
  })
  await consumer.connect()
  await consumer.subscribe({ topics: [...topics], fromBeginning: true })
  let joined = false
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true
  })
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      const record = { topic, partition, offset: Number(message.offset), value: message.value?.toString() ?? '' }
      records.push(record)
      options.history?.record({ type: 'poll', process: groupId, records: [{ ...record, key: message.key?.toString() ?? null }] })
    },
  })
  const reachedEnds = (): boolean => {
    const top = new Map<string, number>()
    for (const r of records) top.set(`${r.topic}/${r.partition}`, Math.max(top.get(`${r.topic}/${r.partition}`) ?? -1, r.offset))
    return extents.every((e) => e.highWatermark <= e.logStartOffset || (top.get(`${e.topic}/${e.partition}`) ?? -1) >= e.highWatermark - 1)
  }
  const started = clock.now()
  let seen = -1
  let quietSince = clock.now()
  while (clock.now() - started < maxMs) {
    await clock.sleep(100)
    if (records.length !== seen) {
      seen = records.length
      quietSince = clock.now()
    }
    // Markers may end a transactional partition, so its last offset is never delivered: quiet is the other end.
    if (joined && (reachedEnds() || clock.now() - quietSince >= quietMs)) break
  }
  await consumer.disconnect()
  return { records, extents }
}

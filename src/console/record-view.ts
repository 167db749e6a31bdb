/**
 * The newest records of every topic, whoever produced them (the console, an application in the same
 * process, a client over the wire listener): one reader group per topic (named with
 * {@link CONSOLE_GROUP_PREFIX}, so the page does not list it), from the beginning, as any consumer
 * reads it, at the default isolation (read_committed), so records of open or aborted transactions
 * do not show. Dead-letter and retry topics have their own view.
 */
import type { Consumer } from '../client/consumer/consumer.js'
import type { Kafka } from '../client/kafka.js'
import { murmur2, toPositive } from '../client/murmur2.js'
import type { RecordSnapshot } from './console-snapshot.js'
import { isDeadLetterOrRetryTopic } from './dead-letter-view.js'
import { CONSOLE_GROUP_PREFIX } from './group-view.js'

/** How many records the page is sent (the newest, of all topics together). */
const KEPT_RECORDS = 100
/** Characters of a value shown. */
const VALUE_CHARS = 60

/** The default partitioner's choice for `key`, with its arithmetic (Kafka's `BuiltInPartitioner.partitionForKey`). */
export function partitionForKey(key: string, partitions: number): { hash: number; partition: number; why: string } {
  const hash = murmur2(Buffer.from(key))
  const partition = toPositive(hash) % partitions
  return { hash, partition, why: `toPositive(murmur2("${key}")) = ${toPositive(hash)}, % ${partitions} partitions = ${partition}` }
}

/**
 * Why a record read from `partition` of a topic with `partitions` partitions is there: the default
 * partitioner's arithmetic when it agrees, otherwise what else chose the partition.
 */
export function explainPartition(key: string | null, partition: number, partitions: number): { hash: number | null; why: string } {
  if (key === null) return { hash: null, why: `no key: the producer's partitioner spread it (KafkaJS and Java: round-robin or sticky batches) and chose ${partition}` }
  const choice = partitionForKey(key, partitions)
  if (choice.partition === partition) return { hash: choice.hash, why: choice.why }
  return {
    hash: choice.hash,
    why: `${choice.why}, but it is in ${partition}: the producer chose the partition itself (an explicit partition, another partitioner such as librdkafka's consistent_random, a CRC32 hash, or fewer partitions when it was sent)`,
  }
}

/** Reads every topic as it appears and keeps the newest records. */
export class RecordView {
  private readonly readers = new Map<string, Consumer>()
  private readonly records: RecordSnapshot[] = []
  private readonly kept = new Set<string>()

  /** @param partitionCount how many partitions a topic has now (from `describe()`) */
  constructor(
    private readonly kafka: Kafka,
    private readonly partitionCount: (topic: string) => number,
  ) {}

  /** Starts a reader for each topic among `topics` not yet read (dead-letter and retry topics aside). */
  async follow(topics: Iterable<string>): Promise<void> {
    for (const topic of topics) {
      if (isDeadLetterOrRetryTopic(topic) || this.readers.has(topic)) continue
      const reader = this.kafka.consumer({ groupId: `${CONSOLE_GROUP_PREFIX}records-${topic}`, heartbeatInterval: 500, sessionTimeout: 6000, maxWaitTimeInMs: 500 })
      this.readers.set(topic, reader)
      await reader.connect()
      await reader.subscribe({ topics: [topic], fromBeginning: true })
      await reader.run({
        eachMessage: async ({ topic: from, partition, message }) => {
          const key = message.key?.toString() ?? null
          const { hash, why } = explainPartition(key, partition, this.partitionCount(from))
          const value = message.value === null ? null : message.value.toString('utf8', 0, VALUE_CHARS)
          this.add({ topic: from, key, hash, partition, offset: message.offset, value, why })
        },
      })
    }
  }

  /** Keeps `record` unless a record of the same topic, partition and offset is kept already. */
  add(record: RecordSnapshot): void {
    const id = `${record.topic}-${record.partition}@${record.offset}`
    if (this.kept.has(id)) return
    this.kept.add(id)
    this.records.push(record)
    if (this.records.length > KEPT_RECORDS) {
      const dropped = this.records.shift()!
      this.kept.delete(`${dropped.topic}-${dropped.partition}@${dropped.offset}`)
    }
  }

  /** The newest records, oldest first. */
  snapshot(): readonly RecordSnapshot[] {
    return [...this.records]
  }

  async close(): Promise<void> {
    const readers = [...this.readers.values()]
    this.readers.clear()
    await Promise.all(readers.map((r) => r.disconnect()))
  }
}

/**
 * The dead-letter and retry topics of the cluster, read as any consumer reads them: one reader
 * group per topic (named with {@link CONSOLE_GROUP_PREFIX}, so the page does not list it), from the
 * beginning, keeping the newest records with their headers for the page. Names follow Spring Kafka's
 * defaults: `-dlt` for dead letters, `-retry` and `-retry-N` for retry topics.
 */
import type { Consumer } from '../client/consumer/consumer.js'
import type { Kafka } from '../client/kafka.js'
import type { IHeaders } from '../client/message-types.js'
import type { DeadLetterSnapshot } from './console-snapshot.js'
import { CONSOLE_GROUP_PREFIX } from './group-view.js'

/** How many records of these topics the page shows (the newest). */
const KEPT_RECORDS = 50

/** Spring Kafka's default dead-letter and retry topic names. */
export function isDeadLetterOrRetryTopic(topic: string): boolean {
  return /-dlt$|-retry(-\d+)?$/.test(topic)
}

function headerText(value: IHeaders[string]): string {
  const one = Array.isArray(value) ? value[value.length - 1] : value
  if (one === undefined) return ''
  if (typeof one === 'string') return one
  // Spring writes partition (4 bytes) and offset/timestamp (8 bytes) as big-endian numbers.
  if (one.length === 4) return String(one.readInt32BE(0))
  if (one.length === 8) return String(one.readBigInt64BE(0))
  return one.toString('utf8')
}

/** Reads dead-letter and retry topics as they appear. */
export class DeadLetterView {
  private readonly readers = new Map<string, Consumer>()
  private readonly records: DeadLetterSnapshot[] = []

  constructor(private readonly kafka: Kafka) {}

  /** Starts a reader for each dead-letter or retry topic among `topics` not yet read. */
  async follow(topics: Iterable<string>): Promise<void> {
    for (const topic of topics) {
      if (!isDeadLetterOrRetryTopic(topic) || this.readers.has(topic)) continue
      const reader = this.kafka.consumer({ groupId: `${CONSOLE_GROUP_PREFIX}${topic}`, heartbeatInterval: 500, sessionTimeout: 6000 })
      this.readers.set(topic, reader)
      await reader.connect()
      await reader.subscribe({ topics: [topic], fromBeginning: true })
      await reader.run({
        eachMessage: async ({ topic: from, partition, message }) => {
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, headerText(value)]))
          this.records.push({ topic: from, partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers })
          if (this.records.length > KEPT_RECORDS) this.records.shift()
        },
      })
    }
  }

  /** The newest records read, oldest first. */
  snapshot(): readonly DeadLetterSnapshot[] {
    return [...this.records]
  }

  async close(): Promise<void> {
    const readers = [...this.readers.values()]
    this.readers.clear()
    await Promise.all(readers.map((r) => r.disconnect()))
  }
}

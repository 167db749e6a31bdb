/**
 * A compacted topic read back as a table: every order's latest status. The order service writes each status change
 * to "order-status", keyed by order id, on a topic with `cleanup.policy=compact`. The log cleaner keeps only the
 * newest record of each key in the closed segments, so a service that starts later and reads the topic from the
 * beginning rebuilds the current table without replaying every change; offsets never change, so gaps appear. An
 * archived order is deleted with a tombstone (a null value): readers see the delete for `delete.retention.ms`, then
 * the key is gone. All on virtual time: minutes of cleaning take milliseconds.
 *
 * Run it with `npx tsx examples/order-status-table/main.ts`.
 */
import { Cluster, Kafka, VirtualClock, logLevel } from '../../src/index.js'

const clock = new VirtualClock()
const cluster = new Cluster({ brokers: 1, clock, seed: 7 })
const kafka = new Kafka({ clientId: 'order-status-demo', cluster, logLevel: logLevel.NOTHING })
const say = (text: string) => console.log(`[t=${String(clock.now() - Date.UTC(2024, 0, 1)).padStart(9)} ms] ${text}`)

const admin = kafka.admin()
await clock.run(admin.connect())
await clock.run(
  admin.createTopics({
    topics: [
      {
        topic: 'order-status',
        numPartitions: 1,
        configEntries: [
          { name: 'cleanup.policy', value: 'compact' },
          // Small segments, so the cleaner has closed segments to work on in a short demo (Kafka's default is 1 GiB).
          { name: 'segment.bytes', value: '200' },
          // Kafka's default is a day.
          { name: 'delete.retention.ms', value: '60000' },
        ],
      },
    ],
  }),
)
say('created "order-status": cleanup.policy=compact, delete.retention.ms=1 min')

const producer = kafka.producer()
await clock.run(producer.connect())
const changes: Array<[order: string, status: string | null]> = [
  ['order-1', 'created'],
  ['order-2', 'created'],
  ['order-1', 'paid'],
  ['order-3', 'created'],
  ['order-2', 'paid'],
  ['order-1', 'shipped'],
  ['order-2', 'cancelled'],
  ['order-3', 'paid'],
  ['order-2', null],
  ['order-1', 'delivered'],
  ['order-4', 'created'],
]
for (const [order, status] of changes) await clock.run(producer.send({ topic: 'order-status', messages: [{ key: order, value: status }] }))
say(`order service wrote ${changes.length} status changes (order-2 archived with a tombstone)`)

try {
  await clock.run(producer.send({ topic: 'order-status', messages: [{ value: 'no order id' }] }))
} catch (error) {
  say(`a change without a key is refused: ${(error as Error).name} ${(error as { type?: string }).type}`)
}

/** A new service instance rebuilds the table from the beginning of the topic. */
async function readTable(groupId: string): Promise<Map<string, string | null>> {
  const table = new Map<string, string | null>()
  const offsets: string[] = []
  const consumer = kafka.consumer({ groupId })
  await clock.run(consumer.connect())
  await clock.run(consumer.subscribe({ topics: ['order-status'], fromBeginning: true }))
  await clock.run(
    consumer.run({
      eachMessage: async ({ message }) => {
        const order = message.key!.toString()
        const status = message.value?.toString() ?? null
        offsets.push(message.offset)
        // A tombstone deletes the row.
        if (status === null) table.delete(order)
        else table.set(order, status)
      },
    }),
  )
  await clock.advance(5000)
  await clock.run(consumer.disconnect())
  say(`${groupId} read offsets [${offsets.join(', ')}]`)
  return table
}

const show = (table: Map<string, string | null>) => [...table].map(([order, status]) => `${order}=${status}`).join(', ')

say(`before cleaning: ${show(await readTable('reader-before'))}`)
// The log cleaner looks every log.cleaner.backoff.ms (15 s); a minute later it has compacted the closed segments.
await clock.advance(60_000)
say(`after cleaning: ${show(await readTable('reader-cleaned'))}`)
await clock.advance(2 * 60_000)
say(`after delete.retention.ms: ${show(await readTable('reader-later'))}`)

const { low, high } = (await clock.run(admin.fetchTopicOffsets('order-status')))[0]!
say(`the log still spans offsets ${low}..${Number(high) - 1}: compaction never moves the log start offset or renumbers`)
await clock.run(producer.disconnect())
await clock.run(admin.disconnect())

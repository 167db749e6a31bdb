/**
 * A consumer-group member whose reads, rebalances and commits go into the History: each message its `eachMessage`
 * receives is a one-record poll, each GROUP_JOIN (a new generation's assignment, after which KafkaJS resumes from the
 * committed offsets) a rebalance, each COMMIT_OFFSETS a committed offset.
 */
import type { Consumer, ConsumerConfig, ReadRecord } from 'kafkalite'
import type { VirtualKafka } from './virtual-kafka.js'

/** Options of {@link startRecordedConsumer}. */
export interface RecordedConsumerOptions extends Partial<ConsumerConfig> {
  groupId: string
  topics: string[]
  /** The history's process id of this member (its reads are checked for order as one consumer's). */
  process: string
  /** Default true: a group without committed offsets starts at the beginning. */
  fromBeginning?: boolean
  /** KafkaJS's `autoCommit` (default true). */
  autoCommit?: boolean
}

/** A running, recorded member. */
export interface RecordedConsumer {
  readonly consumer: Consumer
  readonly process: string
  /** Every record it read, in order (also in the history). */
  readonly reads: ReadRecord[]
  /** CRASH events seen. */
  crashes: number
}

/** Connects, subscribes and runs a consumer that records what it does; resolves once it has its first assignment. */
export async function startRecordedConsumer(vk: VirtualKafka, options: RecordedConsumerOptions): Promise<RecordedConsumer> {
  const { topics, process, fromBeginning = true, autoCommit = true, ...config } = options
  const consumer = vk.kafka.consumer(config)
  const member: RecordedConsumer = { consumer, process, reads: [], crashes: 0 }
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assignment = event.payload.memberAssignment as Record<string, number[]>
    const partitions = Object.entries(assignment).flatMap(([topic, list]) => list.map((partition) => ({ topic, partition })))
    vk.history.record({ type: 'rebalance', process, partitions })
  })
  consumer.on(consumer.events.COMMIT_OFFSETS, (event) => {
    const committed = event.payload.topics as Array<{ topic: string; partitions: Array<{ partition: string; offset: string }> }>
    const offsets = committed.flatMap(({ topic, partitions }) => partitions.map(({ partition, offset }) => ({ topic, partition: Number(partition), offset: Number(offset) })))
    vk.history.record({ type: 'commit', process, offsets, outcome: { type: 'ok' } })
  })
  consumer.on(consumer.events.CRASH, () => {
    member.crashes++
  })
  await vk.run(consumer.connect())
  await vk.run(consumer.subscribe({ topics, fromBeginning }))
  await vk.run(
    consumer.run({
      autoCommit,
      eachMessage: async ({ topic, partition, message }) => {
        const record: ReadRecord = { topic, partition, offset: Number(message.offset), key: message.key?.toString() ?? null, value: message.value?.toString() ?? '' }
        member.reads.push(record)
        vk.history.record({ type: 'poll', process, records: [record] })
      },
    }),
  )
  return member
}

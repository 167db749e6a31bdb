/**
 * The Kafka client the services' listeners run on: a plain `Kafka`, with three things added for
 * every consumer the listener container creates.
 *
 * - Kafka's range assignor. The inventory service has two listeners in its group `inventory`, one on
 *   `order-placed` and one on `order-cancelled`, so members of one group subscribe to different
 *   topics (Spring Kafka users do this all the time). KafkaJS's default round-robin assignor deals
 *   every topic of the group to every member, whatever each one subscribed to, and a member drops
 *   the partitions of topics it did not subscribe to: some orders would never be read. The range
 *   assignor (the Java client's default, `partition.assignment.strategy`) assigns each topic among
 *   the members subscribed to it.
 * - Small fetches (`maxBytesPerPartition` 4 KiB, about ten orders). KafkaJS commits after each batch
 *   it fetched, so a slow service working through a 1 MiB batch (KafkaJS's default) would commit
 *   nothing for minutes, and a rebalance or crash would redeliver all of it. The Java consumer's
 *   knob for this is `max.poll.records`.
 * - Every GROUP_JOIN (a member's place after a rebalance) is reported, for the timeline.
 */
import { PartitionAssigners, type Admin, type Consumer, type ConsumerOptions, type Kafka, type KafkaLike, type Producer } from '../../src/index.js'

/** What a member got when it joined (KafkaJS's GROUP_JOIN payload, the part the timeline uses). */
export interface GroupJoin {
  groupId: string
  memberId: string
  isLeader: boolean
  /** Partitions by topic, e.g. `{ 'order-placed': [0, 1] }`. */
  memberAssignment: Record<string, number[]>
}

/** A `Kafka` for `startListeners`, whose consumers are kafkalite consumers. */
export interface ServiceKafka extends KafkaLike {
  producer(): Producer
  consumer(config: { groupId: string } & ConsumerOptions): Consumer
  admin(): Admin
}

/** Wraps `kafka` so that listener consumers use the range assignor and small fetches, and report their joins to `onJoin`. */
export function serviceKafka(kafka: Kafka, onJoin: (consumer: Consumer, join: GroupJoin) => void): ServiceKafka {
  return {
    producer: () => kafka.producer(),
    admin: () => kafka.admin(),
    consumer(config) {
      const consumer = kafka.consumer({ ...config, partitionAssigners: [PartitionAssigners.range], maxBytesPerPartition: 4_096 })
      consumer.on(consumer.events.GROUP_JOIN, (event) => onJoin(consumer, event.payload as GroupJoin))
      return consumer
    },
  }
}

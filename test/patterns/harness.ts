/**
 * A cluster on virtual time and a Kafka client for the patterns tests, with helpers to create topics,
 * read a topic to its end, and run a promise on the virtual clock.
 */
import { Cluster } from '../../src/cluster.js'
import { Kafka } from '../../src/client/kafka.js'
import { logLevel } from '../../src/client/logger.js'
import type { KafkaMessage } from '../../src/client/message-types.js'
import type { Producer } from '../../src/client/producer/producer.js'
import { readTopicToEnd } from '../../src/patterns/topic-reader.js'
import { VirtualClock } from '../../src/time/virtual-clock.js'

export interface PatternsHarness {
  clock: VirtualClock
  cluster: Cluster
  kafka: Kafka
  /** A connected producer (made once). */
  producer(): Promise<Producer>
  createTopic(topic: string, numPartitions: number): Promise<void>
  /** Every message now in a topic, in offset order per partition. */
  read(topic: string): Promise<Array<{ partition: number; message: KafkaMessage }>>
  /** Runs a promise to completion on the virtual clock. */
  run<T>(promise: Promise<T>): Promise<T>
}

export function patternsHarness(seed = 1, brokers = 1): PatternsHarness {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers, clock, seed })
  const kafka = new Kafka({ clientId: 'patterns-test', cluster, logLevel: logLevel.NOTHING })
  let producer: Producer | undefined
  const h: PatternsHarness = {
    clock,
    cluster,
    kafka,
    async producer() {
      if (producer === undefined) {
        producer = kafka.producer()
        await clock.run(producer.connect())
      }
      return producer
    },
    async createTopic(topic, numPartitions) {
      const admin = kafka.admin()
      await clock.run(admin.connect())
      await clock.run(admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true }))
      await clock.run(admin.disconnect())
    },
    read: (topic) => clock.run(readTopicToEnd(kafka, topic)),
    run: (promise) => clock.run(promise),
  }
  return h
}

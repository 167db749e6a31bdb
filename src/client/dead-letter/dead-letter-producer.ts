/**
 * The consumer's own producer for its dead-letter topics (issue 4's `run({ deadLetter })`), as
 * Spring's `DeadLetterPublishingRecoverer` uses a `KafkaTemplate`: created when a run with a
 * dead-letter topic starts, disconnected with the consumer. Records are routed and written as
 * {@link publishFailedRecord} does for every publisher of failed records.
 */
import type { ClientContext } from '../client-context.js'
import { publishFailedRecord } from './failed-record-publishing.js'
import type { BrokerRouter } from '../network/broker-router.js'
import type { Message } from '../message-types.js'
import { Producer, type ProducerConfig } from '../producer/producer.js'

/** The producer of one consumer's dead-lettered records. */
export class DeadLetterProducer {
  private producer: Producer | undefined
  private connecting: Promise<void> | undefined

  /**
   * @param cluster the consumer's cluster client, used to look up the dead-letter topic's partitions
   * @param producerConfig the producer's settings (the consumer passes its own `retry` and `allowAutoTopicCreation`)
   */
  constructor(
    private readonly context: ClientContext,
    private readonly cluster: BrokerRouter,
    private readonly producerConfig: ProducerConfig,
  ) {}

  /** Creates and connects the producer if it is not connected yet. */
  connect(): Promise<void> {
    if (this.producer === undefined) {
      const producer = new Producer(this.context, this.producerConfig)
      this.producer = producer
      this.connecting = producer.connect().catch((error: unknown) => {
        this.producer = undefined
        throw error
      })
    }
    return this.connecting!
  }

  /** Writes `message` to `topic` with acks=all; resolves once every in-sync replica has it. */
  async publish(topic: string, message: Message, sourcePartition: number): Promise<void> {
    await this.connect()
    const producer = this.producer!
    await publishFailedRecord({ send: (record) => producer.send(record), partitionCount: (name) => this.partitionCount(name) }, topic, message, sourcePartition)
  }

  /** Disconnects the producer; a later run creates a new one. */
  async disconnect(): Promise<void> {
    const producer = this.producer
    this.producer = undefined
    this.connecting = undefined
    await producer?.disconnect()
  }

  /** Looked up on each publish: dead-lettering is rare, and a topic may gain partitions. */
  private async partitionCount(topic: string): Promise<number | undefined> {
    const allowAutoTopicCreation = this.producerConfig.allowAutoTopicCreation ?? true
    const response = await this.cluster.metadata([topic], allowAutoTopicCreation)
    const metadata = response.topics.find((t) => t.topic === topic)
    // An unknown topic is left to the producer, which reports it (or creates it) as for any send.
    return metadata !== undefined && metadata.errorCode === 0 ? metadata.partitions.length : undefined
  }
}

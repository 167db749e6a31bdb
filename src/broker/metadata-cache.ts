/**
 * A broker's metadata cache (Kafka's `MetadataCache`): the topics, partition states and live
 * brokers as the controller last published them to this broker. An isolated broker keeps a
 * stale cache, exactly as a real one does, and answers Metadata from it.
 */
import type { TopicSnapshot } from './controller.js'

export class MetadataCache {
  private readonly topicMap = new Map<string, TopicSnapshot>()
  private live: readonly number[] = []
  private epochs: ReadonlyMap<number, number> = new Map()
  private controller = -1

  /** Brokers the controller reported alive (unfenced). */
  get liveBrokers(): readonly number[] {
    return this.live
  }

  /** Registered brokers' epochs (KIP-380), as the controller last published them. */
  get brokerEpochs(): ReadonlyMap<number, number> {
    return this.epochs
  }

  get controllerId(): number {
    return this.controller
  }

  /** The controller's latest word on which brokers are alive, their epochs, and who the controller is. */
  setLiveness(liveBrokers: readonly number[], brokerEpochs: ReadonlyMap<number, number>, controllerId: number): void {
    this.live = liveBrokers
    this.epochs = brokerEpochs
    this.controller = controllerId
  }

  get topics(): ReadonlyMap<string, TopicSnapshot> {
    return this.topicMap
  }

  topic(name: string): TopicSnapshot | undefined {
    return this.topicMap.get(name)
  }

  put(topic: TopicSnapshot): void {
    this.topicMap.set(topic.name, topic)
  }

  remove(name: string): void {
    this.topicMap.delete(name)
  }

  clear(): void {
    this.topicMap.clear()
  }
}

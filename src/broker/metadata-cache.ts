/**
 * A broker's metadata cache (Kafka's `MetadataCache`): the topics, partition states and live
 * brokers as the controller last published them to this broker. An isolated broker keeps a
 * stale cache, exactly as a real one does, and answers Metadata from it.
 */
import type { TopicSnapshot } from './controller.js'

export class MetadataCache {
  private readonly topicMap = new Map<string, TopicSnapshot>()
  /** Brokers the controller reported alive (unfenced). */
  liveBrokers: readonly number[] = []
  /** Registered brokers' epochs (KIP-380), as the controller last published them. */
  brokerEpochs: ReadonlyMap<number, number> = new Map()
  controllerId = -1

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

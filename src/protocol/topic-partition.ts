/**
 * The one map key for a topic-partition, used by brokers, clients and the test kit alike. Kafka's
 * printed form `orders-0` is for people, not keys: with a negative partition (a bad request) it is
 * ambiguous (`a-` and 1 vs `a` and -1). Putting the integer first makes the key unique for any topic name.
 */

/** The map key of partition `partition` of `topic`: `"0:orders"`. */
export function topicPartitionKey(topic: string, partition: number): string {
  return `${partition}:${topic}`
}

/**
 * Values by topic and partition, found without building a {@link topicPartitionKey}: a lookup per partition per request
 * is on the hot path of every produce and fetch, and a fresh key string costs its building and hashing each time, while
 * a topic name coming with a request is hashed once. Iteration order is not kept: keep an ordered collection beside it
 * where order matters.
 */
export class PartitionIndex<V> {
  private readonly byTopic = new Map<string, Array<V | undefined>>()

  get(topic: string, partition: number): V | undefined {
    return this.byTopic.get(topic)?.[partition]
  }

  /**
   * A topic's values indexed by partition number (undefined where none), or undefined for a topic without any: for a
   * caller that looks up many partitions of one topic, as a fetch answer's, with one topic lookup.
   */
  partitionsOf(topic: string): ReadonlyArray<V | undefined> | undefined {
    return this.byTopic.get(topic)
  }

  set(topic: string, partition: number, value: V): void {
    let slots = this.byTopic.get(topic)
    if (slots === undefined) this.byTopic.set(topic, (slots = []))
    slots[partition] = value
  }

  delete(topic: string, partition: number): void {
    const slots = this.byTopic.get(topic)
    if (slots !== undefined && partition in slots) slots[partition] = undefined
  }

  clear(): void {
    this.byTopic.clear()
  }
}

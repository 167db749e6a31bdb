/**
 * The one map key for a topic-partition, used by brokers, clients and the test kit alike. Kafka's
 * printed form `orders-0` is for people, not keys: with a negative partition (a bad request) it is
 * ambiguous (`a-` and 1 vs `a` and -1). Putting the integer first makes the key unique for any topic name.
 */

/** The map key of partition `partition` of `topic`: `"0:orders"`. */
export function topicPartitionKey(topic: string, partition: number): string {
  return `${partition}:${topic}`
}

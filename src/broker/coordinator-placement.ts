/**
 * Which broker coordinates a group or a transactional id: the leader of one partition of
 * `__consumer_offsets` (or `__transaction_state`), chosen by Kafka's rule
 * `Utils.abs(key.hashCode()) % numPartitions` (GroupMetadataManager.partitionFor,
 * TransactionStateManager.partitionFor), with Java's String.hashCode.
 */

/** Java's `String.hashCode()`: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, in 32-bit arithmetic. */
export function javaStringHashCode(value: string): number {
  let hash = 0
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0
  return hash
}

/** Kafka's `Utils.abs`: Math.abs, except that Integer.MIN_VALUE maps to 0. */
export function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n)
}

/** The internal-topic partition that coordinates `key`. */
export function coordinatorPartition(key: string, numPartitions: number): number {
  return kafkaAbs(javaStringHashCode(key)) % numPartitions
}

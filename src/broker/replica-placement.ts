/**
 * Replica placement for new partitions, as Kafka's rack-unaware assignment
 * (`AdminUtils.assignReplicasToBrokers`): the first replica of each partition goes round-robin
 * from a random broker, and the followers are shifted by an amount that grows every full round,
 * so leaders spread evenly and no broker holds two replicas of one partition.
 */
import type { SeededRandom } from '../time/index.js'

/**
 * Replica lists for `count` partitions, numbered from `firstPartition`.
 * @param brokerIds the live brokers to place on (at least `replicationFactor` of them)
 */
export function placeReplicas(
  brokerIds: readonly number[],
  count: number,
  replicationFactor: number,
  random: SeededRandom,
  firstPartition = 0,
): number[][] {
  const brokers = [...brokerIds].sort((a, b) => a - b)
  const n = brokers.length
  if (replicationFactor > n) throw new RangeError(`replication factor ${replicationFactor} > ${n} brokers`)
  const startIndex = random.int(n)
  let shift = random.int(n)
  const out: number[][] = []
  for (let p = firstPartition; p < firstPartition + count; p++) {
    if (p > 0 && p % n === 0) shift++
    const first = (p + startIndex) % n
    const replicas = [brokers[first]!]
    for (let j = 0; j < replicationFactor - 1; j++) {
      // Followers sit 1..n-1 places after the first replica, never on it.
      const offset = 1 + ((shift + j) % (n - 1))
      replicas.push(brokers[(first + offset) % n]!)
    }
    out.push(replicas)
  }
  return out
}

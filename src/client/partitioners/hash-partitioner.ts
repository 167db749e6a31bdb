/**
 * The strategy shared by KafkaJS's DefaultPartitioner and LegacyPartitioner, from Java's pre-KIP-480
 * `DefaultPartitioner`: an explicit partition wins; a keyed message goes to
 * `toPositive(hash(key)) % numPartitions` over ALL partitions (so a key keeps its partition while a
 * leader is down); an unkeyed message goes round-robin over the partitions that have a leader,
 * starting at a random point per topic.
 */
import { SeededRandom } from '../../time/seeded-random.js'
import { toPositive } from '../murmur2.js'
import type { ICustomPartitioner, PartitionerArgs } from './partitioner-types.js'

const UINT32_RANGE = 2 ** 32

/** Builds a partitioner factory around a key hash. */
export function createHashPartitioner(hash: (key: Buffer | string) => number): ICustomPartitioner {
  return (options = {}) => {
    // Without the cluster's random (a factory called outside a producer) the start is unseeded.
    const random = options.random ?? new SeededRandom()
    const counters = new Map<string, number>()
    return ({ topic, partitionMetadata, message }: PartitionerArgs): number => {
      let counter = counters.get(topic)
      // The start is drawn at a topic's first message, whatever its kind; a keyed message only reads it.
      if (counter === undefined) counters.set(topic, (counter = random.int(UINT32_RANGE)))
      if (message.partition !== null && message.partition !== undefined) return message.partition
      if (message.key !== null && message.key !== undefined) return toPositive(hash(message.key)) % partitionMetadata.length
      counters.set(topic, ++counter)
      const available = partitionMetadata.filter((p) => p.leader >= 0)
      if (available.length > 0) return available[toPositive(counter) % available.length]!.partitionId
      // No partition has a leader: pick one anyway; the send will retry until a leader is elected.
      return toPositive(counter) % partitionMetadata.length
    }
  }
}

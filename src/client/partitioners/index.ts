/**
 * KafkaJS's `Partitioners`: DefaultPartitioner (Java-compatible murmur2, KafkaJS 2's default),
 * LegacyPartitioner (KafkaJS 1.x's hash), and the deprecated JavaCompatiblePartitioner alias.
 */
import { murmur2 } from '../murmur2.js'
import { createHashPartitioner } from './hash-partitioner.js'
import { legacyMurmur2 } from './legacy-murmur2.js'
import type { ICustomPartitioner } from './partitioner-types.js'

export type { ICustomPartitioner, PartitionerArgs, PartitionerOptions, PartitionMetadata } from './partitioner-types.js'

/** KafkaJS 2's default: keys hashed as the Java client does, so both put a key on the same partition. */
export const DefaultPartitioner: ICustomPartitioner = createHashPartitioner(murmur2)

/** KafkaJS 1.x's default, for apps that must keep their old key-to-partition mapping. */
export const LegacyPartitioner: ICustomPartitioner = createHashPartitioner(legacyMurmur2)

/** The built-in partitioners, under KafkaJS's names. */
export const Partitioners: {
  DefaultPartitioner: ICustomPartitioner
  LegacyPartitioner: ICustomPartitioner
  /** @deprecated Renamed DefaultPartitioner in KafkaJS 2.0.0. */
  JavaCompatiblePartitioner: ICustomPartitioner
} = {
  DefaultPartitioner,
  LegacyPartitioner,
  JavaCompatiblePartitioner: DefaultPartitioner,
}

/**
 * KafkaJS's partitioner contract: a factory (`createPartitioner`) returns a function that picks the
 * partition of each message from the topic's partition metadata.
 */
import type { SeededRandom } from '../../time/seeded-random.js'
import type { Message } from '../message-types.js'

/** Partition metadata as a partitioner sees it (KafkaJS's `PartitionMetadata`). */
export type PartitionMetadata = {
  partitionErrorCode: number
  partitionId: number
  leader: number
  replicas: number[]
  isr: number[]
  offlineReplicas?: number[]
}

/** What a partitioner is asked for each message. */
export interface PartitionerArgs {
  topic: string
  partitionMetadata: PartitionMetadata[]
  message: Message
}

/**
 * What kafkalite passes to a partitioner factory. KafkaJS calls factories with no argument; kafkalite
 * passes the cluster's seeded random so that built-in partitioners are reproducible. Custom
 * factories may ignore it.
 */
export interface PartitionerOptions {
  random?: SeededRandom
}

/** A partitioner factory, KafkaJS's `ICustomPartitioner`. */
export type ICustomPartitioner = (options?: PartitionerOptions) => (args: PartitionerArgs) => number

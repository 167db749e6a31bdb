/** Helpers for broker tests: a cluster on virtual time, and requests sent straight to its dispatch point. */
import { BrokerFleet, type ClusterOptions } from '../../src/broker/broker-fleet.js'
import { recordsOf, type ConfigEntry, type Endpoint, type FetchPartitionResponse, type LogRecord, type ProducePartitionResponse, type ProducedBatch } from '../../src/protocol/index.js'
import { VirtualClock } from '../../src/time/index.js'

export const CLIENT: Endpoint = { kind: 'client', clientId: 'test' }

export function makeCluster(options: ClusterOptions = {}): { clock: VirtualClock; cluster: BrokerFleet } {
  const clock = new VirtualClock()
  const cluster = new BrokerFleet({ clock, seed: 7, checkInvariants: true, ...options })
  return { clock, cluster }
}

/** A plain batch of `values`; with `keys`, record i has key `keys[i]`. */
export function batch(values: readonly string[], timestamp = 1000, keys?: readonly string[]): ProducedBatch {
  return {
    producerId: -1,
    producerEpoch: -1,
    baseSequence: -1,
    transactional: false,
    records: values.map((v, i) => ({ key: keys === undefined ? null : Buffer.from(keys[i]!), value: Buffer.from(v), headers: [], timestamp })),
  }
}

export async function createTopic(cluster: BrokerFleet, name: string, numPartitions = 1, replicationFactor = 1, configs: ConfigEntry[] = []): Promise<void> {
  const response = await cluster.dispatch(0, CLIENT, 'CreateTopics', {
    topics: [{ name, numPartitions, replicationFactor, replicaAssignment: [], configs }],
    timeoutMs: 1000,
    validateOnly: false,
  })
  const result = response.topics[0]!
  if (result.errorCode !== 0) throw new Error(`createTopic ${name}: ${result.errorCode} ${result.errorMessage}`)
}

export function leaderOf(cluster: BrokerFleet, topic: string, partition = 0): number {
  return cluster.controller.topics.get(topic)!.partitions[partition]!.leader
}

/** Produces to the partition's current leader (or `brokerId`), driving virtual time until it answers. */
export async function produce(
  clock: VirtualClock,
  cluster: BrokerFleet,
  topic: string,
  values: readonly string[],
  options: { acks?: -1 | 0 | 1; timeoutMs?: number; partition?: number; brokerId?: number; keys?: readonly string[] } = {},
): Promise<ProducePartitionResponse> {
  const partition = options.partition ?? 0
  const brokerId = options.brokerId ?? leaderOf(cluster, topic, partition)
  const response = await clock.run(
    cluster.dispatch(brokerId, CLIENT, 'Produce', {
      acks: options.acks ?? -1,
      timeoutMs: options.timeoutMs ?? 30000,
      transactionalId: null,
      topics: [{ topic, partitions: [{ partition, batch: batch(values, 1000, options.keys) }] }],
    }),
  )
  return response.topics[0]!.partitions[0]!
}

/** A consumer fetch at the partition's current leader (or `brokerId`). */
export async function fetch(
  clock: VirtualClock,
  cluster: BrokerFleet,
  topic: string,
  fetchOffset: number,
  options: { partition?: number; brokerId?: number; maxWaitMs?: number; minBytes?: number; maxBytes?: number; partitionMaxBytes?: number } = {},
): Promise<FetchedPartition> {
  const partition = options.partition ?? 0
  const brokerId = options.brokerId ?? leaderOf(cluster, topic, partition)
  const response = await clock.run(
    cluster.dispatch(brokerId, CLIENT, 'Fetch', {
      replicaId: -1,
      maxWaitMs: options.maxWaitMs ?? 0,
      minBytes: options.minBytes ?? 1,
      maxBytes: options.maxBytes ?? 50 * 1024 * 1024,
      isolationLevel: 0,
      topics: [{ topic, partitions: [{ partition, fetchOffset, partitionMaxBytes: options.partitionMaxBytes ?? 1024 * 1024, currentLeaderEpoch: -1 }] }],
    }),
  )
  const answer = response.topics[0]!.partitions[0]!
  return { ...answer, records: recordsOf(answer.batches, fetchOffset) }
}

/** A fetched partition with its records from the fetch offset on, as copies. */
export type FetchedPartition = FetchPartitionResponse & { readonly records: LogRecord[] }

export function values(records: readonly LogRecord[]): string[] {
  return records.map((r) => r.value!.toString())
}

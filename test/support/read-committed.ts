/**
 * What a read_committed consumer would see in a topic right now: a Fetch with isolation level 1 to
 * each partition's leader, through the client's own batch filtering (aborted transactions and
 * control records removed). Partitions without a leader are skipped.
 */
import { brokerSideOf, type Cluster } from '../../src/cluster.js'
import { Batch } from '../../src/client/consumer/batch.js'
import type { KafkaMessage } from '../../src/client/message-types.js'
import type { VirtualClock } from '../../src/time/virtual-clock.js'

/** Every committed message of `topic`, partition by partition, in offset order. */
export async function readCommittedMessages(clock: VirtualClock, cluster: Cluster, topic: string, partitions: number): Promise<KafkaMessage[]> {
  const messages: KafkaMessage[] = []
  for (let p = 0; p < partitions; p++) {
    const leader = brokerSideOf(cluster).controller.topics.get(topic)!.partitions[p]!.leader
    if (leader < 0) continue
    const response = await clock.run(
      brokerSideOf(cluster).dispatch(leader, { kind: 'client', clientId: 'read-committed-observer' }, 'Fetch', {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: 1 << 30,
        isolationLevel: 1,
        topics: [{ topic, partitions: [{ partition: p, fetchOffset: 0, partitionMaxBytes: 1 << 30, currentLeaderEpoch: -1 }] }],
      }),
    )
    const data = response.topics[0]!.partitions[0]!
    if (data.errorCode === 0) messages.push(...new Batch(topic, 0, data).messages)
  }
  return messages
}

/** Reads a group's committed offsets after a run, through a fresh admin client: the promise the oracles hold it to. */
import type { CommittedOffset, Kafka } from 'kafkalite'

/**
 * The offsets `groupId` has committed for `topics` (partitions without a commit left out). Returns a promise the
 * cluster's clock must drive: inside `withCluster` just await it; elsewhere `await clock.run(readCommittedOffsets(...))`.
 */
export async function readCommittedOffsets(kafka: Kafka, groupId: string, topics: readonly string[]): Promise<CommittedOffset[]> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    const answer = await admin.fetchOffsets({ groupId, topics: [...topics] })
    return answer.flatMap(({ topic, partitions }) =>
      partitions.filter((p) => Number(p.offset) >= 0).map((p) => ({ topic, partition: p.partition, offset: Number(p.offset) })),
    )
  } finally {
    await admin.disconnect()
  }
}

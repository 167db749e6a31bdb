/**
 * Kafka's 'cooperative-sticky' assignor (KIP-429) as a KafkaJS assigner: members keep their
 * partitions across rebalances where balance allows, and a partition that moves is not given
 * to its new owner in the generation in which its old owner still holds it.
 *
 * What a member owns travels in its subscription's userData, in the layout of Kafka's
 * StickyAssignor user data v1 (array of (string topic, array of int32 partitions), int32
 * generation). The consumer tells the assigner its assignment after each SyncGroup through
 * `onAssignment`; a member whose assignment lost partitions must rejoin so that the partitions
 * it gave up are handed over (Kafka's consumer does this after revoking).
 */
import { MemberAssignment, MemberMetadata } from './assigner-protocol.js'
import type { Assignment, PartitionAssigner } from './assigner-types.js'
import { BinaryReader, BinaryWriter } from './binary-codec.js'
import { cooperativeStickyAssignment, type StickyMember } from './sticky-assignment.js'

const VERSION = 0

/** What a member owns, for its subscription's userData. */
export interface OwnedPartitions {
  readonly owned: Assignment
  /** The generation the ownership comes from; -1 before the first assignment (Kafka's DEFAULT_GENERATION). */
  readonly generation: number
}

/** Encodes ownership as Kafka's StickyAssignor user data v1. */
export function encodeOwnedPartitions({ owned, generation }: OwnedPartitions): Buffer {
  const topics = Object.keys(owned)
  const w = new BinaryWriter().int32(topics.length)
  for (const topic of topics) {
    w.string(topic).int32(owned[topic]!.length)
    for (const p of owned[topic]!) w.int32(p)
  }
  return w.int32(generation).toBuffer()
}

/** Decodes ownership; empty userData (a member that never had an assignment, or another assignor) owns nothing. */
export function decodeOwnedPartitions(userData: Buffer | null): OwnedPartitions {
  if (userData === null || userData.length === 0) return { owned: {}, generation: -1 }
  const r = new BinaryReader(userData, 'cooperative-sticky userData')
  const owned: Assignment = {}
  for (const { topic, partitions } of r.array(() => ({ topic: r.string() as string, partitions: r.array(() => r.int32()) }))) owned[topic] = partitions
  return { owned, generation: r.int32() }
}

/** Kafka's 'cooperative-sticky' assignor, as a KafkaJS assigner. */
export const cooperativeSticky: PartitionAssigner = ({ cluster }) => {
  let ownership: OwnedPartitions = { owned: {}, generation: -1 }
  return {
    name: 'cooperative-sticky',
    version: VERSION,

    async assign({ members, topics }) {
      const stickyMembers: StickyMember[] = members.map(({ memberId, memberMetadata }) => {
        const metadata = MemberMetadata.decode(memberMetadata)
        const { owned, generation } = decodeOwnedPartitions(metadata.userData)
        return {
          memberId,
          topics: new Set(metadata.topics),
          owned: Object.entries(owned).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition }))),
          generation,
        }
      })
      const partitionsByTopic = new Map(topics.map((topic) => [topic, cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId)]))
      const result = cooperativeStickyAssignment(stickyMembers, partitionsByTopic)
      return [...result].map(([memberId, byTopic]) => ({
        memberId,
        memberAssignment: MemberAssignment.encode({ version: VERSION, assignment: Object.fromEntries(byTopic) }),
      }))
    },

    protocol({ topics }) {
      return { name: 'cooperative-sticky', metadata: MemberMetadata.encode({ version: VERSION, topics, userData: encodeOwnedPartitions(ownership) }) }
    },

    onAssignment({ assignment, generationId }) {
      ownership = { owned: Object.fromEntries(Object.entries(assignment).map(([t, ps]) => [t, [...ps]])), generation: generationId }
    },
  }
}

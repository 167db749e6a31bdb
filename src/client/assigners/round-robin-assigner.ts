/**
 * KafkaJS's default assigner, 'RoundRobinAssigner': member ids sorted (string order), the
 * partitions of every topic (in the order of `topics`, partitions in metadata order) dealt
 * round-robin, so a group whose members all subscribe to the same topics gets exactly KafkaJS's
 * assignment. Unlike KafkaJS, and like Kafka's RoundRobinAssignor, a partition is dealt only to
 * members that subscribe to its topic (the next such member in the circle): KafkaJS would deal it
 * to a member that then ignores it, and nobody would read it. A member dealt nothing is left out
 * of the answer, as in KafkaJS.
 */
import { MemberAssignment, MemberMetadata } from './assigner-protocol.js'
import type { Assignment, PartitionAssigner } from './assigner-types.js'

const VERSION = 0

/** KafkaJS's `PartitionAssigners.roundRobin`. */
export const roundRobin: PartitionAssigner = ({ cluster }) => ({
  name: 'RoundRobinAssigner',
  version: VERSION,

  async assign({ members, topics }) {
    const sortedMembers = members.map(({ memberId }) => memberId).sort()
    // A member without metadata (KafkaJS's assigner never reads it, and its specs pass none) counts
    // as subscribed to every topic, so such a group gets exactly KafkaJS's assignment.
    const subscribed = new Map(members.map((m) => [m.memberId, m.memberMetadata === undefined ? undefined : new Set(MemberMetadata.decode(m.memberMetadata).topics)]))
    const subscribes = (memberId: string, topic: string) => subscribed.get(memberId)?.has(topic) ?? true
    const assignment = new Map<string, Assignment>()
    const topicPartitions = topics.flatMap((topic) => cluster.findTopicPartitionMetadata(topic).map((m) => ({ topic, partitionId: m.partitionId })))
    let next = 0
    for (const { topic, partitionId } of topicPartitions) {
      const offset = sortedMembers.findIndex((_, k) => subscribes(sortedMembers[(next + k) % sortedMembers.length]!, topic))
      if (offset < 0) continue
      const assignee = sortedMembers[(next + offset) % sortedMembers.length]!
      next = (next + offset + 1) % sortedMembers.length
      let byTopic = assignment.get(assignee)
      if (byTopic === undefined) assignment.set(assignee, (byTopic = Object.create(null) as Assignment))
      ;(byTopic[topic] ??= []).push(partitionId)
    }
    return [...assignment].map(([memberId, a]) => ({ memberId, memberAssignment: MemberAssignment.encode({ version: VERSION, assignment: a }) }))
  },

  protocol({ topics }) {
    return { name: 'RoundRobinAssigner', metadata: MemberMetadata.encode({ version: VERSION, topics }) }
  },
})

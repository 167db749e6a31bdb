/**
 * KafkaJS's default assigner, 'RoundRobinAssigner', with KafkaJS's exact algorithm so that a
 * group gets the same assignment as with KafkaJS: member ids sorted (string order), the
 * partitions of every topic (in the order of `topics`, partitions in metadata order) dealt
 * round-robin. Like KafkaJS it gives every member every topic of the group, whatever each
 * member subscribed to, and a member dealt nothing is left out of the answer.
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
    const assignment = new Map<string, Assignment>()
    const topicPartitions = topics.flatMap((topic) => cluster.findTopicPartitionMetadata(topic).map((m) => ({ topic, partitionId: m.partitionId })))
    topicPartitions.forEach(({ topic, partitionId }, i) => {
      const assignee = sortedMembers[i % sortedMembers.length]!
      let byTopic = assignment.get(assignee)
      if (byTopic === undefined) assignment.set(assignee, (byTopic = Object.create(null) as Assignment))
      ;(byTopic[topic] ??= []).push(partitionId)
    })
    return [...assignment].map(([memberId, a]) => ({ memberId, memberAssignment: MemberAssignment.encode({ version: VERSION, assignment: a }) }))
  },

  protocol({ topics }) {
    return { name: 'RoundRobinAssigner', metadata: MemberMetadata.encode({ version: VERSION, topics }) }
  },
})

/**
 * Kafka's RangeAssignor (protocol name 'range'): topic by topic, the members subscribed to it,
 * sorted by member id, each get a contiguous range of partitions; the first
 * `partitions % members` members get one extra. Subscriptions are read from each member's
 * metadata, so members may subscribe to different topics.
 */
import { MemberAssignment, MemberMetadata } from './assigner-protocol.js'
import type { Assignment, PartitionAssigner } from './assigner-types.js'

const VERSION = 0

/** Kafka's 'range' assignor, as a KafkaJS assigner. */
export const range: PartitionAssigner = ({ cluster }) => ({
  name: 'range',
  version: VERSION,

  async assign({ members, topics }) {
    const subscriptions = new Map(members.map((m) => [m.memberId, new Set(MemberMetadata.decode(m.memberMetadata).topics)]))
    const assignment = new Map<string, Assignment>(members.map((m) => [m.memberId, {}]))
    for (const topic of topics) {
      const consumers = [...subscriptions].filter(([, subscribed]) => subscribed.has(topic)).map(([memberId]) => memberId).sort()
      if (consumers.length === 0) continue
      const partitions = cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId).sort((a, b) => a - b)
      const perConsumer = Math.floor(partitions.length / consumers.length)
      const extra = partitions.length % consumers.length
      consumers.forEach((memberId, i) => {
        const start = perConsumer * i + Math.min(i, extra)
        const length = perConsumer + (i < extra ? 1 : 0)
        if (length > 0) assignment.get(memberId)![topic] = partitions.slice(start, start + length)
      })
    }
    return [...assignment].map(([memberId, a]) => ({ memberId, memberAssignment: MemberAssignment.encode({ version: VERSION, assignment: a }) }))
  },

  protocol({ topics }) {
    return { name: 'range', metadata: MemberMetadata.encode({ version: VERSION, topics }) }
  },
})

/**
 * Consumer groups as the admin API sees them (`listGroups`, `describeGroups`, `fetchOffsets`), the
 * way `kafka-consumer-groups.sh --describe` shows them: members with their assigned partitions,
 * committed offset and lag per partition. Lag is the high watermark minus the committed offset, as
 * Kafka's `ConsumerGroupCommand` computes it.
 */
import type { Admin } from '../client/admin/admin.js'
import { MemberAssignment } from '../client/assigners/assigner-protocol.js'
import { topicPartitionKey } from '../protocol/topic-partition.js'
import type { GroupOffsetSnapshot, MemberSnapshot } from './console-snapshot.js'

/** Groups the console itself uses to read dead-letter topics; not shown as the learner's groups. */
export const CONSOLE_GROUP_PREFIX = 'kafkalite-console-'

/** A group without its lag history (added by the caller, which keeps it across refreshes). */
export interface GroupReading {
  readonly groupId: string
  readonly state: string
  readonly protocol: string
  readonly members: readonly MemberSnapshot[]
  readonly offsets: readonly GroupOffsetSnapshot[]
}

function decodeMember(member: { memberId: string; clientId: string; memberAssignment: Buffer }): MemberSnapshot {
  const assignment = member.memberAssignment.length === 0 ? null : MemberAssignment.decode(member.memberAssignment)
  const partitions = Object.entries(assignment?.assignment ?? {}).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition })))
  return { memberId: member.memberId, clientId: member.clientId, partitions }
}

/** Reads every group but the console's own; `highWatermarks` maps a `topicPartitionKey` to its high watermark. */
export async function readGroups(admin: Admin, highWatermarks: ReadonlyMap<string, number>): Promise<GroupReading[]> {
  const { groups } = await admin.listGroups()
  const ids = groups.map((g) => g.groupId).filter((id) => !id.startsWith(CONSOLE_GROUP_PREFIX)).sort()
  if (ids.length === 0) return []
  const described = await admin.describeGroups(ids)
  const readings: GroupReading[] = []
  for (const group of described.groups) {
    const committed = await admin.fetchOffsets({ groupId: group.groupId })
    const offsets = committed.flatMap(({ topic, partitions }) =>
      partitions.map(({ partition, offset }) => {
        const position = Number(offset)
        const end = highWatermarks.get(topicPartitionKey(topic, partition)) ?? 0
        return { topic, partition, committed: position, lag: position < 0 ? end : Math.max(0, end - position) }
      }),
    )
    readings.push({ groupId: group.groupId, state: group.state, protocol: group.protocol, members: group.members.map(decodeMember), offsets })
  }
  return readings
}

/** Who owns what in `group`, as one line: `member-a: orders-0, orders-1; member-b: idle`. */
export function assignmentText(group: Pick<GroupReading, 'members'>): string {
  if (group.members.length === 0) return 'no members'
  return group.members.map((m) => `${m.memberId}: ${m.partitions.length === 0 ? 'idle' : m.partitions.map((p) => `${p.topic}-${p.partition}`).join(', ')}`).join('; ')
}

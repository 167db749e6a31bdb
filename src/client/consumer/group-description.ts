/** A consumer group as `consumer.describeGroup()` reports it, in KafkaJS's shape. */
import type { DescribedGroup } from '../../protocol/group-apis.js'

/** A member as `describeGroup` reports it (KafkaJS's `MemberDescription`). */
export interface MemberDescription {
  clientHost: string
  clientId: string
  memberId: string
  memberAssignment: Buffer
  memberMetadata: Buffer
}

/** KafkaJS's `GroupDescription`. */
export interface GroupDescription {
  groupId: string
  members: MemberDescription[]
  protocol: string
  protocolType: string
  state: DescribedGroup['state'] | 'Unknown'
  errorCode: number
}

/** Converts a DescribeGroups answer to KafkaJS's `GroupDescription`. */
export function toGroupDescription(group: DescribedGroup): GroupDescription {
  return {
    groupId: group.groupId,
    errorCode: group.errorCode,
    state: group.state,
    protocol: group.protocol,
    protocolType: group.protocolType,
    members: group.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: m.memberMetadata,
      memberAssignment: m.memberAssignment,
    })),
  }
}

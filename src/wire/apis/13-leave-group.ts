/**
 * LeaveGroup (key 13), versions 0-5: v1 added throttle time, v3 a batch of members with their
 * group instance ids (KIP-345) instead of one member id, v4 flexible fields, v5 each member's
 * reason for leaving (KIP-800, logged).
 */
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'

interface WireLeaveGroup {
  groupId: string
  memberId: string
  members: Array<{ memberId: string; groupInstanceId: string | null; reason: string | null }>
}

export const leaveGroupCodec: ApiCodec = {
  key: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 5,
  request: {
    flexibleFrom: 4,
    fields: [
      field('groupId', 'string', '0+'),
      field('memberId', 'string', '0-2'),
      structs('members', '3+', [field('memberId', 'string', '3+'), field('groupInstanceId', 'string', '3+', { nullable: '3+' }), field('reason', 'string', '5+', { nullable: '5+' })]),
    ],
  },
  response: {
    flexibleFrom: 4,
    fields: [
      field('throttleTimeMs', 'int32', '1+'),
      field('errorCode', 'int16', '0+'),
      structs('members', '3+', [field('memberId', 'string', '3+'), field('groupInstanceId', 'string', '3+', { nullable: '3+' }), field('errorCode', 'int16', '3+')]),
    ],
  },
  async serve(ctx, message, version) {
    const req = message as unknown as WireLeaveGroup
    const members = version >= 3 ? req.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId })) : [{ memberId: req.memberId, groupInstanceId: null }]
    for (const m of req.members) if (m.reason !== null) ctx.log('debug', `${m.memberId} leaves group ${req.groupId}: ${m.reason}`)
    const response = await ctx.send('LeaveGroup', { groupId: req.groupId, members })
    const errorCode = version < 3 && response.errorCode === 0 ? (response.members[0]?.errorCode ?? 0) : response.errorCode
    return {
      errorCode,
      members: response.members.map((m) => ({ memberId: m.memberId, groupInstanceId: members.find((x) => x.memberId === m.memberId)?.groupInstanceId ?? null, errorCode: m.errorCode })),
    }
  },
}

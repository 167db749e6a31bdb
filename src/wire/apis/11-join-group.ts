/**
 * JoinGroup (key 11), versions 0-9: v1 added the rebalance timeout (v0 uses the session timeout
 * for both), v2 throttle time, v4 MEMBER_ID_REQUIRED for an empty member id (KIP-394), v5 the
 * group instance id (KIP-345, static membership), v6 flexible fields, v7 the protocol type in the
 * answer (KIP-559), v8 the member's reason for joining (KIP-800, logged), v9 skipAssignment (for
 * KIP-848's server-side assignors; always false here). A v0-3 member that joins without an id is
 * joined with the id the coordinator chose, at once, as Kafka does for clients that predate KIP-394.
 */
import { Errors } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'

interface WireJoinGroup {
  groupId: string
  sessionTimeoutMs: number
  rebalanceTimeoutMs: number
  memberId: string
  groupInstanceId: string | null
  protocolType: string
  reason: string | null
  protocols: Array<{ name: string; metadata: Buffer }>
}

export const joinGroupCodec: ApiCodec = {
  key: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 9,
  request: {
    flexibleFrom: 6,
    fields: [
      field('groupId', 'string', '0+'),
      field('sessionTimeoutMs', 'int32', '0+'),
      field('rebalanceTimeoutMs', 'int32', '1+', { default: -1 }),
      field('memberId', 'string', '0+'),
      field('groupInstanceId', 'string', '5+', { nullable: '5+' }),
      field('protocolType', 'string', '0+'),
      structs('protocols', '0+', [field('name', 'string', '0+'), field('metadata', 'bytes', '0+')]),
      field('reason', 'string', '8+', { nullable: '8+' }),
    ],
  },
  response: {
    flexibleFrom: 6,
    fields: [
      field('throttleTimeMs', 'int32', '2+'),
      field('errorCode', 'int16', '0+'),
      field('generationId', 'int32', '0+', { default: -1 }),
      field('protocolType', 'string', '7+', { nullable: '7+' }),
      field('protocolName', 'string', '0+', { nullable: '7+' }),
      field('leader', 'string', '0+'),
      field('skipAssignment', 'bool', '9+'),
      field('memberId', 'string', '0+'),
      structs('members', '0+', [field('memberId', 'string', '0+'), field('groupInstanceId', 'string', '5+', { nullable: '5+' }), field('metadata', 'bytes', '0+')]),
    ],
  },
  async serve(ctx, message, version) {
    const req = message as unknown as WireJoinGroup
    if (req.reason !== null) ctx.log('debug', `${ctx.clientId} joins group ${req.groupId}: ${req.reason}`)
    const join = (memberId: string) => ctx.send('JoinGroup', {
      groupId: req.groupId,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: version === 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
      memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: ctx.clientId,
      protocolType: req.protocolType,
      protocols: req.protocols,
    })
    let response = await join(req.memberId)
    // Before v4 a client cannot handle MEMBER_ID_REQUIRED (KIP-394): the broker joins it with the id it chose at once.
    if (version < 4 && response.errorCode === Errors.MEMBER_ID_REQUIRED.code) response = await join(response.memberId)
    // The group's protocol type is the joining member's whenever the join succeeds (INCONSISTENT_GROUP_PROTOCOL otherwise).
    const protocolType = response.errorCode === 0 ? req.protocolType : null
    return { ...response, protocolType, protocolName: version >= 7 ? response.protocolName : (response.protocolName ?? '') }
  },
}

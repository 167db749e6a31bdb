/**
 * SyncGroup (key 14), versions 0-4: v1 added throttle time, v3 the group instance id (KIP-345),
 * v4 flexible fields. The leader's assignments go to the coordinator; every member gets its own back.
 * Not served: v5+ (protocol type and name checks, KIP-559).
 */
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'

interface WireSyncGroup {
  groupId: string
  generationId: number
  memberId: string
  groupInstanceId: string | null
  assignments: Array<{ memberId: string; assignment: Buffer }>
}

export const syncGroupCodec: ApiCodec = {
  key: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 4,
  request: {
    flexibleFrom: 4,
    fields: [
      field('groupId', 'string', '0+'),
      field('generationId', 'int32', '0+'),
      field('memberId', 'string', '0+'),
      field('groupInstanceId', 'string', '3+', { nullable: '3+' }),
      structs('assignments', '0+', [field('memberId', 'string', '0+'), field('assignment', 'bytes', '0+')]),
    ],
  },
  response: { flexibleFrom: 4, fields: [field('throttleTimeMs', 'int32', '1+'), field('errorCode', 'int16', '0+'), field('assignment', 'bytes', '0+')] },
  async serve(ctx, message) {
    const req = message as unknown as WireSyncGroup
    return { ...(await ctx.send('SyncGroup', { ...req })) }
  },
}

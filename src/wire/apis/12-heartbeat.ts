/**
 * Heartbeat (key 12), versions 0-4: v1 added throttle time, v3 the group instance id (KIP-345),
 * v4 flexible fields.
 */
import type { ApiCodec } from '../api-codec.js'
import { field } from '../schema.js'

interface WireHeartbeat {
  groupId: string
  generationId: number
  memberId: string
  groupInstanceId: string | null
}

export const heartbeatCodec: ApiCodec = {
  key: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  request: {
    flexibleFrom: 4,
    fields: [
      field('groupId', 'string', '0+'),
      field('generationId', 'int32', '0+'),
      field('memberId', 'string', '0+'),
      field('groupInstanceId', 'string', '3+', { nullable: '3+' }),
    ],
  },
  response: { flexibleFrom: 4, fields: [field('throttleTimeMs', 'int32', '1+'), field('errorCode', 'int16', '0+')] },
  async serve(ctx, message) {
    const req = message as unknown as WireHeartbeat
    return { ...(await ctx.send('Heartbeat', { ...req })) }
  },
}

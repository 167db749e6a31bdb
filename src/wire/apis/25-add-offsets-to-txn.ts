/**
 * AddOffsetsToTxn (key 25), versions 0-2: v1-2 changed nothing on the wire.
 * Not served: v3+ (flexible fields).
 */
import type { ApiCodec } from '../api-codec.js'
import { field } from '../schema.js'

export const addOffsetsToTxnCodec: ApiCodec = {
  key: 25,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 2,
  request: {
    flexibleFrom: 3,
    fields: [field('transactionalId', 'string', '0+'), field('producerId', 'int64', '0+'), field('producerEpoch', 'int16', '0+'), field('groupId', 'string', '0+')],
  },
  response: { flexibleFrom: 3, fields: [field('throttleTimeMs', 'int32', '0+'), field('errorCode', 'int16', '0+')] },
  async serve(ctx, message) {
    const req = message as { transactionalId: string; producerId: number; producerEpoch: number; groupId: string }
    return { ...(await ctx.send('AddOffsetsToTxn', { ...req })) }
  },
}

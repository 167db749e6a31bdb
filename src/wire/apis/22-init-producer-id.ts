/**
 * InitProducerId (key 22), versions 0-4: v2 flexible fields, v3 the producer id and epoch the
 * producer holds, so it can bump its epoch instead of fencing itself (KIP-360), v4 changed
 * nothing on the wire. The coordinator checks and bumps them as for in-process producers.
 */
import type { ApiCodec } from '../api-codec.js'
import { field } from '../schema.js'

export const initProducerIdCodec: ApiCodec = {
  key: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 4,
  request: {
    flexibleFrom: 2,
    fields: [
      field('transactionalId', 'string', '0+', { nullable: '0+' }),
      field('transactionTimeoutMs', 'int32', '0+'),
      field('producerId', 'int64', '3+', { default: -1 }),
      field('producerEpoch', 'int16', '3+', { default: -1 }),
    ],
  },
  response: {
    flexibleFrom: 2,
    fields: [field('throttleTimeMs', 'int32', '0+'), field('errorCode', 'int16', '0+'), field('producerId', 'int64', '0+', { default: -1 }), field('producerEpoch', 'int16', '0+')],
  },
  async serve(ctx, message) {
    const req = message as { transactionalId: string | null; transactionTimeoutMs: number; producerId: number; producerEpoch: number }
    return { ...(await ctx.send('InitProducerId', { ...req })) }
  },
}

/**
 * InitProducerId (key 22), versions 0-4: v2 flexible fields, v3 the current producer id and
 * epoch so an idempotent producer can bump its epoch (KIP-360).
 *
 * Not modelled: the KIP-360 epoch bump of a given producer id; a request carrying one gets the
 * same answer as a fresh one (a new id, or the transactional id's next epoch).
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
    const req = message as { transactionalId: string | null; transactionTimeoutMs: number }
    return { ...(await ctx.send('InitProducerId', { transactionalId: req.transactionalId, transactionTimeoutMs: req.transactionTimeoutMs })) }
  },
}

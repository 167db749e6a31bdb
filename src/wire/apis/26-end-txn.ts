/**
 * EndTxn (key 26), versions 0-2: v1-2 changed nothing on the wire. The coordinator writes the
 * commit or abort markers that a Fetch then returns as control batches.
 * Not served: v3+ (flexible fields, epoch bump in the answer, KIP-890).
 */
import type { ApiCodec } from '../api-codec.js'
import { field } from '../schema.js'

export const endTxnCodec: ApiCodec = {
  key: 26,
  name: 'EndTxn',
  minVersion: 0,
  maxVersion: 2,
  request: {
    flexibleFrom: 3,
    fields: [field('transactionalId', 'string', '0+'), field('producerId', 'int64', '0+'), field('producerEpoch', 'int16', '0+'), field('committed', 'bool', '0+')],
  },
  response: { flexibleFrom: 3, fields: [field('throttleTimeMs', 'int32', '0+'), field('errorCode', 'int16', '0+')] },
  async serve(ctx, message) {
    const req = message as { transactionalId: string; producerId: number; producerEpoch: number; committed: boolean }
    return { ...(await ctx.send('EndTxn', { ...req })) }
  },
}

/**
 * FindCoordinator (key 10), versions 0-3: v1 added the key type (0 group, 1 transaction) and an
 * error message, v3 flexible fields. The coordinator is advertised at its broker's listener.
 *
 * Not served: v4+ (several keys per request, KIP-699).
 */
import type { ApiCodec } from '../api-codec.js'
import { field } from '../schema.js'

interface WireFindCoordinator {
  key: string
  keyType: number
}

export const findCoordinatorCodec: ApiCodec = {
  key: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 3,
  request: { flexibleFrom: 3, fields: [field('key', 'string', '0+'), field('keyType', 'int8', '1+')] },
  response: {
    flexibleFrom: 3,
    fields: [
      field('throttleTimeMs', 'int32', '1+'),
      field('errorCode', 'int16', '0+'),
      field('errorMessage', 'string', '1+', { nullable: '1+' }),
      field('nodeId', 'int32', '0+'),
      field('host', 'string', '0+'),
      field('port', 'int32', '0+'),
    ],
  },
  async serve(ctx, message) {
    const req = message as unknown as WireFindCoordinator
    const response = await ctx.send('FindCoordinator', { key: req.key, keyType: req.keyType as 0 | 1 })
    const address = response.errorCode === 0 ? ctx.address(response.nodeId) : undefined
    return { ...response, ...(address ?? {}) }
  },
}

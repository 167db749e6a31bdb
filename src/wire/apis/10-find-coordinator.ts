/**
 * FindCoordinator (key 10), versions 0-4: v1 added the key type (0 group, 1 transaction) and an
 * error message, v3 flexible fields, v4 several keys per request with one answer each (KIP-699).
 * Each coordinator is advertised at its broker's listener.
 *
 * Not served: v5 (KIP-890's error codes), v6 (share groups, KIP-932).
 */
import type { ServeContext } from '../api-codec.js'
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'

interface WireFindCoordinator {
  key: string
  keyType: number
  coordinatorKeys: string[]
}

/** One key's coordinator, with its advertised address when found. */
async function coordinatorOf(ctx: ServeContext, key: string, keyType: number) {
  const response = await ctx.send('FindCoordinator', { key, keyType: keyType as 0 | 1 })
  const address = response.errorCode === 0 ? ctx.address(response.nodeId) : undefined
  return { ...response, ...(address ?? {}) }
}

export const findCoordinatorCodec: ApiCodec = {
  key: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 4,
  request: { flexibleFrom: 3, fields: [field('key', 'string', '0-3'), field('keyType', 'int8', '1+'), scalars('coordinatorKeys', 'string', '4+')] },
  response: {
    flexibleFrom: 3,
    fields: [
      field('throttleTimeMs', 'int32', '1+'),
      field('errorCode', 'int16', '0-3'),
      field('errorMessage', 'string', '1-3', { nullable: '1-3' }),
      field('nodeId', 'int32', '0-3'),
      field('host', 'string', '0-3'),
      field('port', 'int32', '0-3'),
      structs('coordinators', '4+', [
        field('key', 'string', '4+'),
        field('nodeId', 'int32', '4+'),
        field('host', 'string', '4+'),
        field('port', 'int32', '4+'),
        field('errorCode', 'int16', '4+'),
        field('errorMessage', 'string', '4+', { nullable: '4+' }),
      ]),
    ],
  },
  async serve(ctx, message, version) {
    const req = message as unknown as WireFindCoordinator
    if (version < 4) return coordinatorOf(ctx, req.key, req.keyType)
    return { coordinators: await Promise.all(req.coordinatorKeys.map(async (key) => ({ key, ...(await coordinatorOf(ctx, key, req.keyType)) }))) }
  },
}

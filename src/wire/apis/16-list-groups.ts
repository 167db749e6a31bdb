/**
 * ListGroups (key 16), versions 0-4: v1 added throttle time, v3 flexible fields, v4 a filter on
 * group states and the state of each group (KIP-518).
 * Not served: v5+ (group types, KIP-848).
 */
import type { GroupState } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'

export const listGroupsCodec: ApiCodec = {
  key: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 4,
  request: { flexibleFrom: 3, fields: [scalars('statesFilter', 'string', '4+')] },
  response: {
    flexibleFrom: 3,
    fields: [
      field('throttleTimeMs', 'int32', '1+'),
      field('errorCode', 'int16', '0+'),
      structs('groups', '0+', [field('groupId', 'string', '0+'), field('protocolType', 'string', '0+'), field('groupState', 'string', '4+')]),
    ],
  },
  async serve(ctx, message) {
    const statesFilter = (message as { statesFilter: GroupState[] }).statesFilter
    return { ...(await ctx.send('ListGroups', { statesFilter })) }
  },
}

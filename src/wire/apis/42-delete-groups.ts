/**
 * DeleteGroups (key 42), versions 0-2: v1 changed nothing on the wire, v2 is flexible.
 * NON_EMPTY_GROUP for a group with members, GROUP_ID_NOT_FOUND for an unknown one.
 */
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'

export const deleteGroupsCodec: ApiCodec = {
  key: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 2,
  request: { flexibleFrom: 2, fields: [scalars('groupsNames', 'string', '0+')] },
  response: { flexibleFrom: 2, fields: [field('throttleTimeMs', 'int32', '0+'), structs('results', '0+', [field('groupId', 'string', '0+'), field('errorCode', 'int16', '0+')])] },
  async serve(ctx, message) {
    const groupIds = (message as { groupsNames: string[] }).groupsNames
    return { ...(await ctx.send('DeleteGroups', { groupIds })) }
  },
}

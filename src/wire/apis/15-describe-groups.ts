/**
 * DescribeGroups (key 15), versions 0-5: v1 added throttle time, v3 authorized operations, v4 the
 * members' group instance ids, v5 flexible fields. Not modelled: authorized operations (always
 * "not requested").
 */
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'

export const describeGroupsCodec: ApiCodec = {
  key: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 5,
  request: { flexibleFrom: 5, fields: [scalars('groups', 'string', '0+'), field('includeAuthorizedOperations', 'bool', '3+')] },
  response: {
    flexibleFrom: 5,
    fields: [
      field('throttleTimeMs', 'int32', '1+'),
      structs('groups', '0+', [
        field('errorCode', 'int16', '0+'),
        field('groupId', 'string', '0+'),
        field('groupState', 'string', '0+'),
        field('protocolType', 'string', '0+'),
        field('protocolData', 'string', '0+'),
        structs('members', '0+', [
          field('memberId', 'string', '0+'),
          field('groupInstanceId', 'string', '4+', { nullable: '4+' }),
          field('clientId', 'string', '0+'),
          field('clientHost', 'string', '0+'),
          field('memberMetadata', 'bytes', '0+'),
          field('memberAssignment', 'bytes', '0+'),
        ]),
        field('authorizedOperations', 'int32', '3+', { default: -2147483648 }),
      ]),
    ],
  },
  async serve(ctx, message) {
    const groups = (message as { groups: string[] }).groups
    const response = await ctx.send('DescribeGroups', { groups })
    return { groups: response.groups.map((g) => ({ ...g, groupState: g.state, protocolData: g.protocol })) }
  },
}

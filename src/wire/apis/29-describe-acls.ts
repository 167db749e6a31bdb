/**
 * DescribeAcls (key 29), versions 0-3: v1 added the pattern type (KIP-290), v2 is flexible, v3
 * added the user resource type on the broker side and changed nothing on the wire.
 */
import { PatternType } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'
import { aclFilterFields, aclFilterFromWire, type WireAclFilter } from './acl-fields.js'

export const describeAclsCodec: ApiCodec = {
  key: 29,
  name: 'DescribeAcls',
  minVersion: 0,
  maxVersion: 3,
  request: { flexibleFrom: 2, fields: aclFilterFields },
  response: {
    flexibleFrom: 2,
    fields: [
      field('throttleTimeMs', 'int32', '0+'),
      field('errorCode', 'int16', '0+'),
      field('errorMessage', 'string', '0+', { nullable: '0+' }),
      structs('resources', '0+', [
        field('resourceType', 'int8', '0+'),
        field('resourceName', 'string', '0+'),
        field('patternType', 'int8', '1+', { default: PatternType.LITERAL }),
        structs('acls', '0+', [field('principal', 'string', '0+'), field('host', 'string', '0+'), field('operation', 'int8', '0+'), field('permissionType', 'int8', '0+')]),
      ]),
    ],
  },
  async serve(ctx, message) {
    const response = await ctx.send('DescribeAcls', aclFilterFromWire(message as unknown as WireAclFilter))
    return { errorCode: response.errorCode, errorMessage: response.errorMessage, resources: response.resources }
  },
}

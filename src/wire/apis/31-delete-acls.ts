/**
 * DeleteAcls (key 31), versions 0-3: v1 added the pattern type (KIP-290), v2 is flexible, v3
 * changed nothing on the wire. Each filter answers with the ACLs it removed.
 */
import { PatternType } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'
import { aclFilterFields, aclFilterFromWire, type WireAclFilter } from './acl-fields.js'

export const deleteAclsCodec: ApiCodec = {
  key: 31,
  name: 'DeleteAcls',
  minVersion: 0,
  maxVersion: 3,
  request: { flexibleFrom: 2, fields: [structs('filters', '0+', aclFilterFields)] },
  response: {
    flexibleFrom: 2,
    fields: [
      field('throttleTimeMs', 'int32', '0+'),
      structs('filterResults', '0+', [
        field('errorCode', 'int16', '0+'),
        field('errorMessage', 'string', '0+', { nullable: '0+' }),
        structs('matchingAcls', '0+', [
          field('errorCode', 'int16', '0+'),
          field('errorMessage', 'string', '0+', { nullable: '0+' }),
          field('resourceType', 'int8', '0+'),
          field('resourceName', 'string', '0+'),
          field('patternType', 'int8', '1+', { default: PatternType.LITERAL }),
          field('principal', 'string', '0+'),
          field('host', 'string', '0+'),
          field('operation', 'int8', '0+'),
          field('permissionType', 'int8', '0+'),
        ]),
      ]),
    ],
  },
  async serve(ctx, message) {
    const filters = (message as { filters: WireAclFilter[] }).filters
    const response = await ctx.send('DeleteAcls', { filters: filters.map(aclFilterFromWire) })
    return { filterResults: response.filterResults }
  },
}

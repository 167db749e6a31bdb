/**
 * CreateAcls (key 30), versions 0-3: v1 added the pattern type (KIP-290; a v0 ACL is LITERAL), v2
 * is flexible, v3 changed nothing on the wire.
 */
import { PatternType } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'

interface WireCreateAcls {
  creations: Array<{
    resourceType: number
    resourceName: string
    resourcePatternType: number
    principal: string
    host: string
    operation: number
    permissionType: number
  }>
}

export const createAclsCodec: ApiCodec = {
  key: 30,
  name: 'CreateAcls',
  minVersion: 0,
  maxVersion: 3,
  request: {
    flexibleFrom: 2,
    fields: [
      structs('creations', '0+', [
        field('resourceType', 'int8', '0+'),
        field('resourceName', 'string', '0+'),
        field('resourcePatternType', 'int8', '1+', { default: PatternType.LITERAL }),
        field('principal', 'string', '0+'),
        field('host', 'string', '0+'),
        field('operation', 'int8', '0+'),
        field('permissionType', 'int8', '0+'),
      ]),
    ],
  },
  response: {
    flexibleFrom: 2,
    fields: [field('throttleTimeMs', 'int32', '0+'), structs('results', '0+', [field('errorCode', 'int16', '0+'), field('errorMessage', 'string', '0+', { nullable: '0+' })])],
  },
  async serve(ctx, message) {
    const req = message as unknown as WireCreateAcls
    const response = await ctx.send('CreateAcls', {
      creations: req.creations.map(({ resourcePatternType, ...acl }) => ({ ...acl, patternType: resourcePatternType })),
    })
    return { results: response.results }
  },
}

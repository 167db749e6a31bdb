/**
 * IncrementalAlterConfigs (key 44, KIP-339), versions 0-1: v1 is flexible. Changes only the named
 * configs, each by its operation: SET, DELETE, APPEND or SUBTRACT (the last two for list configs).
 */
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'
import { alterConfigsResponseFields } from './alter-configs-fields.js'

interface WireIncrementalAlterConfigs {
  resources: Array<{ resourceType: number; resourceName: string; configs: Array<{ name: string; configOperation: number; value: string | null }> }>
  validateOnly: boolean
}

export const incrementalAlterConfigsCodec: ApiCodec = {
  key: 44,
  name: 'IncrementalAlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  request: {
    flexibleFrom: 1,
    fields: [
      structs('resources', '0+', [
        field('resourceType', 'int8', '0+'),
        field('resourceName', 'string', '0+'),
        structs('configs', '0+', [field('name', 'string', '0+'), field('configOperation', 'int8', '0+'), field('value', 'string', '0+', { nullable: '0+' })]),
      ]),
      field('validateOnly', 'bool', '0+'),
    ],
  },
  response: { flexibleFrom: 1, fields: alterConfigsResponseFields },
  async serve(ctx, message) {
    const req = message as unknown as WireIncrementalAlterConfigs
    const response = await ctx.send('IncrementalAlterConfigs', { resources: req.resources, validateOnly: req.validateOnly })
    return { responses: response.resources }
  },
}

/**
 * AlterConfigs (key 33), versions 0-2: v1 changed nothing on the wire, v2 is flexible. Replaces a
 * resource's whole set of dynamic configs: those the request does not name return to their
 * defaults (the reason Kafka deprecated it for IncrementalAlterConfigs, KIP-339).
 */
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'
import { alterConfigsResponseFields } from './alter-configs-fields.js'

interface WireAlterConfigs {
  resources: Array<{ resourceType: number; resourceName: string; configs: Array<{ name: string; value: string | null }> }>
  validateOnly: boolean
}

export const alterConfigsCodec: ApiCodec = {
  key: 33,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 2,
  request: {
    flexibleFrom: 2,
    fields: [
      structs('resources', '0+', [
        field('resourceType', 'int8', '0+'),
        field('resourceName', 'string', '0+'),
        structs('configs', '0+', [field('name', 'string', '0+'), field('value', 'string', '0+', { nullable: '0+' })]),
      ]),
      field('validateOnly', 'bool', '0+'),
    ],
  },
  response: { flexibleFrom: 2, fields: alterConfigsResponseFields },
  async serve(ctx, message) {
    const req = message as unknown as WireAlterConfigs
    const response = await ctx.send('AlterConfigs', { resources: req.resources, validateOnly: req.validateOnly })
    return { responses: response.resources }
  },
}

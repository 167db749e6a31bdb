/**
 * DescribeConfigs (key 32), versions 0-2: v1 added synonyms and the config source (replacing
 * isDefault), v2 changed nothing on the wire. Topic and broker configs, as the handler knows them.
 * Not modelled: synonyms (always empty). Not served: v3+ (documentation, config types).
 */
import { ConfigSource } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'

interface WireDescribeConfigs {
  resources: Array<{ resourceType: number; resourceName: string; configurationKeys: string[] | null }>
  includeSynonyms: boolean
}

export const describeConfigsCodec: ApiCodec = {
  key: 32,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 2,
  request: {
    flexibleFrom: 4,
    fields: [
      structs('resources', '0+', [field('resourceType', 'int8', '0+'), field('resourceName', 'string', '0+'), scalars('configurationKeys', 'string', '0+', { nullable: '0+' })]),
      field('includeSynonyms', 'bool', '1+'),
    ],
  },
  response: {
    flexibleFrom: 4,
    fields: [
      field('throttleTimeMs', 'int32', '0+'),
      structs('results', '0+', [
        field('errorCode', 'int16', '0+'),
        field('errorMessage', 'string', '0+', { nullable: '0+' }),
        field('resourceType', 'int8', '0+'),
        field('resourceName', 'string', '0+'),
        structs('configs', '0+', [
          field('name', 'string', '0+'),
          field('value', 'string', '0+', { nullable: '0+' }),
          field('readOnly', 'bool', '0+'),
          field('isDefault', 'bool', '0'),
          field('configSource', 'int8', '1+', { default: -1 }),
          field('isSensitive', 'bool', '0+'),
          structs('synonyms', '1+', [field('name', 'string', '1+'), field('value', 'string', '1+', { nullable: '1+' }), field('source', 'int8', '1+')]),
        ]),
      ]),
    ],
  },
  async serve(ctx, message) {
    const req = message as unknown as WireDescribeConfigs
    const response = await ctx.send('DescribeConfigs', {
      resources: req.resources.map((r) => ({ resourceType: r.resourceType, resourceName: r.resourceName, configNames: r.configurationKeys })),
      includeSynonyms: req.includeSynonyms,
    })
    return {
      results: response.resources.map((r) => ({
        errorCode: r.errorCode,
        errorMessage: r.errorMessage,
        resourceType: r.resourceType,
        resourceName: r.resourceName,
        configs: r.configEntries.map((c) => ({
          name: c.configName,
          value: c.configValue,
          readOnly: c.readOnly,
          isDefault: c.isDefault || c.configSource === ConfigSource.DEFAULT_CONFIG,
          configSource: c.configSource,
          isSensitive: c.isSensitive,
          synonyms: [],
        })),
      })),
    }
  },
}

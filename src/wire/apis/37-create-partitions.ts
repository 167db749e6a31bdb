/**
 * CreatePartitions (key 37), versions 0-1: v1 changed nothing on the wire. `count` is the new
 * total; assignments, when given, place each new partition's replicas.
 * Not served: v2+ (flexible fields).
 */
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'

interface WireCreatePartitions {
  topics: Array<{ name: string; count: number; assignments: Array<{ brokerIds: number[] }> | null }>
  timeoutMs: number
  validateOnly: boolean
}

export const createPartitionsCodec: ApiCodec = {
  key: 37,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 1,
  request: {
    flexibleFrom: 2,
    fields: [
      structs('topics', '0+', [
        field('name', 'string', '0+'),
        field('count', 'int32', '0+'),
        structs('assignments', '0+', [scalars('brokerIds', 'int32', '0+')], { nullable: '0+' }),
      ]),
      field('timeoutMs', 'int32', '0+'),
      field('validateOnly', 'bool', '0+'),
    ],
  },
  response: {
    flexibleFrom: 2,
    fields: [field('throttleTimeMs', 'int32', '0+'), structs('results', '0+', [field('name', 'string', '0+'), field('errorCode', 'int16', '0+'), field('errorMessage', 'string', '0+', { nullable: '0+' })])],
  },
  async serve(ctx, message) {
    const req = message as unknown as WireCreatePartitions
    const response = await ctx.send('CreatePartitions', {
      topics: req.topics.map((t) => ({ name: t.name, count: t.count, assignments: t.assignments === null ? null : t.assignments.map((a) => a.brokerIds) })),
      timeoutMs: req.timeoutMs,
      validateOnly: req.validateOnly,
    })
    return { results: response.results }
  },
}

/**
 * DeleteTopics (key 20), versions 0-6: v1 added throttle time, v2-3 changed nothing on the wire,
 * v4 flexible fields, v5 error messages, v6 topics by name or by id (KIP-516).
 * Not modelled: topic ids on the wire (Metadata is served below v10, so clients hold no ids): a
 * v6 topic named only by its id gets UNKNOWN_TOPIC_ID.
 */
import { Errors } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'

interface WireDeleteTopics {
  topics: Array<{ name: string | null; topicId: Buffer }>
  topicNames: string[]
  timeoutMs: number
}

export const deleteTopicsCodec: ApiCodec = {
  key: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 6,
  request: {
    flexibleFrom: 4,
    fields: [
      structs('topics', '6+', [field('name', 'string', '6+', { nullable: '6+' }), field('topicId', 'uuid', '6+')]),
      scalars('topicNames', 'string', '0-5'),
      field('timeoutMs', 'int32', '0+'),
    ],
  },
  response: {
    flexibleFrom: 4,
    fields: [
      field('throttleTimeMs', 'int32', '1+'),
      structs('responses', '0+', [
        field('name', 'string', '0+', { nullable: '6+' }),
        field('topicId', 'uuid', '6+'),
        field('errorCode', 'int16', '0+'),
        field('errorMessage', 'string', '5+', { nullable: '5+' }),
      ]),
    ],
  },
  async serve(ctx, message, version) {
    const req = message as unknown as WireDeleteTopics
    const byId = version >= 6 ? req.topics.filter((t) => t.name === null) : []
    const topicNames = version >= 6 ? req.topics.flatMap((t) => (t.name === null ? [] : [t.name])) : req.topicNames
    const response = topicNames.length === 0 ? { topics: [] } : await ctx.send('DeleteTopics', { topicNames, timeoutMs: req.timeoutMs })
    const unknownIds = byId.map((t) => ({ name: null, topicId: t.topicId, errorCode: Errors.UNKNOWN_TOPIC_ID.code, errorMessage: Errors.UNKNOWN_TOPIC_ID.message }))
    return { responses: [...response.topics, ...unknownIds] }
  },
}

/**
 * DeleteTopics (key 20), versions 0-3: v1 added throttle time; v2-3 changed nothing on the wire.
 * Not served: v4+ (flexible fields, error messages, topic ids).
 */
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'

export const deleteTopicsCodec: ApiCodec = {
  key: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 3,
  request: { flexibleFrom: 4, fields: [scalars('topicNames', 'string', '0+'), field('timeoutMs', 'int32', '0+')] },
  response: { flexibleFrom: 4, fields: [field('throttleTimeMs', 'int32', '1+'), structs('responses', '0+', [field('name', 'string', '0+'), field('errorCode', 'int16', '0+')])] },
  async serve(ctx, message) {
    const req = message as { topicNames: string[]; timeoutMs: number }
    const response = await ctx.send('DeleteTopics', { topicNames: req.topicNames, timeoutMs: req.timeoutMs })
    return { responses: response.topics }
  },
}

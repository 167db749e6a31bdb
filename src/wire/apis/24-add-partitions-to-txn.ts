/**
 * AddPartitionsToTxn (key 24), versions 0-2: v1-2 changed nothing on the wire (v2 allows
 * batching in the client). Not served: v3+ (flexible fields, several transactions per request, KIP-890).
 */
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'
import { partitionErrorFields, partitionErrorsToWire } from './partition-errors.js'

interface WireAddPartitions {
  transactionalId: string
  producerId: number
  producerEpoch: number
  topics: Array<{ name: string; partitions: number[] }>
}

export const addPartitionsToTxnCodec: ApiCodec = {
  key: 24,
  name: 'AddPartitionsToTxn',
  minVersion: 0,
  maxVersion: 2,
  request: {
    flexibleFrom: 3,
    fields: [
      field('transactionalId', 'string', '0+'),
      field('producerId', 'int64', '0+'),
      field('producerEpoch', 'int16', '0+'),
      structs('topics', '0+', [field('name', 'string', '0+'), scalars('partitions', 'int32', '0+')]),
    ],
  },
  response: { flexibleFrom: 3, fields: [field('throttleTimeMs', 'int32', '0+'), partitionErrorFields('results', 'results')] },
  async serve(ctx, message) {
    const req = message as unknown as WireAddPartitions
    const response = await ctx.send('AddPartitionsToTxn', { ...req, topics: req.topics.map((t) => ({ topic: t.name, partitions: t.partitions })) })
    return { results: partitionErrorsToWire(response, 'results') }
  },
}

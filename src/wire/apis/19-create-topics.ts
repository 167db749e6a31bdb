/**
 * CreateTopics (key 19), versions 0-4: v1 added validateOnly and error messages, v2 throttle
 * time, v4 -1 for the broker's default partitions and replication factor (KIP-464).
 * Not served: v5+ (flexible fields, the created topic's configs in the answer).
 */
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'

interface WireCreateTopics {
  topics: Array<{
    name: string
    numPartitions: number
    replicationFactor: number
    assignments: Array<{ partitionIndex: number; brokerIds: number[] }>
    configs: Array<{ name: string; value: string | null }>
  }>
  timeoutMs: number
  validateOnly: boolean
}

export const createTopicsCodec: ApiCodec = {
  key: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 4,
  request: {
    flexibleFrom: 5,
    fields: [
      structs('topics', '0+', [
        field('name', 'string', '0+'),
        field('numPartitions', 'int32', '0+'),
        field('replicationFactor', 'int16', '0+'),
        structs('assignments', '0+', [field('partitionIndex', 'int32', '0+'), scalars('brokerIds', 'int32', '0+')]),
        structs('configs', '0+', [field('name', 'string', '0+'), field('value', 'string', '0+', { nullable: '0+' })]),
      ]),
      field('timeoutMs', 'int32', '0+', { default: 60000 }),
      field('validateOnly', 'bool', '1+'),
    ],
  },
  response: {
    flexibleFrom: 5,
    fields: [
      field('throttleTimeMs', 'int32', '2+'),
      structs('topics', '0+', [field('name', 'string', '0+'), field('errorCode', 'int16', '0+'), field('errorMessage', 'string', '1+', { nullable: '0+' })]),
    ],
  },
  async serve(ctx, message) {
    const req = message as unknown as WireCreateTopics
    const response = await ctx.send('CreateTopics', {
      topics: req.topics.map((t) => ({
        name: t.name,
        numPartitions: t.numPartitions,
        replicationFactor: t.replicationFactor,
        replicaAssignment: t.assignments.map((a) => ({ partition: a.partitionIndex, brokerIds: a.brokerIds })),
        configs: t.configs,
      })),
      timeoutMs: req.timeoutMs,
      validateOnly: req.validateOnly,
    })
    return { topics: response.topics }
  },
}

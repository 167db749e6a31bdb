/**
 * CreateTopics (key 19), versions 0-7: v1 added validateOnly and error messages, v2 throttle
 * time, v4 -1 for the broker's default partitions and replication factor (KIP-464), v5 flexible
 * fields and the created topic's partitions, replication factor and configs in the answer
 * (KIP-525), v6 quota errors, v7 the topic id (KIP-516).
 * Not modelled: the configs in the answer (null, as Kafka answers a client that may not describe
 * them) and topic ids (the zero UUID: Metadata is served below v10, so clients never see ids).
 */
import type { ApiCodec } from '../api-codec.js'
import type { ServeContext } from '../api-codec.js'
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

/**
 * The partitions and replication factor of each topic created (v5+), as the brokers' metadata has
 * them (the request may have asked for the defaults with -1); as asked for a validateOnly request.
 */
async function shapeOf(ctx: ServeContext, req: WireCreateTopics, results: ReadonlyArray<{ name: string; errorCode: number }>) {
  const ok = results.filter((t) => t.errorCode === 0).map((t) => t.name)
  const shapes = new Map<string, { numPartitions: number; replicationFactor: number }>()
  if (ok.length === 0) return shapes
  if (req.validateOnly) {
    for (const t of req.topics) if (ok.includes(t.name)) shapes.set(t.name, { numPartitions: t.numPartitions, replicationFactor: t.replicationFactor })
    return shapes
  }
  const metadata = await ctx.send('Metadata', { topics: ok, allowAutoTopicCreation: false })
  for (const t of metadata.topics) {
    if (t.errorCode === 0) shapes.set(t.topic, { numPartitions: t.partitions.length, replicationFactor: t.partitions[0]?.replicas.length ?? -1 })
  }
  return shapes
}

export const createTopicsCodec: ApiCodec = {
  key: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 7,
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
      structs('topics', '0+', [
        field('name', 'string', '0+'),
        field('topicId', 'uuid', '7+'),
        field('errorCode', 'int16', '0+'),
        field('errorMessage', 'string', '1+', { nullable: '0+' }),
        field('numPartitions', 'int32', '5+', { default: -1 }),
        field('replicationFactor', 'int16', '5+', { default: -1 }),
        structs(
          'configs',
          '5+',
          [field('name', 'string', '5+'), field('value', 'string', '5+', { nullable: '5+' }), field('readOnly', 'bool', '5+'), field('configSource', 'int8', '5+', { default: -1 }), field('isSensitive', 'bool', '5+')],
          { nullable: '5+' },
        ),
      ]),
    ],
  },
  async serve(ctx, message, version) {
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
    if (version < 5) return { topics: response.topics }
    const created = await shapeOf(ctx, req, response.topics)
    return { topics: response.topics.map((t) => ({ ...t, ...created.get(t.name), configs: null })) }
  },
}

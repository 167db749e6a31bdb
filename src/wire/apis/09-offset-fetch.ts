/**
 * OffsetFetch (key 9), versions 1-7: v2 added a top-level error code and null topics for "all
 * committed offsets", v3 throttle time, v5 committed leader epochs, v6 flexible fields, v7
 * requireStable (KIP-447: UNSTABLE_OFFSET_COMMIT while a transaction holds pending offsets).
 *
 * Not served: v0 (offsets in ZooKeeper), v8+ (several groups per request). Committed leader
 * epochs are not modelled (always -1).
 */
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'

interface WireOffsetFetch {
  groupId: string
  topics: Array<{ name: string; partitionIndexes: number[] }> | null
  requireStable: boolean
}

export const offsetFetchCodec: ApiCodec = {
  key: 9,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 7,
  request: {
    flexibleFrom: 6,
    fields: [
      field('groupId', 'string', '0+'),
      structs('topics', '0+', [field('name', 'string', '0+'), scalars('partitionIndexes', 'int32', '0+')], { nullable: '2+' }),
      field('requireStable', 'bool', '7+'),
    ],
  },
  response: {
    flexibleFrom: 6,
    fields: [
      field('throttleTimeMs', 'int32', '3+'),
      structs('topics', '0+', [
        field('name', 'string', '0+'),
        structs('partitions', '0+', [
          field('partitionIndex', 'int32', '0+'),
          field('committedOffset', 'int64', '0+'),
          field('committedLeaderEpoch', 'int32', '5+', { default: -1 }),
          field('metadata', 'string', '0+', { nullable: '0+' }),
          field('errorCode', 'int16', '0+'),
        ]),
      ]),
      field('errorCode', 'int16', '2+'),
    ],
  },
  async serve(ctx, message, version) {
    const req = message as unknown as WireOffsetFetch
    const response = await ctx.send('OffsetFetch', {
      groupId: req.groupId,
      topics: req.topics === null ? null : req.topics.map((t) => ({ topic: t.name, partitions: t.partitionIndexes })),
      requireStable: req.requireStable,
    })
    if (version < 2 && response.errorCode !== 0) {
      // v0-1 have no top-level error code: Kafka puts a group error on every partition asked for.
      return { topics: (req.topics ?? []).map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => ({ partitionIndex: p, committedOffset: -1, metadata: '', errorCode: response.errorCode })) })) }
    }
    return {
      errorCode: response.errorCode,
      topics: response.topics.map((t) => ({
        name: t.topic,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partition, committedOffset: p.offset, metadata: p.metadata, errorCode: p.errorCode })),
      })),
    }
  },
}

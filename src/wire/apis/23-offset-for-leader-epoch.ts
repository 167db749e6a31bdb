/**
 * OffsetForLeaderEpoch (key 23), versions 0-3: v1 added the leader epoch to the answer, v2 the
 * current leader epoch (KIP-320) and throttle time, v3 the replica id. Consumers use it after a
 * leader change to detect log truncation; a wire client is always a consumer (replica id -1).
 * Not served: v4+ (flexible fields).
 */
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'

interface WireOffsetForLeaderEpoch {
  topics: Array<{ topic: string; partitions: Array<{ partition: number; currentLeaderEpoch: number; leaderEpoch: number }> }>
}

export const offsetForLeaderEpochCodec: ApiCodec = {
  key: 23,
  name: 'OffsetForLeaderEpoch',
  minVersion: 0,
  maxVersion: 3,
  request: {
    flexibleFrom: 4,
    fields: [
      field('replicaId', 'int32', '3+', { default: -2 }),
      structs('topics', '0+', [
        field('topic', 'string', '0+'),
        structs('partitions', '0+', [field('partition', 'int32', '0+'), field('currentLeaderEpoch', 'int32', '2+', { default: -1 }), field('leaderEpoch', 'int32', '0+')]),
      ]),
    ],
  },
  response: {
    flexibleFrom: 4,
    fields: [
      field('throttleTimeMs', 'int32', '2+'),
      structs('topics', '0+', [
        field('topic', 'string', '0+'),
        structs('partitions', '0+', [
          field('errorCode', 'int16', '0+'),
          field('partition', 'int32', '0+'),
          field('leaderEpoch', 'int32', '1+', { default: -1 }),
          field('endOffset', 'int64', '0+', { default: -1 }),
        ]),
      ]),
    ],
  },
  async serve(ctx, message) {
    const req = message as unknown as WireOffsetForLeaderEpoch
    return { ...(await ctx.send('OffsetForLeaderEpoch', { replicaId: -1, topics: req.topics })) }
  },
}

/**
 * ListOffsets (key 2), versions 1-5: v1 replaced v0's offset list with one offset and its
 * timestamp, v2 added the isolation level (KIP-98), v4 the current leader epoch in the request
 * (FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH, KIP-320) and the leader epoch in the answer, v3 and
 * v5 changed nothing on the wire. Timestamps -1 (latest) and -2 (earliest) or a time.
 *
 * Not served: v0 (several old-style offsets), v6+ (flexible fields, max timestamp, KIP-734).
 */
import { Errors, type IsolationLevel } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'

interface WireListOffsets {
  replicaId: number
  isolationLevel: number
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; currentLeaderEpoch: number; timestamp: number }> }>
}

export const listOffsetsCodec: ApiCodec = {
  key: 2,
  name: 'ListOffsets',
  minVersion: 1,
  maxVersion: 5,
  request: {
    flexibleFrom: 6,
    fields: [
      field('replicaId', 'int32', '0+'),
      field('isolationLevel', 'int8', '2+'),
      structs('topics', '0+', [
        field('name', 'string', '0+'),
        structs('partitions', '0+', [field('partitionIndex', 'int32', '0+'), field('currentLeaderEpoch', 'int32', '4+', { default: -1 }), field('timestamp', 'int64', '0+')]),
      ]),
    ],
  },
  response: {
    flexibleFrom: 6,
    fields: [
      field('throttleTimeMs', 'int32', '2+'),
      structs('topics', '0+', [
        field('name', 'string', '0+'),
        structs('partitions', '0+', [
          field('partitionIndex', 'int32', '0+'),
          field('errorCode', 'int16', '0+'),
          field('timestamp', 'int64', '1+', { default: -1 }),
          field('offset', 'int64', '1+', { default: -1 }),
          field('leaderEpoch', 'int32', '4+', { default: -1 }),
        ]),
      ]),
    ],
  },
  async serve(ctx, message, version) {
    const req = message as unknown as WireListOffsets
    const response = await ctx.send('ListOffsets', {
      replicaId: -1,
      isolationLevel: (req.isolationLevel === 1 ? 1 : 0) as IsolationLevel,
      topics: req.topics.map((t) => ({ topic: t.name, partitions: t.partitions.map((p) => ({ partition: p.partitionIndex, timestamp: p.timestamp, currentLeaderEpoch: p.currentLeaderEpoch })) })),
    })
    return {
      topics: response.topics.map((t) => ({
        name: t.topic,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partition, errorCode: errorCodeFor(p.errorCode, version), timestamp: p.timestamp, offset: p.offset, leaderEpoch: p.leaderEpoch })),
      })),
    }
  },
}

/** OFFSET_NOT_AVAILABLE came with v5 (KIP-207): Kafka answers older versions LEADER_NOT_AVAILABLE, which they know to retry. */
function errorCodeFor(errorCode: number, version: number): number {
  return errorCode === Errors.OFFSET_NOT_AVAILABLE.code && version < 5 ? Errors.LEADER_NOT_AVAILABLE.code : errorCode
}

/**
 * OffsetFetch (key 9), versions 1-8: v2 added a top-level error code and null topics for "all
 * committed offsets", v3 throttle time, v5 committed leader epochs, v6 flexible fields, v7
 * requireStable (KIP-447: UNSTABLE_OFFSET_COMMIT while a transaction holds pending offsets), v8
 * several groups per request, each answered on its own (KIP-709).
 *
 * Not served: v0 (offsets in ZooKeeper), v9 (KIP-848 member epochs). Committed leader epochs are
 * not modelled (always -1).
 */
import type { ApiCodec, ServeContext } from '../api-codec.js'
import { field, scalars, structs, type Field } from '../schema.js'

type WireTopics = Array<{ name: string; partitionIndexes: number[] }> | null

interface WireOffsetFetch {
  groupId: string
  topics: WireTopics
  groups: Array<{ groupId: string; topics: WireTopics }>
  requireStable: boolean
}

/** The committed offsets of one group, in wire names, with the group's error. */
async function fetchGroup(ctx: ServeContext, groupId: string, topics: WireTopics, requireStable: boolean) {
  const response = await ctx.send('OffsetFetch', {
    groupId,
    topics: topics === null ? null : topics.map((t) => ({ topic: t.name, partitions: t.partitionIndexes })),
    requireStable,
  })
  return {
    errorCode: response.errorCode,
    topics: response.topics.map((t) => ({
      name: t.topic,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partition, committedOffset: p.offset, committedLeaderEpoch: p.committedLeaderEpoch ?? -1, metadata: p.metadata, errorCode: p.errorCode })),
    })),
  }
}

/** A topic's committed partitions, as every version from v5 writes them. */
const partitionFields = (versions: string): Field[] => [
  field('partitionIndex', 'int32', versions),
  field('committedOffset', 'int64', versions),
  field('committedLeaderEpoch', 'int32', versions === '0-7' ? '5-7' : versions, { default: -1 }),
  field('metadata', 'string', versions, { nullable: versions }),
  field('errorCode', 'int16', versions),
]

export const offsetFetchCodec: ApiCodec = {
  key: 9,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 8,
  request: {
    flexibleFrom: 6,
    fields: [
      field('groupId', 'string', '0-7'),
      structs('topics', '0-7', [field('name', 'string', '0-7'), scalars('partitionIndexes', 'int32', '0-7')], { nullable: '2-7' }),
      structs('groups', '8+', [field('groupId', 'string', '8+'), structs('topics', '8+', [field('name', 'string', '8+'), scalars('partitionIndexes', 'int32', '8+')], { nullable: '8+' })]),
      field('requireStable', 'bool', '7+'),
    ],
  },
  response: {
    flexibleFrom: 6,
    fields: [
      field('throttleTimeMs', 'int32', '3+'),
      structs('topics', '0-7', [field('name', 'string', '0-7'), structs('partitions', '0-7', partitionFields('0-7'))]),
      field('errorCode', 'int16', '2-7'),
      structs('groups', '8+', [
        field('groupId', 'string', '8+'),
        structs('topics', '8+', [field('name', 'string', '8+'), structs('partitions', '8+', partitionFields('8+'))]),
        field('errorCode', 'int16', '8+'),
      ]),
    ],
  },
  async serve(ctx, message, version) {
    const req = message as unknown as WireOffsetFetch
    if (version >= 8) return { groups: await Promise.all(req.groups.map(async (g) => ({ groupId: g.groupId, ...(await fetchGroup(ctx, g.groupId, g.topics, req.requireStable)) }))) }
    const response = await fetchGroup(ctx, req.groupId, req.topics, req.requireStable)
    if (version < 2 && response.errorCode !== 0) {
      // v0-1 have no top-level error code: Kafka puts a group error on every partition asked for.
      return { topics: (req.topics ?? []).map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => ({ partitionIndex: p, committedOffset: -1, metadata: '', errorCode: response.errorCode })) })) }
    }
    return response
  },
}

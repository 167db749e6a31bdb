/**
 * OffsetCommit (key 8), versions 0-8: v1 added the generation and member id and a per-partition
 * commit timestamp, v2-4 a retention time, v5 dropped both, v6 the committed leader epoch, v7 the
 * group instance id (KIP-345), v8 flexible fields. A v0 commit, with no generation, is a "simple"
 * commit. Not served: v9 (KIP-848 member epochs).
 *
 * Not modelled: retention times and commit timestamps (offsets.retention.minutes is not
 * modelled), committed leader epochs.
 */
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'
import { partitionErrorFields, partitionErrorsToWire } from './partition-errors.js'

interface WireOffsetCommit {
  groupId: string
  generationId: number
  memberId: string
  groupInstanceId: string | null
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; committedOffset: number; committedLeaderEpoch: number; committedMetadata: string | null }> }>
}

export const offsetCommitCodec: ApiCodec = {
  key: 8,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 8,
  request: {
    flexibleFrom: 8,
    fields: [
      field('groupId', 'string', '0+'),
      field('generationId', 'int32', '1+', { default: -1 }),
      field('memberId', 'string', '1+'),
      field('groupInstanceId', 'string', '7+', { nullable: '7+' }),
      field('retentionTimeMs', 'int64', '2-4', { default: -1 }),
      structs('topics', '0+', [
        field('name', 'string', '0+'),
        structs('partitions', '0+', [
          field('partitionIndex', 'int32', '0+'),
          field('committedOffset', 'int64', '0+'),
          field('committedLeaderEpoch', 'int32', '6+', { default: -1 }),
          field('commitTimestamp', 'int64', '1', { default: -1 }),
          field('committedMetadata', 'string', '0+', { nullable: '0+' }),
        ]),
      ]),
    ],
  },
  response: { flexibleFrom: 8, fields: [field('throttleTimeMs', 'int32', '3+'), partitionErrorFields('topics', 'partitions')] },
  async serve(ctx, message) {
    const req = message as unknown as WireOffsetCommit
    const response = await ctx.send('OffsetCommit', {
      groupId: req.groupId,
      generationId: req.generationId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      topics: req.topics.map((t) => ({
        topic: t.name,
        partitions: t.partitions.map((p) => ({ partition: p.partitionIndex, offset: p.committedOffset, committedLeaderEpoch: p.committedLeaderEpoch, metadata: p.committedMetadata })),
      })),
    })
    return { topics: partitionErrorsToWire(response, 'partitions') }
  },
}

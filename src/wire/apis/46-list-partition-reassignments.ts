/**
 * ListPartitionReassignments (key 46, KIP-455), version 0 (flexible from the start): the ongoing
 * moves of the named partitions, or of every partition when `topics` is null.
 */
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'

interface WireListPartitionReassignments {
  timeoutMs: number
  topics: Array<{ name: string; partitionIndexes: number[] }> | null
}

export const listPartitionReassignmentsCodec: ApiCodec = {
  key: 46,
  name: 'ListPartitionReassignments',
  minVersion: 0,
  maxVersion: 0,
  request: {
    flexibleFrom: 0,
    fields: [
      field('timeoutMs', 'int32', '0+', { default: 60000 }),
      structs('topics', '0+', [field('name', 'string', '0+'), scalars('partitionIndexes', 'int32', '0+')], { nullable: '0+' }),
    ],
  },
  response: {
    flexibleFrom: 0,
    fields: [
      field('throttleTimeMs', 'int32', '0+'),
      field('errorCode', 'int16', '0+'),
      field('errorMessage', 'string', '0+', { nullable: '0+' }),
      structs('topics', '0+', [
        field('name', 'string', '0+'),
        structs('partitions', '0+', [
          field('partitionIndex', 'int32', '0+'),
          scalars('replicas', 'int32', '0+'),
          scalars('addingReplicas', 'int32', '0+'),
          scalars('removingReplicas', 'int32', '0+'),
        ]),
      ]),
    ],
  },
  async serve(ctx, message) {
    const req = message as unknown as WireListPartitionReassignments
    return { ...(await ctx.send('ListPartitionReassignments', { timeoutMs: req.timeoutMs, topics: req.topics })) }
  },
}

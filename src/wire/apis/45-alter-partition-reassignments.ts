/**
 * AlterPartitionReassignments (key 45, KIP-455), version 0 (flexible from the start). Starts moving
 * each partition to its new replica set, or cancels its move when `replicas` is null.
 * Not served: v1 (KIP-860's allowReplicationFactorChange).
 */
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'

interface WireAlterPartitionReassignments {
  timeoutMs: number
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; replicas: number[] | null }> }>
}

export const alterPartitionReassignmentsCodec: ApiCodec = {
  key: 45,
  name: 'AlterPartitionReassignments',
  minVersion: 0,
  maxVersion: 0,
  request: {
    flexibleFrom: 0,
    fields: [
      field('timeoutMs', 'int32', '0+', { default: 60000 }),
      structs('topics', '0+', [
        field('name', 'string', '0+'),
        structs('partitions', '0+', [field('partitionIndex', 'int32', '0+'), scalars('replicas', 'int32', '0+', { nullable: '0+' })]),
      ]),
    ],
  },
  response: {
    flexibleFrom: 0,
    fields: [
      field('throttleTimeMs', 'int32', '0+'),
      field('errorCode', 'int16', '0+'),
      field('errorMessage', 'string', '0+', { nullable: '0+' }),
      structs('responses', '0+', [
        field('name', 'string', '0+'),
        structs('partitions', '0+', [field('partitionIndex', 'int32', '0+'), field('errorCode', 'int16', '0+'), field('errorMessage', 'string', '0+', { nullable: '0+' })]),
      ]),
    ],
  },
  async serve(ctx, message) {
    const req = message as unknown as WireAlterPartitionReassignments
    return { ...(await ctx.send('AlterPartitionReassignments', { timeoutMs: req.timeoutMs, topics: req.topics })) }
  },
}

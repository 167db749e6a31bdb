/**
 * TxnOffsetCommit (key 28), versions 0-3: v2 added committed leader epochs, v3 flexible fields and
 * the group generation, member and instance id (KIP-447), which the coordinator checks.
 * Not modelled: committed leader epochs; the group instance id is not checked.
 */
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'
import { partitionErrorFields, partitionErrorsToWire } from './partition-errors.js'

interface WireTxnOffsetCommit {
  transactionalId: string
  groupId: string
  producerId: number
  producerEpoch: number
  generationId: number
  memberId: string
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; committedOffset: number; committedMetadata: string | null }> }>
}

export const txnOffsetCommitCodec: ApiCodec = {
  key: 28,
  name: 'TxnOffsetCommit',
  minVersion: 0,
  maxVersion: 3,
  request: {
    flexibleFrom: 3,
    fields: [
      field('transactionalId', 'string', '0+'),
      field('groupId', 'string', '0+'),
      field('producerId', 'int64', '0+'),
      field('producerEpoch', 'int16', '0+'),
      field('generationId', 'int32', '3+', { default: -1 }),
      field('memberId', 'string', '3+'),
      field('groupInstanceId', 'string', '3+', { nullable: '3+' }),
      structs('topics', '0+', [
        field('name', 'string', '0+'),
        structs('partitions', '0+', [
          field('partitionIndex', 'int32', '0+'),
          field('committedOffset', 'int64', '0+'),
          field('committedLeaderEpoch', 'int32', '2+', { default: -1 }),
          field('committedMetadata', 'string', '0+', { nullable: '0+' }),
        ]),
      ]),
    ],
  },
  response: { flexibleFrom: 3, fields: [field('throttleTimeMs', 'int32', '0+'), partitionErrorFields('topics', 'partitions')] },
  async serve(ctx, message) {
    const req = message as unknown as WireTxnOffsetCommit
    const response = await ctx.send('TxnOffsetCommit', {
      transactionalId: req.transactionalId,
      producerId: req.producerId,
      producerEpoch: req.producerEpoch,
      groupId: req.groupId,
      generationId: req.generationId,
      memberId: req.memberId,
      topics: req.topics.map((t) => ({
        topic: t.name,
        partitions: t.partitions.map((p) => ({ partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata })),
      })),
    })
    return { topics: partitionErrorsToWire(response, 'partitions') }
  },
}

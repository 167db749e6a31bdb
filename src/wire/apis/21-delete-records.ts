/**
 * DeleteRecords (key 21), versions 0-2: v1 changed nothing on the wire, v2 is flexible. Moves each
 * partition's log start offset up at its leader; `offset` -1 means the high watermark. The answer's
 * `lowWatermark` is the new log start offset, -1 on error.
 */
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'

interface WireDeleteRecords {
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; offset: number }> }>
  timeoutMs: number
}

export const deleteRecordsCodec: ApiCodec = {
  key: 21,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 2,
  request: {
    flexibleFrom: 2,
    fields: [
      structs('topics', '0+', [field('name', 'string', '0+'), structs('partitions', '0+', [field('partitionIndex', 'int32', '0+'), field('offset', 'int64', '0+')])]),
      field('timeoutMs', 'int32', '0+'),
    ],
  },
  response: {
    flexibleFrom: 2,
    fields: [
      field('throttleTimeMs', 'int32', '0+'),
      structs('topics', '0+', [
        field('name', 'string', '0+'),
        structs('partitions', '0+', [field('partitionIndex', 'int32', '0+'), field('lowWatermark', 'int64', '0+'), field('errorCode', 'int16', '0+')]),
      ]),
    ],
  },
  async serve(ctx, message) {
    const req = message as unknown as WireDeleteRecords
    const response = await ctx.send('DeleteRecords', {
      topics: req.topics.map((t) => ({ topic: t.name, partitions: t.partitions.map((p) => ({ partition: p.partitionIndex, offset: p.offset })) })),
      timeoutMs: req.timeoutMs,
    })
    return {
      topics: response.topics.map((t) => ({
        name: t.topic,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partition, lowWatermark: p.lowWatermark, errorCode: p.errorCode })),
      })),
    }
  },
}

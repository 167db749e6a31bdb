/**
 * ElectLeaders (key 43, KIP-460), versions 0-2: v1 added the election type (v0 elects the preferred
 * leader) and a top-level error code (a v0 answer carries such an error on each named partition), v2
 * is flexible. `topicPartitions` null means every partition.
 */
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'

/** KIP-460's `ElectionType.PREFERRED`, the only kind v0 knows. */
const PREFERRED = 0

interface WireElectLeaders {
  electionType: number
  topicPartitions: Array<{ topic: string; partitions: number[] }> | null
  timeoutMs: number
}

export const electLeadersCodec: ApiCodec = {
  key: 43,
  name: 'ElectLeaders',
  minVersion: 0,
  maxVersion: 2,
  request: {
    flexibleFrom: 2,
    fields: [
      field('electionType', 'int8', '1+', { default: PREFERRED }),
      structs('topicPartitions', '0+', [field('topic', 'string', '0+'), scalars('partitions', 'int32', '0+')], { nullable: '0+' }),
      field('timeoutMs', 'int32', '0+', { default: 60000 }),
    ],
  },
  response: {
    flexibleFrom: 2,
    fields: [
      field('throttleTimeMs', 'int32', '0+'),
      field('errorCode', 'int16', '1+'),
      structs('replicaElectionResults', '0+', [
        field('topic', 'string', '0+'),
        structs('partitionResult', '0+', [field('partitionId', 'int32', '0+'), field('errorCode', 'int16', '0+'), field('errorMessage', 'string', '0+', { nullable: '0+' })]),
      ]),
    ],
  },
  async serve(ctx, message, version) {
    const req = message as unknown as WireElectLeaders
    const response = await ctx.send('ElectLeaders', { electionType: req.electionType, topicPartitions: req.topicPartitions, timeoutMs: req.timeoutMs })
    if (version >= 1 || response.errorCode === 0) return { errorCode: response.errorCode, replicaElectionResults: response.replicaElectionResults }
    // v0 has no top-level error code: Kafka gives the error to each partition the request named.
    const failed = (req.topicPartitions ?? []).map((t) => ({
      topic: t.topic,
      partitionResult: t.partitions.map((partitionId) => ({ partitionId, errorCode: response.errorCode, errorMessage: null })),
    }))
    return { replicaElectionResults: failed }
  },
}

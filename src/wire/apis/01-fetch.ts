/**
 * Fetch (key 1), versions 4-12: v4 added the isolation level, last stable offset and aborted
 * transactions (KIP-98), v5 the log start offset, v7 fetch sessions (KIP-227), v9 the current
 * leader epoch (KIP-320), v11 the rack id and preferred read replica (KIP-392), v12 flexible
 * fields and the last fetched epoch (KIP-595). Records go out as v2 batches compressed with the
 * codec the log kept, control batches (transaction markers) included, so a read_committed client
 * filters aborted records itself with the aborted transaction list, as against Kafka. A partition
 * holding zstd batches answers a fetch before v10 UNSUPPORTED_COMPRESSION_TYPE (KIP-110), as
 * Kafka's KafkaApis does; so does one holding batches of a codec whose package could not be loaded.
 *
 * A wire client is always a consumer: its replica id is ignored (followers are brokers in the
 * model, not TCP clients). Not modelled: fetch sessions (the answer's session id is 0, so clients
 * send full fetches, which KIP-227 allows), follower fetching (preferred read replica -1), the
 * v12 diverging epoch (a tagged field, never sent: a consumer that finds its log diverged learns
 * it from OffsetForLeaderEpoch, as before v12). Not served: v13+ (topic ids, KIP-516).
 */
import { CONSUMER_REPLICA_ID, Errors, type FetchRequest, type IsolationLevel } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
import { encodeRecordBatches, unfetchableBatches } from '../record-batch.js'
import { field, scalars, structs } from '../schema.js'

interface WireFetch {
  maxWaitMs: number
  minBytes: number
  maxBytes: number
  isolationLevel: number
  topics: Array<{
    topic: string
    partitions: Array<{ partition: number; currentLeaderEpoch: number; fetchOffset: number; partitionMaxBytes: number }>
  }>
}

export const fetchCodec: ApiCodec = {
  key: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 12,
  request: {
    flexibleFrom: 12,
    fields: [
      field('replicaId', 'int32', '0-14'),
      field('maxWaitMs', 'int32', '0+'),
      field('minBytes', 'int32', '0+'),
      field('maxBytes', 'int32', '3+', { default: 0x7fffffff }),
      field('isolationLevel', 'int8', '4+'),
      field('sessionId', 'int32', '7+'),
      field('sessionEpoch', 'int32', '7+', { default: -1 }),
      structs('topics', '0+', [
        field('topic', 'string', '0-12'),
        structs('partitions', '0+', [
          field('partition', 'int32', '0+'),
          field('currentLeaderEpoch', 'int32', '9+', { default: -1 }),
          field('fetchOffset', 'int64', '0+'),
          field('lastFetchedEpoch', 'int32', '12+', { default: -1 }),
          field('logStartOffset', 'int64', '5+', { default: -1 }),
          field('partitionMaxBytes', 'int32', '0+'),
        ]),
      ]),
      structs('forgottenTopicsData', '7+', [field('topic', 'string', '7-12'), scalars('partitions', 'int32', '7+')]),
      field('rackId', 'string', '11+'),
    ],
  },
  response: {
    flexibleFrom: 12,
    fields: [
      field('throttleTimeMs', 'int32', '1+'),
      field('errorCode', 'int16', '7+'),
      field('sessionId', 'int32', '7+'),
      structs('responses', '0+', [
        field('topic', 'string', '0-12'),
        structs('partitions', '0+', [
          field('partitionIndex', 'int32', '0+'),
          field('errorCode', 'int16', '0+'),
          field('highWatermark', 'int64', '0+'),
          field('lastStableOffset', 'int64', '4+', { default: -1 }),
          field('logStartOffset', 'int64', '5+', { default: -1 }),
          structs('abortedTransactions', '4+', [field('producerId', 'int64', '4+'), field('firstOffset', 'int64', '4+')], { nullable: '4+' }),
          field('preferredReadReplica', 'int32', '11+', { default: -1 }),
          field('records', 'records', '0+', { nullable: '0+' }),
        ]),
      ]),
    ],
  },
  async serve(ctx, message, version) {
    const req = message as unknown as WireFetch
    const request: FetchRequest = {
      replicaId: CONSUMER_REPLICA_ID,
      maxWaitMs: req.maxWaitMs,
      minBytes: req.minBytes,
      maxBytes: req.maxBytes,
      isolationLevel: (req.isolationLevel === 1 ? 1 : 0) as IsolationLevel,
      topics: req.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => ({
          partition: p.partition,
          fetchOffset: p.fetchOffset,
          partitionMaxBytes: p.partitionMaxBytes,
          currentLeaderEpoch: p.currentLeaderEpoch,
        })),
      })),
    }
    const response = await ctx.send('Fetch', request)
    return {
      responses: response.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => {
          const refused = unfetchableBatches(p.batches, version)
          if (refused !== null) ctx.log('warn', `Fetch v${version} of ${t.topic}-${p.partition} answered UNSUPPORTED_COMPRESSION_TYPE: ${refused}`)
          return {
            partitionIndex: p.partition,
            errorCode: refused !== null ? Errors.UNSUPPORTED_COMPRESSION_TYPE.code : p.errorCode,
            highWatermark: p.highWatermark,
            lastStableOffset: p.lastStableOffset,
            logStartOffset: p.logStartOffset,
            abortedTransactions: request.isolationLevel === 1 ? p.abortedTransactions.map((a) => ({ producerId: a.producerId, firstOffset: a.firstOffset })) : null,
            records: refused !== null ? Buffer.alloc(0) : encodeRecordBatches(p.batches),
          }
        }),
      })),
    }
  },
}

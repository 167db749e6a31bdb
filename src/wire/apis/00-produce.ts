/**
 * Produce (key 0), versions 3-7: v3 added the transactional id and record batch v2, v5 the log
 * start offset, v6-7 changed nothing on the wire. Each partition's records must be one v2 batch
 * with a valid CRC-32C (CORRUPT_MESSAGE otherwise, INVALID_RECORD for several batches,
 * UNSUPPORTED_COMPRESSION_TYPE for an unknown codec or zstd before v7, KIP-110); only the partitions that decode reach the
 * Produce handler, so a bad batch never touches the log. acks=0 gets no response, as in Kafka.
 *
 * Not served: v0-2 (message formats v0/v1; a request in them closes the connection, as in Kafka 4.0, though
 * ApiVersions lists them as Kafka 4.0 does, KAFKA-18659), v8+ (per-record errors, KIP-467).
 */
import type { Acks, ProducePartitionResponse, ProduceRequest, ProducedBatch } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
import { decodeProducedBatch } from '../record-batch.js'
import { field, structs } from '../schema.js'

interface WireProduce {
  transactionalId: string | null
  acks: number
  timeoutMs: number
  topics: Array<{ name: string; partitions: Array<{ index: number; records: Buffer | null }> }>
}

type Answer = { index: number; errorCode: number; baseOffset: number; logAppendTime: number; logStartOffset: number }

function toWire(p: ProducePartitionResponse): Answer {
  return { index: p.partition, errorCode: p.errorCode, baseOffset: p.baseOffset, logAppendTime: p.logAppendTime, logStartOffset: p.logStartOffset }
}

export const produceCodec: ApiCodec = {
  key: 0,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 7,
  advertisedMinVersion: 0,
  request: {
    flexibleFrom: 9,
    fields: [
      field('transactionalId', 'string', '3+', { nullable: '3+' }),
      field('acks', 'int16', '0+'),
      field('timeoutMs', 'int32', '0+'),
      structs('topics', '0+', [
        field('name', 'string', '0+'),
        structs('partitions', '0+', [field('index', 'int32', '0+'), field('records', 'records', '0+', { nullable: '0+' })]),
      ]),
    ],
  },
  response: {
    flexibleFrom: 9,
    fields: [
      structs('topics', '0+', [
        field('name', 'string', '0+'),
        structs('partitions', '0+', [
          field('index', 'int32', '0+'),
          field('errorCode', 'int16', '0+'),
          field('baseOffset', 'int64', '0+'),
          field('logAppendTime', 'int64', '2+', { default: -1 }),
          field('logStartOffset', 'int64', '5+', { default: -1 }),
        ]),
      ]),
      field('throttleTimeMs', 'int32', '1+'),
    ],
  },
  async serve(ctx, message, version) {
    const req = message as unknown as WireProduce
    const rejected = new Map<string, Answer[]>()
    const topics: Array<{ topic: string; partitions: Array<{ partition: number; batch: ProducedBatch }> }> = []
    for (const t of req.topics) {
      const good: Array<{ partition: number; batch: ProducedBatch }> = []
      for (const p of t.partitions) {
        const decoded = p.records === null ? null : decodeProducedBatch(p.records, version)
        if (decoded?.ok === true) {
          good.push({ partition: p.index, batch: decoded.batch })
          continue
        }
        const errorCode = decoded?.errorCode ?? 2
        ctx.log('warn', `Produce to ${t.name}-${p.index} rejected: ${decoded?.message ?? 'the records field is null'}`)
        const list = rejected.get(t.name) ?? []
        list.push({ index: p.index, errorCode, baseOffset: -1, logAppendTime: -1, logStartOffset: -1 })
        rejected.set(t.name, list)
      }
      if (good.length > 0) topics.push({ topic: t.name, partitions: good })
    }
    const request: ProduceRequest = { acks: req.acks as Acks, timeoutMs: req.timeoutMs, transactionalId: req.transactionalId, topics }
    const served = topics.length > 0 ? await ctx.send('Produce', request) : { topics: [] }
    if (req.acks === 0) return null
    const answers = new Map<string, Answer[]>()
    for (const t of served.topics) answers.set(t.topic, t.partitions.map(toWire))
    for (const [topic, list] of rejected) answers.set(topic, [...(answers.get(topic) ?? []), ...list])
    return { topics: [...answers].map(([name, partitions]) => ({ name, partitions })) }
  },
}

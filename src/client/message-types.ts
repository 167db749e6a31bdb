/**
 * KafkaJS's message, record and header shapes (structurally identical to `kafkajs/types/index.d.ts`),
 * and the conversions between them and the protocol's records (Kafka's record batch v2, KIP-98).
 * Shared by the producer (Message -> the bytes and headers of a record) and the consumer (stored record -> KafkaMessage).
 */
import { lastOffsetOf, NO_HEADERS, type RecordBatch, type RecordHeader } from '../protocol/records.js'

/**
 * Record headers as KafkaJS exposes them: an object whose repeated keys hold arrays.
 * Kafka allows repeated header keys, so a key seen twice on a fetched record becomes an array.
 */
export interface IHeaders {
  [key: string]: Buffer | string | (Buffer | string)[] | undefined
}

/** A message as a KafkaJS producer sends it. */
export interface Message {
  key?: Buffer | string | null
  value: Buffer | string | null
  partition?: number
  headers?: IHeaders
  /** CreateTime in ms since the epoch, as a string (KafkaJS also accepts a number at runtime). */
  timestamp?: string
}

/** KafkaJS's compression codes (the low three bits of the batch attributes). */
export const CompressionTypes = { None: 0, GZIP: 1, Snappy: 2, LZ4: 3, ZSTD: 4 } as const
export type CompressionTypes = (typeof CompressionTypes)[keyof typeof CompressionTypes]

/** `producer.send` input. */
export interface ProducerRecord {
  topic: string
  messages: Message[]
  acks?: number
  timeout?: number
  compression?: CompressionTypes
}

/** One topic's messages in a `producer.sendBatch`. */
export interface TopicMessages {
  topic: string
  messages: Message[]
}

/** `producer.sendBatch` input. */
export interface ProducerBatch {
  acks?: number
  timeout?: number
  compression?: CompressionTypes
  topicMessages?: TopicMessages[]
}

/** What `send`/`sendBatch` resolve with: one entry per partition written (offsets as strings, as KafkaJS). */
export type RecordMetadata = {
  topicName: string
  partition: number
  errorCode: number
  offset?: string
  timestamp?: string
  baseOffset?: string
  logAppendTime?: string
  logStartOffset?: string
}

/** A message from the legacy message-set format (magic 0/1); kafkalite never produces these. */
interface MessageSetEntry {
  key: Buffer | null
  value: Buffer | null
  timestamp: string
  attributes: number
  offset: string
  size: number
  headers?: never
}

/** A message from a v2 record batch: what kafkalite's consumer always delivers. */
interface RecordBatchEntry {
  key: Buffer | null
  value: Buffer | null
  timestamp: string
  attributes: number
  offset: string
  headers: IHeaders
  size?: never
  /** 2: the record batch format (KafkaJS's decoder copies it from the batch). */
  magicByte?: number
  /** False: transaction markers never reach a handler. */
  isControlRecord?: boolean
  /** The header of the record batch the message came in, shared by that batch's messages. */
  batchContext?: RecordBatchContext
}

/**
 * KafkaJS's `batchContext`: the v2 record batch header as KafkaJS's decoder reads it (64-bit fields as
 * strings), the object its messages carry. A batch the log cleaner rewrote keeps its base offset and
 * last offset delta, as Kafka's does.
 */
export interface RecordBatchContext {
  /** The batch's base offset. */
  firstOffset: string
  /** The timestamp of the batch's first record (the header's base timestamp). */
  firstTimestamp: string
  /** The leader epoch in which the leader appended the batch (KIP-101). */
  partitionLeaderEpoch: number
  /** Written inside a transaction (KIP-98). */
  inTransaction: boolean
  /** False: control batches (transaction markers) never reach a handler. */
  isControlBatch: boolean
  /** The last offset covered minus the base offset. */
  lastOffsetDelta: number
  producerId: string
  producerEpoch: number
  /** Sequence of the first record; -1 without idempotence. */
  firstSequence: number
  /** The largest timestamp in the batch (the append time under `message.timestamp.type=LogAppendTime`). */
  maxTimestamp: string
  /** 0 CreateTime, 1 LogAppendTime (KafkaJS's `TimestampTypes`). */
  timestampType: number
  /** 2: the record batch format. */
  magicByte: number
}

/** A fetched message as KafkaJS hands it to `eachMessage` / `eachBatch`. */
export type KafkaMessage = MessageSetEntry | RecordBatchEntry

/**
 * Converts a KafkaJS key, value or header value to the bytes Kafka stores.
 * `null`/`undefined` stay null (a null key or a tombstone); Buffers are kept; anything else is
 * written as the UTF-8 of `String(value)`, as KafkaJS's encoder does.
 */
export function toBytes(value: Buffer | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null
  if (Buffer.isBuffer(value)) return value
  return Buffer.from(String(value), 'utf8')
}

/**
 * Flattens KafkaJS headers to Kafka's header list: an array value becomes one header per element,
 * in order, and `undefined` values are skipped (KafkaJS's encoder would write them as null; an
 * undefined entry in an object is almost always an absent optional field).
 */
export function toRecordHeaders(headers: IHeaders | undefined): readonly RecordHeader[] {
  if (headers === undefined || headers === null) return NO_HEADERS
  const list: RecordHeader[] = []
  for (const key of Object.keys(headers)) {
    const value = headers[key]
    if (value === undefined) continue
    const values = Array.isArray(value) ? value : [value]
    for (const item of values) list.push({ key, value: toBytes(item) })
  }
  return list
}

/**
 * Groups Kafka's header list into KafkaJS's object shape: the first value of a key is stored as is,
 * a repeated key turns into an array of all its values, in order (as KafkaJS's record decoder does).
 * Header values are Buffers; a null header value stays null at runtime, as in KafkaJS.
 */
export function fromRecordHeaders(headers: readonly RecordHeader[]): IHeaders {
  const result: IHeaders = {}
  for (const { key, value } of headers) {
    const stored = value as Buffer
    if (!Object.prototype.hasOwnProperty.call(result, key)) {
      result[key] = stored
      continue
    }
    const existing = result[key]
    if (Array.isArray(existing)) existing.push(stored)
    else result[key] = [existing as Buffer, stored]
  }
  return result
}

/**
 * Parses a KafkaJS message timestamp (a string or number of ms); a missing or zero timestamp means
 * "now", as KafkaJS does when `message.timestamp` is missing (it takes the wall clock; kafkalite the cluster clock).
 */
export function messageTimestamp(timestamp: string | number | undefined, now: number): number {
  if (timestamp === undefined || timestamp === null || timestamp === '') return now
  const parsed = Number(timestamp)
  return parsed === 0 || Number.isNaN(parsed) ? now : parsed
}

/** The {@link RecordBatchContext} of a stored batch, made once and shared by the messages read from it. */
export function toBatchContext(batch: RecordBatch): RecordBatchContext {
  let maxTimestamp = -Infinity
  // Indexed, not for-of: a typed array's iterator costs about five times as much per record here.
  const { timestamps } = batch
  for (let i = 0; i < timestamps.length; i++) maxTimestamp = Math.max(maxTimestamp, timestamps[i]!)
  return {
    firstOffset: String(batch.baseOffset),
    firstTimestamp: String(batch.timestamps[0] ?? maxTimestamp),
    partitionLeaderEpoch: batch.leaderEpoch,
    inTransaction: batch.transactional,
    isControlBatch: batch.control !== undefined,
    lastOffsetDelta: lastOffsetOf(batch) - batch.baseOffset,
    producerId: String(batch.producerId),
    producerEpoch: batch.producerEpoch,
    firstSequence: batch.baseSequence,
    maxTimestamp: String(maxTimestamp),
    timestampType: batch.timestampType === 'LogAppendTime' ? 1 : 0,
    magicByte: 2,
  }
}

/**
 * The message KafkaJS's consumer delivers for a stored record: offsets and timestamps as strings
 * (the KafkaJS boundary; numbers everywhere inside), record attributes 0 (Kafka leaves
 * record-level attributes unused), headers grouped, `magicByte` 2, `isControlRecord` false and the
 * enclosing batch's header as `batchContext`, as KafkaJS's record decoder sets them. Key, value and
 * headers must be the reader's own copies.
 */
export function toKafkaMessage(
  offset: number,
  timestamp: string,
  key: Buffer | null,
  value: Buffer | null,
  headers: readonly RecordHeader[],
  batchContext: RecordBatchContext,
): KafkaMessage {
  return {
    magicByte: 2,
    attributes: 0,
    timestamp,
    offset: String(offset),
    key,
    value,
    headers: headers.length === 0 ? {} : fromRecordHeaders(headers),
    isControlRecord: false,
    batchContext,
  }
}

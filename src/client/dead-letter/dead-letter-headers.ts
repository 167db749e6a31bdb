/**
 * Dead-letter record headers, with Spring Kafka's names and value encodings
 * (`KafkaHeaders.DLT_*`, written by `DeadLetterPublishingRecoverer`), so a dead-letter topic filled by
 * kafkalite reads like one filled by a Spring service: where the record came from, and why it failed.
 *
 * Shared by the consumer's `run({ deadLetter })` and by the patterns layer's listeners and retry topics.
 */
import type { TimestampType } from '../../protocol/records.js'
import type { IHeaders, KafkaMessage, Message } from '../message-types.js'
import { int32Bytes, int64Bytes, lastHeaderInteger, lastHeaderString } from './header-values.js'

/** Spring Kafka's dead-letter header names (`org.springframework.kafka.support.KafkaHeaders.DLT_*`). */
export const DeadLetterHeaders = {
  /** UTF-8 topic name. */
  originalTopic: 'kafka_dlt-original-topic',
  /** 4-byte big-endian int. */
  originalPartition: 'kafka_dlt-original-partition',
  /** 8-byte big-endian long. */
  originalOffset: 'kafka_dlt-original-offset',
  /** 8-byte big-endian long, ms since the epoch. */
  originalTimestamp: 'kafka_dlt-original-timestamp',
  /** UTF-8 `CreateTime` or `LogAppendTime`. */
  originalTimestampType: 'kafka_dlt-original-timestamp-type',
  /** UTF-8 group id of the consumer that gave up on the record. */
  originalConsumerGroup: 'kafka_dlt-original-consumer-group',
  /** UTF-8 class name of the error (Java's fully qualified class name; in JavaScript, the constructor's name). */
  exceptionFqcn: 'kafka_dlt-exception-fqcn',
  /** UTF-8 class name of the error's `cause`, when it has one. */
  exceptionCauseFqcn: 'kafka_dlt-exception-cause-fqcn',
  /** UTF-8 error message (absent when the error has none, as in Spring). */
  exceptionMessage: 'kafka_dlt-exception-message',
  /** UTF-8 stack trace. */
  exceptionStacktrace: 'kafka_dlt-exception-stacktrace',
} as const

/** Every dead-letter header starts with this prefix. */
export const DEAD_LETTER_HEADER_PREFIX = 'kafka_dlt-'

const ORIGINAL_HEADERS: readonly string[] = [
  DeadLetterHeaders.originalTopic,
  DeadLetterHeaders.originalPartition,
  DeadLetterHeaders.originalOffset,
  DeadLetterHeaders.originalTimestamp,
  DeadLetterHeaders.originalTimestampType,
  DeadLetterHeaders.originalConsumerGroup,
]

const EXCEPTION_HEADERS: readonly string[] = [
  DeadLetterHeaders.exceptionFqcn,
  DeadLetterHeaders.exceptionCauseFqcn,
  DeadLetterHeaders.exceptionMessage,
  DeadLetterHeaders.exceptionStacktrace,
]

/** The failed record and where it was consumed, as a dead-letter publisher knows them. */
export interface DeadLetterSource {
  /** Topic the record was consumed from. */
  topic: string
  partition: number
  /** The record as the consumer delivered it (key, value, headers, offset and timestamp are used). */
  message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset' | 'timestamp'>
  /** The consumer group that gave up on it. */
  groupId?: string
  /** Why it failed: any thrown value (non-errors are described by their type and `String(value)`). */
  error: unknown
  /** KafkaJS messages do not carry the timestamp type; Kafka's default is `CreateTime` (`message.timestamp.type`). */
  timestampType?: TimestampType
}

/** What a thrown value says about itself, in the terms the dead-letter headers record. */
export interface ErrorDescription {
  className: string
  message: string | undefined
  stack: string
  causeClassName: string | undefined
}

function classNameOf(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  const name = (Object(value) as { constructor?: { name?: string } }).constructor?.name
  return name !== undefined && name !== '' ? name : typeof value
}

function printable(value: unknown): string {
  try {
    return String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/** Describes a thrown value: its class name (the constructor's name, Java's FQCN in Spring), message and stack. */
export function describeError(error: unknown): ErrorDescription {
  const className = classNameOf(error)
  if (error instanceof Error) {
    const message = error.message === '' ? undefined : error.message
    const cause = (error as { cause?: unknown }).cause
    return {
      className,
      message,
      stack: error.stack ?? `${className}: ${error.message}`,
      causeClassName: cause === undefined ? undefined : classNameOf(cause),
    }
  }
  const message = printable(error)
  return { className, message, stack: `${className}: ${message}`, causeClassName: undefined }
}

function withoutKeys(headers: IHeaders | undefined, drop: readonly string[]): IHeaders {
  const kept: IHeaders = {}
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (!drop.includes(key) && value !== undefined) kept[key] = value
  }
  return kept
}

/**
 * The headers of the dead-letter copy of a record: the record's own headers, plus where it came from
 * and why it failed.
 *
 * Earlier exception headers are replaced, as with Spring's default `stripPreviousExceptionHeaders`.
 * `original-*` headers already on the record are kept, as with Spring's `appendOriginalHeaders(false)`,
 * so a record that went through retry topics still names the topic it was first consumed from.
 */
export function buildDeadLetterHeaders(source: DeadLetterSource): IHeaders {
  const headers = withoutKeys(source.message.headers, EXCEPTION_HEADERS)
  const hasOriginal = ORIGINAL_HEADERS.some((key) => headers[key] !== undefined)
  if (!hasOriginal) {
    headers[DeadLetterHeaders.originalTopic] = Buffer.from(source.topic, 'utf8')
    headers[DeadLetterHeaders.originalPartition] = int32Bytes(source.partition)
    headers[DeadLetterHeaders.originalOffset] = int64Bytes(source.message.offset)
    headers[DeadLetterHeaders.originalTimestamp] = int64Bytes(source.message.timestamp)
    headers[DeadLetterHeaders.originalTimestampType] = Buffer.from(source.timestampType ?? 'CreateTime', 'utf8')
    if (source.groupId !== undefined) {
      headers[DeadLetterHeaders.originalConsumerGroup] = Buffer.from(source.groupId, 'utf8')
    }
  }
  const error = describeError(source.error)
  headers[DeadLetterHeaders.exceptionFqcn] = Buffer.from(error.className, 'utf8')
  if (error.causeClassName !== undefined) {
    headers[DeadLetterHeaders.exceptionCauseFqcn] = Buffer.from(error.causeClassName, 'utf8')
  }
  if (error.message !== undefined) headers[DeadLetterHeaders.exceptionMessage] = Buffer.from(error.message, 'utf8')
  headers[DeadLetterHeaders.exceptionStacktrace] = Buffer.from(error.stack, 'utf8')
  return headers
}

/**
 * The message to publish to a dead-letter topic: the same key and value, and {@link buildDeadLetterHeaders}.
 * No timestamp is set (the original is in a header), as in Spring; the publisher chooses the partition.
 */
export function deadLetterMessage(source: DeadLetterSource): Message {
  return { key: source.message.key, value: source.message.value, headers: buildDeadLetterHeaders(source) }
}

/** The dead-letter headers of a record, decoded. Offsets and timestamps are strings, as in KafkaJS. */
export interface DeadLetterInfo {
  originalTopic: string
  originalPartition?: number
  originalOffset?: string
  originalTimestamp?: string
  originalTimestampType?: string
  originalConsumerGroup?: string
  exceptionFqcn?: string
  exceptionCauseFqcn?: string
  exceptionMessage?: string
  exceptionStacktrace?: string
}

function optionalString(value: number | undefined): string | undefined {
  return value === undefined ? undefined : String(value)
}

/**
 * Decodes the dead-letter headers of a record read from a dead-letter topic; undefined when the
 * record has no `kafka_dlt-original-topic` header (it was not dead-lettered). Where a header appears
 * more than once, the last value wins, as `Headers.lastHeader` in Kafka's Java client.
 */
export function parseDeadLetterHeaders(message: { headers?: IHeaders }): DeadLetterInfo | undefined {
  const headers = message.headers
  const originalTopic = lastHeaderString(headers, DeadLetterHeaders.originalTopic)
  if (originalTopic === undefined) return undefined
  return {
    originalTopic,
    originalPartition: lastHeaderInteger(headers, DeadLetterHeaders.originalPartition),
    originalOffset: optionalString(lastHeaderInteger(headers, DeadLetterHeaders.originalOffset)),
    originalTimestamp: optionalString(lastHeaderInteger(headers, DeadLetterHeaders.originalTimestamp)),
    originalTimestampType: lastHeaderString(headers, DeadLetterHeaders.originalTimestampType),
    originalConsumerGroup: lastHeaderString(headers, DeadLetterHeaders.originalConsumerGroup),
    exceptionFqcn: lastHeaderString(headers, DeadLetterHeaders.exceptionFqcn),
    exceptionCauseFqcn: lastHeaderString(headers, DeadLetterHeaders.exceptionCauseFqcn),
    exceptionMessage: lastHeaderString(headers, DeadLetterHeaders.exceptionMessage),
    exceptionStacktrace: lastHeaderString(headers, DeadLetterHeaders.exceptionStacktrace),
  }
}

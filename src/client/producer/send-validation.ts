/**
 * Checks a `send`/`sendBatch` call before anything is sent, with KafkaJS's error messages where
 * KafkaJS checks the same thing, so a bad call fails at once and writes nothing.
 */
import { Errors } from '../../protocol/error-codes.js'
import type { Acks } from '../../protocol/data-apis.js'
import { KafkaJSNonRetriableError, KafkaJSProtocolError } from '../errors.js'
import type { Message, TopicMessages } from '../message-types.js'
import { isWithin, MAX_INT32, showValue } from '../numeric-option.js'
import { checkCompression } from './compression.js'

const describe = (value: unknown): string => (Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value)

/** Keys, values and header values KafkaJS can write: Buffers, strings, and scalars it writes as `String(x)`. */
function isWritable(value: unknown): boolean {
  const type = typeof value
  return type === 'string' || Buffer.isBuffer(value) || type === 'number' || type === 'bigint' || type === 'boolean'
}

function checkMessage(topic: string, message: Message, index: number): void {
  if (message === null || typeof message !== 'object') {
    throw new KafkaJSNonRetriableError(`Invalid message at index ${index} for topic "${topic}": expected an object with a value, got ${describe(message)}`)
  }
  if (message.value === undefined) {
    throw new KafkaJSNonRetriableError(`Invalid message without value for topic "${topic}": ${JSON.stringify(message)}`)
  }
  // KafkaJS would write an object as the string "[object Object]": almost surely a forgotten JSON.stringify.
  if (message.value !== null && !isWritable(message.value)) {
    throw new KafkaJSNonRetriableError(`Invalid message value for topic "${topic}" at index ${index}: expected a Buffer, a string or null, got ${describe(message.value)} (serialize it first, e.g. JSON.stringify)`)
  }
  if (message.key !== undefined && message.key !== null && !isWritable(message.key)) {
    throw new KafkaJSNonRetriableError(`Invalid message key for topic "${topic}" at index ${index}: expected a Buffer, a string or null, got ${describe(message.key)}`)
  }
  if (message.partition !== undefined && message.partition !== null && !(Number.isInteger(message.partition) && message.partition >= 0)) {
    throw new KafkaJSNonRetriableError(`Invalid partition ${String(message.partition)} for a message to topic "${topic}": expected an integer >= 0`)
  }
  if (message.timestamp !== undefined && message.timestamp !== null && !Number.isFinite(Number(message.timestamp))) {
    throw new KafkaJSNonRetriableError(`Invalid timestamp ${JSON.stringify(message.timestamp)} for a message to topic "${topic}": expected milliseconds since the epoch, as a string or number`)
  }
  checkHeaders(topic, message.headers)
}

function checkHeaders(topic: string, headers: unknown): void {
  if (headers === undefined || headers === null) return
  if (typeof headers !== 'object' || Array.isArray(headers) || Buffer.isBuffer(headers)) {
    throw new KafkaJSNonRetriableError(`Invalid headers for topic "${topic}": expected an object of header names to values, got ${describe(headers)}`)
  }
  for (const [name, value] of Object.entries(headers)) {
    const values = Array.isArray(value) ? value : [value]
    if (value !== undefined && values.some((v) => !isWritable(v))) {
      throw new KafkaJSNonRetriableError(`Invalid header "${name}" for topic "${topic}": expected a Buffer, a string or an array of them`)
    }
  }
}

/** The options shared by `send` and `sendBatch`. */
export interface SendOptions {
  acks?: number
  timeout?: number
  compression?: number
}

/** Validates acks, timeout and compression; returns acks as the protocol type. */
export function checkSendOptions({ acks = -1, timeout, compression }: SendOptions, idempotent: boolean): Acks {
  if (acks !== -1 && acks !== 0 && acks !== 1) {
    // The broker's answer to such a request (Kafka's ProduceRequest validation).
    throw new KafkaJSProtocolError({ ...Errors.INVALID_REQUIRED_ACKS, message: `${Errors.INVALID_REQUIRED_ACKS.message}: acks must be -1 (all), 0 or 1, got ${String(acks)}` })
  }
  if (idempotent && acks !== -1) {
    throw new KafkaJSNonRetriableError("Not requiring ack for all messages invalidates the idempotent producer's EoS guarantees")
  }
  // ProduceRequest's timeoutMs is an INT32.
  if (timeout !== undefined && !isWithin(timeout)) throw new KafkaJSNonRetriableError(`Invalid timeout ${showValue(timeout)}: expected a number of ms from 0 to ${MAX_INT32}`)
  checkCompression(compression)
  return acks
}

/** Validates the topics and messages of a `sendBatch` (and of a `send`, as a batch of one topic). */
export function checkTopicMessages(topicMessages: unknown): asserts topicMessages is TopicMessages[] {
  if (!Array.isArray(topicMessages)) {
    throw new KafkaJSNonRetriableError(`Invalid topicMessages ${String(topicMessages)}: expected an array of { topic, messages }`)
  }
  for (const entry of topicMessages as Array<Partial<TopicMessages> | null>) {
    if (entry === null || typeof entry !== 'object' || !entry.topic || typeof entry.topic !== 'string') {
      throw new KafkaJSNonRetriableError('Invalid topic')
    }
  }
  for (const { topic, messages } of topicMessages as TopicMessages[]) {
    if (!Array.isArray(messages)) {
      throw new KafkaJSNonRetriableError(`Invalid messages array [${String(messages)}] for topic "${topic}"`)
    }
    messages.forEach((message, index) => checkMessage(topic, message, index))
  }
}

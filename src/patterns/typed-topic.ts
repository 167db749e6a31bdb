/**
 * Typed topics: a topic declared once with its value type, key function and serde, so producers send
 * objects and handlers receive decoded values. The key picks the partition (Kafka's default
 * partitioner hashes it with murmur2), so the key function is the topic's sharding key.
 */
import type { CompressionTypes, IHeaders, KafkaMessage, Message, RecordMetadata } from '../client/message-types.js'
import type { MessageSender } from './client-api.js'
import { InvalidTypedTopicError } from './errors.js'
import { DecodeError, jsonSerde, type Serde } from './serde.js'

/** A record key, as KafkaJS accepts it. */
export type RecordKey = Buffer | string | null

/** How a typed topic is declared. */
export interface TypedTopicOptions<T> {
  /** The topic name. */
  name: string
  /** The sharding key of a value (e.g. `(order) => order.orderId`); without it, records have no key. */
  key?: (value: T) => RecordKey
  /** How values become bytes (default {@link jsonSerde}). */
  serde?: Serde<T>
  /** Partitions to create the topic with (used by `topicConfig()` and `startListeners`). */
  numPartitions?: number
  /** Replication factor to create the topic with (default: the cluster's). */
  replicationFactor?: number
}

/** Per-message extras for {@link TypedTopic.message}. */
export interface TypedMessageOptions {
  headers?: IHeaders
  /** An explicit partition instead of the key's. */
  partition?: number
  /** CreateTime in ms (default: the producer's clock). */
  timestamp?: string
}

/** Send options for {@link TypedTopic.send}, as KafkaJS's `ProducerRecord`. */
export interface TypedSendOptions {
  acks?: number
  timeout?: number
  compression?: CompressionTypes
  /** Headers added to every message of this send. */
  headers?: IHeaders
}

/** A topic with a value type. */
export interface TypedTopic<T> {
  readonly name: string
  readonly serde: Serde<T>
  readonly numPartitions?: number
  readonly replicationFactor?: number
  /** The key of a value (null when the topic has no key function). */
  keyOf(value: T): RecordKey
  /** The KafkaJS message for a value: its key, its encoded value, and any extras. */
  message(value: T, options?: TypedMessageOptions): Message
  /**
   * Sends one value, or each value of an array, with the producer (KafkaJS `producer.send`).
   * A topic whose values are themselves arrays sends one of them as `send(producer, [value])`.
   */
  send(producer: MessageSender, values: T | readonly T[], options?: TypedSendOptions): Promise<RecordMetadata[]>
  /** The typed value of a fetched record, or a {@link DecodeError} saying why it has none. */
  decode(message: Pick<KafkaMessage, 'value'> & Partial<Pick<KafkaMessage, 'offset'>>, partition?: number): T | DecodeError
  /** The topic as KafkaJS's `admin.createTopics({ topics: [...] })` takes it. */
  topicConfig(): { topic: string; numPartitions?: number; replicationFactor?: number }
}

/** True for a {@link TypedTopic} (as opposed to a topic name). */
export function isTypedTopic(value: unknown): value is TypedTopic<unknown> {
  return value instanceof TypedTopicImpl
}

function checkKey(topic: string, key: unknown): RecordKey {
  if (key === null || key === undefined) return null
  if (typeof key === 'string' || Buffer.isBuffer(key)) return key
  throw new InvalidTypedTopicError(`The key function of topic "${topic}" returned a ${typeof key}; it must return a string, a Buffer or null`)
}

class TypedTopicImpl<T> implements TypedTopic<T> {
  readonly name: string
  readonly serde: Serde<T>
  readonly numPartitions?: number
  readonly replicationFactor?: number
  private readonly key?: (value: T) => RecordKey

  constructor(options: TypedTopicOptions<T>) {
    this.name = options.name
    this.serde = options.serde ?? jsonSerde<T>()
    this.numPartitions = options.numPartitions
    this.replicationFactor = options.replicationFactor
    this.key = options.key
  }

  keyOf(value: T): RecordKey {
    return this.key === undefined ? null : checkKey(this.name, this.key(value))
  }

  message(value: T, options: TypedMessageOptions = {}): Message {
    let encoded: Buffer | string
    try {
      encoded = this.serde.serialize(value)
    } catch (error) {
      throw new InvalidTypedTopicError(`Could not encode a value for topic "${this.name}": ${(error as Error).message}`, { cause: error })
    }
    const message: Message = { key: this.keyOf(value), value: encoded }
    if (options.headers !== undefined) message.headers = options.headers
    if (options.partition !== undefined) message.partition = options.partition
    if (options.timestamp !== undefined) message.timestamp = options.timestamp
    return message
  }

  send(producer: MessageSender, values: T | readonly T[], options: TypedSendOptions = {}): Promise<RecordMetadata[]> {
    const list = (Array.isArray(values) ? values : [values]) as readonly T[]
    const { headers, ...record } = options
    const messages = list.map((value) => this.message(value, { headers }))
    return producer.send({ ...record, topic: this.name, messages })
  }

  decode(message: Pick<KafkaMessage, 'value'> & Partial<Pick<KafkaMessage, 'offset'>>, partition?: number): T | DecodeError {
    const where = { partition, offset: message.offset }
    if (message.value === null || message.value === undefined) {
      return new DecodeError(this.name, 'the record has a null value (a tombstone)', where)
    }
    try {
      return this.serde.deserialize(message.value)
    } catch (error) {
      return new DecodeError(this.name, error instanceof Error ? error.message : String(error), { ...where, cause: error })
    }
  }

  topicConfig(): { topic: string; numPartitions?: number; replicationFactor?: number } {
    const config: { topic: string; numPartitions?: number; replicationFactor?: number } = { topic: this.name }
    if (this.numPartitions !== undefined) config.numPartitions = this.numPartitions
    if (this.replicationFactor !== undefined) config.replicationFactor = this.replicationFactor
    return config
  }
}

/**
 * Declares a typed topic.
 *
 * ```ts
 * const orders = typedTopic<OrderPlaced>({ name: 'order-placed', key: (o) => o.orderId, numPartitions: 6 })
 * await orders.send(producer, { orderId: 'order-1234', total: 42 })
 * ```
 */
export function typedTopic<T>(options: TypedTopicOptions<T>): TypedTopic<T> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidTypedTopicError(`typedTopic() needs options such as { name: 'orders' }, got ${String(options)}`)
  }
  if (typeof options.name !== 'string' || options.name.trim() === '') {
    throw new InvalidTypedTopicError(`typedTopic() needs a non-empty topic name, got ${JSON.stringify(options.name)}`)
  }
  const { numPartitions, replicationFactor, key, serde } = options
  if (numPartitions !== undefined && !(Number.isInteger(numPartitions) && numPartitions >= 1)) {
    throw new InvalidTypedTopicError(`numPartitions of topic "${options.name}" must be an integer of at least 1, got ${String(numPartitions)}`)
  }
  if (replicationFactor !== undefined && !(Number.isInteger(replicationFactor) && replicationFactor >= 1)) {
    throw new InvalidTypedTopicError(`replicationFactor of topic "${options.name}" must be an integer of at least 1, got ${String(replicationFactor)}`)
  }
  if (key !== undefined && typeof key !== 'function') {
    throw new InvalidTypedTopicError(`key of topic "${options.name}" must be a function of the value, such as (order) => order.orderId`)
  }
  if (serde !== undefined && (typeof serde.serialize !== 'function' || typeof serde.deserialize !== 'function')) {
    throw new InvalidTypedTopicError(`serde of topic "${options.name}" must have serialize() and deserialize()`)
  }
  return new TypedTopicImpl(options)
}

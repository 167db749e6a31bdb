/**
 * A listener's options, checked and resolved once, when it is declared: its topics and how to decode
 * each, its blocking retry policy, its retry topics, and where failed records go.
 */
import {
  InvalidRetryPolicyError,
  deadLetterTopicFor,
  validateRetryPolicy,
  type DeadLetterPolicy,
  type ResolvedRetryPolicy,
  type RetryPolicy,
} from '../client/dead-letter/retry-policy.js'
import { InvalidListenerError } from './errors.js'
import { planRetryTopics, type RetryTopicPlan, type RetryTopicsOptions } from './retry-topics.js'
import { jsonSerde, type Serde } from './serde.js'
import { isTypedTopic, typedTopic, type TypedTopic } from './typed-topic.js'

/** A topic by name (decoded with the listener's `serde`, JSON by default) or a typed topic. */
export type TopicRef<T> = string | TypedTopic<T>

/** What `@KafkaListener` and `kafkaListener` accept. */
export interface KafkaListenerOptions<T = unknown> {
  /** The topic to consume; or give `topics`. */
  topic?: TopicRef<T>
  /** The topics to consume; or give `topic`. */
  topics?: readonly TopicRef<T>[]
  /** The consumer group: every instance with the same group id shares the partitions. */
  groupId: string
  /** A new group starts at the earliest offset rather than the latest (KafkaJS `subscribe({ fromBeginning })`). */
  fromBeginning?: boolean
  /** Blocking retries: the same record is tried again, with backoff, before the partition moves on. */
  retry?: RetryPolicy
  /** Non-blocking retries through retry topics (Spring's `@RetryableTopic`). */
  retryTopics?: RetryTopicsOptions
  /**
   * Where records go once they cannot be handled (default topic: `<topic>-dlt`). Undecodable values
   * always go there; failed handlers too when `retry`, `retryTopics` or `deadLetter` is given.
   * `false` turns dead-lettering off: failures then propagate to the consumer, as in KafkaJS.
   */
  deadLetter?: DeadLetterPolicy | false
  /** Partitions handled at once by each instance (KafkaJS `partitionsConsumedConcurrently`, default 1). */
  concurrency?: number
  /** Serde for topics given by name (default JSON). */
  serde?: Serde<T>
}

/** A listener's options, resolved. */
export interface ResolvedListenerOptions {
  readonly groupId: string
  readonly fromBeginning: boolean
  readonly concurrency: number
  /** The main topics, in declaration order. */
  readonly topics: readonly string[]
  /** The typed topic that decodes each main topic. */
  readonly decoders: ReadonlyMap<string, TypedTopic<unknown>>
  /** Attempts per delivery; `attempts: 1` when only retry topics or a dead-letter topic are configured. */
  readonly retry: ResolvedRetryPolicy
  /** Retry topics per main topic, when configured. */
  readonly retryTopics: ReadonlyMap<string, RetryTopicPlan>
  /** The dead-letter topic per main topic; empty when dead-lettering is off. */
  readonly deadLetterTopics: ReadonlyMap<string, string>
  /** Whether failed handlers (not only undecodable values) go to the dead-letter topic. */
  readonly deadLetterHandlerFailures: boolean
}

function fail(where: string, message: string): never {
  throw new InvalidListenerError(`${where}: ${message}`)
}

function topicRefs<T>(options: KafkaListenerOptions<T>, where: string): TopicRef<T>[] {
  if (options.topic !== undefined && options.topics !== undefined) fail(where, 'give either topic or topics, not both')
  const refs = options.topics !== undefined ? options.topics : options.topic !== undefined ? [options.topic] : []
  if (!Array.isArray(refs) || refs.length === 0) fail(where, 'needs a topic (topic: "orders") or topics (topics: ["orders", "refunds"])')
  return [...refs]
}

/**
 * Checks and resolves a listener's options; throws {@link InvalidListenerError} or
 * {@link InvalidRetryPolicyError} naming `where` (e.g. `@KafkaListener on InvoiceService.handle`).
 */
export function resolveListenerOptions<T>(options: KafkaListenerOptions<T>, where: string): ResolvedListenerOptions {
  if (typeof options !== 'object' || options === null) fail(where, `needs options such as { topic: 'orders', groupId: 'billing' }, got ${String(options)}`)
  if (typeof options.groupId !== 'string' || options.groupId.trim() === '') fail(where, `needs a groupId, got ${JSON.stringify(options.groupId)}`)
  const concurrency = options.concurrency ?? 1
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) fail(where, `concurrency must be an integer of at least 1, got ${String(options.concurrency)}`)
  if (options.serde !== undefined && (typeof options.serde.serialize !== 'function' || typeof options.serde.deserialize !== 'function')) {
    fail(where, 'serde must have serialize() and deserialize()')
  }

  const decoders = new Map<string, TypedTopic<unknown>>()
  for (const ref of topicRefs(options, where)) {
    let topic: TypedTopic<unknown>
    if (isTypedTopic(ref)) topic = ref
    else if (typeof ref === 'string' && ref.trim() !== '') topic = typedTopic<unknown>({ name: ref, serde: (options.serde ?? jsonSerde()) as Serde<unknown> })
    else fail(where, `topics must be topic names or typed topics, got ${JSON.stringify(ref)}`)
    if (decoders.has(topic.name)) fail(where, `topic "${topic.name}" is listed twice`)
    decoders.set(topic.name, topic)
  }
  const topics = [...decoders.keys()]

  const retryTopics = new Map<string, RetryTopicPlan>()
  if (options.retryTopics !== undefined) {
    if (options.deadLetter === false) {
      fail(where, 'retryTopics needs a dead-letter topic for records that fail every retry; remove deadLetter: false')
    }
    for (const topic of topics) retryTopics.set(topic, planRetryTopics(topic, options.retryTopics))
  }
  const consumed = [...topics, ...[...retryTopics.values()].flatMap((plan) => plan.topics)]
  for (const topic of topics) {
    if (consumed.filter((name) => name === topic).length > 1) fail(where, `topic "${topic}" is also a retry topic of this listener`)
  }

  const deadLetterTopics = new Map<string, string>()
  if (options.deadLetter !== false) {
    if (options.deadLetter !== undefined && (typeof options.deadLetter !== 'object' || options.deadLetter === null)) {
      throw new InvalidRetryPolicyError(`${where}: deadLetter must be { topic?: string } or false, got ${String(options.deadLetter)}`)
    }
    for (const topic of topics) deadLetterTopics.set(topic, deadLetterTopicFor(topic, options.deadLetter ?? {}, consumed))
  }

  const blocking = options.retry ?? { attempts: 1, timeoutMs: options.retryTopics?.timeoutMs, notRetryable: options.retryTopics?.notRetryable }
  const retry = validateRetryPolicy(blocking)
  return {
    groupId: options.groupId,
    fromBeginning: options.fromBeginning ?? false,
    concurrency,
    topics,
    decoders,
    retry,
    retryTopics,
    deadLetterTopics,
    deadLetterHandlerFailures:
      deadLetterTopics.size > 0 && (options.retry !== undefined || options.retryTopics !== undefined || options.deadLetter !== undefined),
  }
}

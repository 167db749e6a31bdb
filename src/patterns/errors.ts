/**
 * Typed errors of the patterns layer: bad declarations are rejected where they are made (a
 * decorator, a topic declaration, `startListeners`), before any consumer starts.
 */
import { KafkaJSError, KafkaJSNonRetriableError } from '../client/errors.js'

/** A `typedTopic` declaration, or a value given to one, that cannot work. */
export class InvalidTypedTopicError extends KafkaJSNonRetriableError {
  override name = 'InvalidTypedTopicError'
}

/** A listener declaration or container option that cannot work. */
export class InvalidListenerError extends KafkaJSNonRetriableError {
  override name = 'InvalidListenerError'
}

/**
 * The reason an in-flight attempt or wait is aborted when its container stops: the record is left
 * uncommitted, so the group delivers it again after a restart (at-least-once), and it is neither
 * retried nor dead-lettered.
 */
export class ListenerStoppedError extends Error {
  override name = 'ListenerStoppedError'
  constructor() {
    super('The listener container is stopping; the record stays uncommitted and will be delivered again')
  }
}

/**
 * A read of a topic (`readTopicToEnd`, `readDeadLetters`, `replayDeadLetters`) stopped because
 * handling a record, or committing it for a durable group, failed; `cause` is the error. Records
 * before it were handled and committed; with a durable group the next read starts at the group's
 * committed offset, so it may hand this record again (at-least-once).
 */
export class TopicReadError extends KafkaJSError {
  override name = 'TopicReadError'
}

/** The admin's argument checks, with KafkaJS's messages where KafkaJS checks the same thing. */
import { KafkaJSNonRetriableError } from '../errors.js'
import { isWithin, MAX_INT32, showValue } from '../numeric-option.js'

/** A non-empty string topic name (the broker then checks Kafka's naming rules). */
export function checkTopic(topic: unknown): asserts topic is string {
  if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`)
}

/** A non-empty string group id. */
export function checkGroupId(groupId: unknown): asserts groupId is string {
  if (!groupId || typeof groupId !== 'string') throw new KafkaJSNonRetriableError(`Invalid groupId ${String(groupId)}`)
}

/** A request timeout in ms, if given. */
export function checkTimeout(timeout: unknown): void {
  // CreateTopics' timeoutMs and the like are INT32 fields.
  if (timeout !== undefined && !isWithin(timeout)) throw new KafkaJSNonRetriableError(`Invalid timeout ${showValue(timeout)}: expected a number of ms from 0 to ${MAX_INT32}`)
}

/** An offset as KafkaJS takes it (a string or number holding an integer); returns it as a number. */
export function parseOffset(offset: unknown, where: string): number {
  const value = typeof offset === 'string' && offset.trim() !== '' ? Number(offset) : typeof offset === 'number' ? offset : NaN
  if (!Number.isSafeInteger(value)) throw new KafkaJSNonRetriableError(`Invalid offset ${JSON.stringify(offset)} for ${where}: expected an integer, as a string or number`)
  return value
}

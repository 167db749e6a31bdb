/**
 * Checks of the consumer's per-call arguments (offsets, topic-partitions, pause/resume selectors),
 * with KafkaJS's messages, so bad input is refused at the call with a typed error.
 */
import { KafkaJSNonRetriableError } from '../errors.js'
import type { TopicPartitionsSelector } from './subscription-state.js'

/** Parses an offset given as a string (or number) of digits; KafkaJS's "expected a long". */
export function toOffset(value: unknown, what: string): number {
  const text = typeof value === 'number' || typeof value === 'bigint' ? String(value) : value
  if (typeof text !== 'string' || !/^-?\d+$/.test(text.trim())) throw new KafkaJSNonRetriableError(`Invalid ${what}, expected a long received ${String(value)}`)
  const parsed = Number(text)
  if (!Number.isSafeInteger(parsed)) throw new KafkaJSNonRetriableError(`Invalid ${what}, ${String(value)} is out of range`)
  return parsed
}

/** A topic name and a partition number. */
export function checkTopicPartition(topic: unknown, partition: unknown): void {
  if (typeof topic !== 'string' || topic === '') throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`)
  if (typeof partition !== 'number' || !Number.isInteger(partition) || partition < 0) {
    throw new KafkaJSNonRetriableError(`Invalid partition, expected a number received ${String(partition)}`)
  }
}

/** `pause`/`resume`'s argument: `[{ topic, partitions? }]`. */
export function checkSelectors(selectors: unknown, verb: string): TopicPartitionsSelector[] {
  if (!Array.isArray(selectors)) throw new KafkaJSNonRetriableError(`${verb} expects an array of { topic, partitions? }`)
  for (const selector of selectors as Array<Partial<TopicPartitionsSelector> | null>) {
    if (selector === null || typeof selector !== 'object' || typeof selector.topic !== 'string' || selector.topic === '') {
      throw new KafkaJSNonRetriableError(`Invalid topic ${String(selector?.topic ?? selector)}`)
    }
    const { partitions } = selector
    if (partitions !== undefined && (!Array.isArray(partitions) || partitions.some((p) => typeof p !== 'number' || Number.isNaN(p)))) {
      throw new KafkaJSNonRetriableError(`Array of valid partitions required to ${verb} specific partitions instead of ${String(partitions)}`)
    }
  }
  return selectors as TopicPartitionsSelector[]
}

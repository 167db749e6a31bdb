/** Kafka's topic name rules (`org.apache.kafka.common.internals.Topic.validate`). */

/** Kafka's longest legal topic name. */
export const MAX_TOPIC_NAME_LENGTH = 249

/** The internal topic holding committed offsets and group metadata. */
export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets'
/** The internal topic holding transaction coordinator state. */
export const TRANSACTION_STATE_TOPIC = '__transaction_state'

/** Why `name` is not a legal topic name, or null if it is. */
export function topicNameProblem(name: string): string | null {
  if (typeof name !== 'string' || name.length === 0) return 'Topic name is illegal, it can\'t be empty'
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."'
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters, topic name: ${name}`
  }
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`
  }
  return null
}

/** Kafka's internal topics. */
export function isInternalTopic(name: string): boolean {
  return name === CONSUMER_OFFSETS_TOPIC || name === TRANSACTION_STATE_TOPIC
}

/**
 * Kafka refuses a topic whose name differs from an existing one only by '.' versus '_', because
 * both map to the same metric name (`Topic.hasCollision`).
 */
export function collidingTopic(name: string, existing: Iterable<string>): string | undefined {
  const unified = name.replace(/\./g, '_')
  for (const other of existing) if (other !== name && other.replace(/\./g, '_') === unified) return other
  return undefined
}

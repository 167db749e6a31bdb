/**
 * `recordProducer(producer, recording)`: a KafkaJS-API producer whose every `send` lands in a {@link Recording}, one
 * history operation per message, with Jepsen's outcome: `ok` at its partition and offset when the producer
 * acknowledged it, `info` (may or may not have been written) when the send failed, since a failed send may still
 * have reached the log (a lost answer, a timeout after the append); `fail` only when `wroteNothing` says so.
 */
import type { Message, ProducerRecord, RecordMetadata, SendOutcome } from 'kafkalite'
import type { Recording } from './recording.js'

/** What {@link recordProducer} needs of a producer: KafkaJS's `send`. */
export interface SendingProducer {
  send(record: ProducerRecord): Promise<RecordMetadata[]>
}

/** Options of {@link recordProducer}. */
export interface RecordProducerOptions {
  /** The history's process id of these sends (default `producer`). Give each concurrent sender its own. */
  readonly process?: string
  /** The sends belong to transactions that commit (the acknowledgements must then show at read_committed too). */
  readonly transactional?: boolean
  /**
   * Tells, for a message of a failed send, that no attempt can have written it (every request carrying it was
   * refused before an append, or never reached a broker): the send is then recorded `fail` instead of `info`, and the
   * history checker holds it to that. Only the network sees this (say, a connection that watches Produce answers);
   * without it every failed send is `info`, which is never wrong.
   */
  readonly wroteNothing?: (topic: string, message: Message, error: unknown) => boolean
}

function valueOf(message: Message): string {
  return message.value === null || message.value === undefined ? '' : message.value.toString()
}

/**
 * Where each message of an acknowledged send landed: with one partition in the answer, or with each message's
 * partition given, offsets follow the messages' order (Kafka appends a batch in order). Otherwise the partitioner
 * chose and the answer does not say which message went where: `undefined`.
 */
function placesOf(record: ProducerRecord, metadata: readonly RecordMetadata[]): Array<{ partition: number; offset: number }> | undefined {
  const next = new Map(metadata.map((m) => [m.partition, Number(m.baseOffset)]))
  const only = metadata.length === 1 ? metadata[0]!.partition : undefined
  const places: Array<{ partition: number; offset: number }> = []
  for (const message of record.messages) {
    const partition = message.partition ?? only
    if (partition === undefined || !next.has(partition)) return undefined
    const offset = next.get(partition)!
    next.set(partition, offset + 1)
    places.push({ partition, offset })
  }
  return places
}

/**
 * Wraps `producer` so that each of its sends is recorded in `recording`; everything else passes through unchanged.
 * The wrapper is the producer (a `Proxy`), so it works with kafkalite's producer and with KafkaJS's alike.
 *
 * A send of several messages to several partitions chosen by the partitioner is recorded as `info` (written, place
 * unknown): send one message per call, or give each message its partition, to have every acknowledgement checked.
 */
export function recordProducer<P extends SendingProducer>(producer: P, recording: Recording, options: RecordProducerOptions = {}): P {
  const process = options.process ?? 'producer'
  const send = async (record: ProducerRecord): Promise<RecordMetadata[]> => {
    const note = (message: Message, outcome: SendOutcome): void => {
      const key = message.key === null || message.key === undefined ? undefined : message.key.toString()
      recording.history.record({
        type: 'send',
        process,
        topic: record.topic,
        value: valueOf(message),
        ...(key === undefined ? {} : { key }),
        ...(message.partition === undefined ? {} : { partition: message.partition }),
        outcome,
      })
    }
    let metadata: RecordMetadata[]
    try {
      metadata = await producer.send(record)
    } catch (error) {
      const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      for (const message of record.messages) note(message, { type: options.wroteNothing?.(record.topic, message, error) === true ? 'fail' : 'info', error: why })
      throw error
    }
    const places = record.acks === 0 ? undefined : placesOf(record, metadata)
    record.messages.forEach((message, i) => {
      const place = places?.[i]
      if (place === undefined) {
        note(message, { type: 'info', error: record.acks === 0 ? 'acks=0: no acknowledgement' : 'acknowledged; the answer does not say at which partition' })
        return
      }
      note(message, { type: 'ok', ...place })
      recording.acknowledgements.push({
        topic: record.topic,
        ...place,
        value: valueOf(message),
        producer: process,
        ...(options.transactional === true ? { transactional: true } : {}),
      })
    })
    return metadata
  }
  return new Proxy(producer, {
    get(target, property, receiver) {
      if (property === 'send') return send
      const value: unknown = Reflect.get(target, property, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

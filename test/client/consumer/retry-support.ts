/**
 * Test support for `run({ retry, deadLetter })`: start a consumer whose handler decides per record
 * whether to fail, and read a dead-letter topic back with its headers.
 */
import type { Consumer } from '../../../src/client/consumer/consumer.js'
import type { ConsumerConfig, ConsumerRunConfig } from '../../../src/client/consumer/consumer-config.js'
import type { EachMessagePayload } from '../../../src/client/consumer/handler-payloads.js'
import { parseDeadLetterHeaders, type DeadLetterInfo } from '../../../src/client/dead-letter/dead-letter-headers.js'
import type { Harness } from './harness.js'

/** One call of the handler. */
export interface Attempt {
  value: string
  partition: number
  offset: number
  at: number
}

/** Connects, subscribes from the beginning and runs `eachMessage` with the given policy. */
export async function startConsumer(
  h: Harness,
  options: { groupId: string; topics: string[]; run: ConsumerRunConfig; config?: Partial<ConsumerConfig>; setup?: (consumer: Consumer) => void },
): Promise<Consumer> {
  const { groupId, topics, run, config, setup } = options
  // Without a restart, a crash in a test is final and visible.
  const consumer = h.consumer({ ...config, groupId, retry: { restartOnFailure: async () => false, ...config?.retry } })
  setup?.(consumer)
  await h.clock.run(consumer.connect())
  await h.clock.run(consumer.subscribe({ topics, fromBeginning: true }))
  await h.clock.run(consumer.run(run))
  return consumer
}

/** An `eachMessage` that records each call into `attempts` and then runs `behaviour`. */
export function recordingHandler(h: Harness, attempts: Attempt[], behaviour: (payload: EachMessagePayload, attempt: Attempt) => Promise<void> | void) {
  return async (payload: EachMessagePayload): Promise<void> => {
    const attempt = { value: payload.message.value!.toString(), partition: payload.partition, offset: Number(payload.message.offset), at: h.clock.now() }
    attempts.push(attempt)
    await behaviour(payload, attempt)
  }
}

/** A record of a dead-letter topic, with its headers decoded. */
export interface DeadLettered {
  partition: number
  key: string | null
  value: string | null
  headers: Record<string, string>
  info: DeadLetterInfo | undefined
}

/** Reads `topic` from the beginning with a fresh group until `count` records came (or `maxMs` passed). */
export async function readDeadLetters(h: Harness, topic: string, count: number, groupId = `dlt-reader-${topic}`): Promise<DeadLettered[]> {
  const read: DeadLettered[] = []
  const reader = h.consumer({ groupId })
  await h.clock.run(reader.connect())
  await h.clock.run(reader.subscribe({ topics: [topic], fromBeginning: true }))
  await h.clock.run(
    reader.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {}
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          if (Buffer.isBuffer(value) && !name.startsWith('kafka_dlt-'))
            headers[name] = value.toString('utf8')
        }
        read.push({ partition, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers, info: parseDeadLetterHeaders(message) })
      },
    }),
  )
  await h.clock.runUntil(() => read.length >= count, { maxMs: 60_000 })
  await h.clock.advance(1_000)
  await h.clock.run(reader.disconnect())
  return read
}

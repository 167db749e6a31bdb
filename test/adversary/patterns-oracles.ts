/**
 * The patterns adversary's oracles. They share no code with the patterns layer: header names are Spring Kafka's
 * (`KafkaHeaders.DLT_*`, `RetryTopicHeaders`), written out here; values are decoded here from their bytes
 * (`ByteBuffer.putInt/putLong`, `BigInteger.toByteArray()`); the records come from a fresh read of the final log.
 */
import type { IHeaders } from 'kafkalite'
import type { Anomaly, OracleReport } from '../../src/testing/oracles/index.js'
import type { RawRecord } from './raw-log-reader.js'
import type { RecordPlan } from './patterns-scenario.js'

const DLT = {
  topic: 'kafka_dlt-original-topic',
  partition: 'kafka_dlt-original-partition',
  offset: 'kafka_dlt-original-offset',
  timestamp: 'kafka_dlt-original-timestamp',
  group: 'kafka_dlt-original-consumer-group',
  fqcn: 'kafka_dlt-exception-fqcn',
  message: 'kafka_dlt-exception-message',
} as const
const RETRY = { attempts: 'retry_topic-attempts', originalTimestamp: 'retry_topic-original-timestamp', backoff: 'retry_topic-backoff-timestamp' } as const

/** The last value of a header as bytes (Kafka's `Headers.lastHeader`). */
function lastBytes(headers: IHeaders, name: string): Buffer | undefined {
  const raw = headers[name]
  const last = Array.isArray(raw) ? raw[raw.length - 1] : raw
  return last === undefined ? undefined : Buffer.isBuffer(last) ? last : Buffer.from(String(last), 'utf8')
}

const text = (h: IHeaders, name: string): string | undefined => lastBytes(h, name)?.toString('utf8')
const int32 = (h: IHeaders, name: string): number | undefined => {
  const b = lastBytes(h, name)
  return b?.length === 4 ? b.readInt32BE(0) : undefined
}
const int64 = (h: IHeaders, name: string): number | undefined => {
  const b = lastBytes(h, name)
  return b?.length === 8 ? Number(b.readBigInt64BE(0)) : undefined
}
/** Java's `new BigInteger(bytes)`: big-endian two's complement of any length. */
const bigInteger = (h: IHeaders, name: string): number | undefined => {
  const b = lastBytes(h, name)
  if (b === undefined || b.length === 0) return undefined
  let n = BigInt.asIntN(8, BigInt(b[0]!))
  for (const byte of b.subarray(1)) n = (n << 8n) | BigInt(byte)
  return Number(n)
}

const same = (a: Buffer | null, b: Buffer | null): boolean => (a === null ? b === null : b !== null && a.equals(b))

/** What the oracles know about the run, besides the final log. */
export interface PatternsObservations {
  readonly mainTopic: string
  readonly group: string
  /** Per retry topic, the deliveries it may carry (2 for the first retry, ...). */
  readonly retryTopicDeliveries: ReadonlyMap<string, readonly number[]>
  readonly retryDelayOf: ReadonlyMap<string, number>
  readonly deadLetterTopic: string
  /** The plan of each record, by key. */
  readonly plans: ReadonlyMap<string, RecordPlan>
  /** Keys whose handler succeeded in a live instance. */
  readonly succeeded: ReadonlySet<string>
}

/** The error class and message the last failing call of a record that never succeeds leaves in its dead letter. */
function expectedException(key: string, plan: RecordPlan): { fqcn: string; message?: string } | undefined {
  switch (plan.kind) {
    case 'always':
      return { fqcn: 'JobFailedError', message: `${key}: always fails` }
    case 'fatal':
      return { fqcn: 'FatalJobError', message: `${key}: cannot be done` }
    case 'poison':
      return { fqcn: 'DecodeError' }
    default:
      return undefined
  }
}

/**
 * The original-* headers of a retry or dead-letter record name the main topic's record it copies (topic, partition,
 * offset, timestamp, group), whichever retry topics it went through; the copy has the original's key and value.
 */
function checkOriginal(record: RawRecord, main: ReadonlyMap<string, RawRecord>, o: PatternsObservations, anomalies: Anomaly[]): RawRecord | undefined {
  const where = `${record.topic}/${record.partition}@${record.offset} (key ${record.key})`
  const topic = text(record.headers, DLT.topic)
  const partition = int32(record.headers, DLT.partition)
  const offset = int64(record.headers, DLT.offset)
  if (topic !== o.mainTopic || partition === undefined || offset === undefined) {
    anomalies.push({ kind: 'dead-letter-header-wrong', message: `${where}: original topic/partition/offset ${topic}/${partition}@${offset}, not a record of ${o.mainTopic}` })
    return undefined
  }
  const original = main.get(`${partition}@${offset}`)
  if (original === undefined || original.key !== record.key || !same(original.value, record.value)) {
    anomalies.push({ kind: 'dead-letter-header-wrong', message: `${where}: names ${topic}/${partition}@${offset}, which holds ${original === undefined ? 'nothing' : `key ${original.key}`}` })
    return undefined
  }
  const timestamp = int64(record.headers, DLT.timestamp)
  if (timestamp !== original.timestamp) anomalies.push({ kind: 'dead-letter-header-wrong', message: `${where}: original timestamp ${timestamp}, the original's is ${original.timestamp}` })
  const group = text(record.headers, DLT.group)
  if (group !== o.group) anomalies.push({ kind: 'dead-letter-header-wrong', message: `${where}: original consumer group ${group}, not ${o.group}` })
  return original
}

/** Dead-letter and retry headers stay true: the original record, the failure, and each retry's delivery and due time. */
export function checkForwardedHeaders(main: readonly RawRecord[], retries: readonly RawRecord[], deadLetters: readonly RawRecord[], o: PatternsObservations): OracleReport {
  const anomalies: Anomaly[] = []
  const byPosition = new Map(main.map((r) => [`${r.partition}@${r.offset}`, r]))
  for (const record of retries) {
    const original = checkOriginal(record, byPosition, o, anomalies)
    const where = `${record.topic}/${record.partition}@${record.offset} (key ${record.key})`
    const delivery = bigInteger(record.headers, RETRY.attempts)
    if (delivery === undefined || !(o.retryTopicDeliveries.get(record.topic) ?? []).includes(delivery)) {
      anomalies.push({ kind: 'retry-header-wrong', message: `${where}: ${RETRY.attempts} ${delivery}, the topic carries deliveries ${o.retryTopicDeliveries.get(record.topic)}` })
    }
    const firstTimestamp = bigInteger(record.headers, RETRY.originalTimestamp)
    if (original !== undefined && firstTimestamp !== original.timestamp) {
      anomalies.push({ kind: 'retry-header-wrong', message: `${where}: ${RETRY.originalTimestamp} ${firstTimestamp}, the original's is ${original.timestamp}` })
    }
    const due = bigInteger(record.headers, RETRY.backoff)
    const delay = o.retryDelayOf.get(record.topic) ?? 0
    if (original !== undefined && (due === undefined || due < original.timestamp + delay)) {
      anomalies.push({ kind: 'retry-header-wrong', message: `${where}: due at ${due}, before the original's time plus the ${delay} ms delay` })
    }
    const fqcn = text(record.headers, DLT.fqcn)
    if (fqcn === undefined || fqcn === 'FatalJobError' || fqcn === 'DecodeError') {
      anomalies.push({ kind: 'retry-header-wrong', message: `${where}: forwarded for a retry after ${fqcn ?? 'no exception'}, which is not retried` })
    }
  }
  for (const record of deadLetters) {
    checkOriginal(record, byPosition, o, anomalies)
    const plan = record.key === null ? undefined : o.plans.get(record.key)
    const expected = plan === undefined || record.key === null ? undefined : expectedException(record.key, plan)
    if (expected === undefined) continue
    const where = `${record.topic}/${record.partition}@${record.offset} (key ${record.key})`
    const fqcn = text(record.headers, DLT.fqcn)
    const message = text(record.headers, DLT.message)
    if (fqcn !== expected.fqcn || (expected.message !== undefined && message !== expected.message)) {
      anomalies.push({ kind: 'dead-letter-header-wrong', message: `${where}: exception ${fqcn} "${message}", expected ${expected.fqcn}${expected.message === undefined ? '' : ` "${expected.message}"`}` })
    }
  }
  return { oracle: 'dead-letter and retry headers are true through the retry topics', checked: retries.length + deadLetters.length, anomalies }
}

/** Every record of the main topic is handled successfully or dead-lettered; no record that succeeds is dead-lettered. */
export function checkOutcomes(main: readonly RawRecord[], deadLetters: readonly RawRecord[], o: PatternsObservations): OracleReport {
  const anomalies: Anomaly[] = []
  const deadLettered = new Set(deadLetters.map((r) => r.key))
  const keys = [...new Set(main.map((r) => r.key))]
  for (const key of keys) {
    const plan = key === null ? undefined : o.plans.get(key)
    if (key === null || plan === undefined) {
      anomalies.push({ kind: 'unknown-record', message: `${o.mainTopic} holds a record with key ${key}, which no producer sent` })
      continue
    }
    const succeeds = plan.kind === 'ok' || plan.kind === 'flaky' || plan.kind === 'hang'
    if (succeeds && deadLettered.has(key)) anomalies.push({ kind: 'dead-letter-wrong', message: `${key} (${JSON.stringify(plan)}) succeeds within its retries, yet it is in ${o.deadLetterTopic}` })
    if (o.succeeded.has(key) && deadLettered.has(key)) anomalies.push({ kind: 'dead-letter-wrong', message: `${key} was handled successfully, yet it is in ${o.deadLetterTopic}` })
    if (succeeds && !o.succeeded.has(key)) anomalies.push({ kind: 'record-dropped', message: `${key} (${JSON.stringify(plan)}) was never handled successfully` })
    if (!succeeds && !deadLettered.has(key)) anomalies.push({ kind: 'record-dropped', message: `${key} (${JSON.stringify(plan)}) never succeeds, yet it is not in ${o.deadLetterTopic}` })
  }
  return { oracle: 'every record is handled or dead-lettered, and only failing ones are dead-lettered', checked: keys.length, anomalies }
}

/** The replay published every dead letter, and nothing else, with the record's own headers only. */
export function checkReplayed(deadLetters: readonly RawRecord[], replayed: readonly RawRecord[]): OracleReport {
  const anomalies: Anomaly[] = []
  const identity = (r: RawRecord): string => `${r.key}|${r.value?.toString('hex') ?? 'null'}`
  const sources = new Set(deadLetters.map(identity))
  const copies = new Set(replayed.map(identity))
  for (const r of deadLetters) if (!copies.has(identity(r))) anomalies.push({ kind: 'replay-missing', message: `dead letter ${r.topic}/${r.partition}@${r.offset} (key ${r.key}) was never replayed` })
  for (const r of replayed) {
    if (!sources.has(identity(r))) anomalies.push({ kind: 'replay-unknown', message: `${r.topic}/${r.partition}@${r.offset} (key ${r.key}) is no dead letter's copy` })
    const stray = Object.keys(r.headers).filter((h) => h.startsWith('kafka_dlt-') || h.startsWith('retry_topic-'))
    if (stray.length > 0) anomalies.push({ kind: 'replay-headers', message: `${r.topic}/${r.partition}@${r.offset} still carries ${stray.join(', ')}` })
  }
  return { oracle: 'replayDeadLetters publishes every dead letter, with its own headers', checked: deadLetters.length + replayed.length, anomalies }
}

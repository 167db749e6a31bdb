/**
 * Checks that a value has the shape of an {@link Operation} and returns a fresh copy of it, so a history
 * never shares (and never sees later changes to) its caller's objects. Works on untyped input, for histories
 * read back from JSON.
 */
import { HistoryError } from './history-error.js'
import type {
  CommittedOffset,
  CommitOutcome,
  Operation,
  ReadRecord,
  SendOutcome,
  TopicPartition,
} from './operation.js'

type Fields = Record<string, unknown>

class Reader {
  constructor(
    private readonly fields: Fields,
    private readonly where: string,
    private readonly index: number | undefined,
  ) {}

  fail(what: string): never {
    throw new HistoryError(`${this.where}: ${what}`, this.index)
  }

  string(name: string): string {
    const v = this.fields[name]
    if (typeof v !== 'string') this.fail(`'${name}' must be a string, got ${describe(v)}`)
    return v
  }

  optionalString(name: string): string | undefined {
    return this.fields[name] === undefined ? undefined : this.string(name)
  }

  nonEmptyString(name: string): string {
    const v = this.string(name)
    if (v.length === 0) this.fail(`'${name}' must not be empty`)
    return v
  }

  /** A partition number or offset: Kafka's are non-negative integers. */
  nonNegativeInt(name: string): number {
    const v = this.fields[name]
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      this.fail(`'${name}' must be a non-negative integer, got ${describe(v)}`)
    }
    return v
  }

  optionalIndex(name: string): number | undefined {
    return this.fields[name] === undefined ? undefined : this.nonNegativeInt(name)
  }

  key(): string | null {
    const v = this.fields['key']
    if (v === undefined || v === null) return null
    if (typeof v !== 'string') this.fail(`'key' must be a string or null, got ${describe(v)}`)
    return v
  }

  time(): number {
    const v = this.fields['time']
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(`'time' must be a finite number, got ${describe(v)}`)
    return v
  }

  array(name: string): readonly unknown[] {
    const v = this.fields[name]
    if (!Array.isArray(v)) this.fail(`'${name}' must be an array, got ${describe(v)}`)
    return v
  }

  object(name: string): Reader {
    return objectReader(this.fields[name], `${this.where}.${name}`, this.index)
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'object') return 'an object'
  return String(v)
}

function objectReader(v: unknown, where: string, index: number | undefined): Reader {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new HistoryError(`${where} must be an object, got ${describe(v)}`, index)
  }
  return new Reader(v as Fields, where, index)
}

function topicPartition(r: Reader): TopicPartition {
  return { topic: r.nonEmptyString('topic'), partition: r.nonNegativeInt('partition') }
}

function each<T>(r: Reader, name: string, index: number | undefined, parse: (item: Reader) => T): T[] {
  return r.array(name).map((item, i) => parse(objectReader(item, `${name}[${i}]`, index)))
}

function sendOutcome(r: Reader): SendOutcome {
  const type = r.string('type')
  if (type === 'ok') return { type, partition: r.nonNegativeInt('partition'), offset: r.nonNegativeInt('offset') }
  if (type === 'fail') return { type, error: r.nonEmptyString('error') }
  if (type === 'info') return errorIfAny(r)
  return r.fail(`'type' must be 'ok', 'fail' or 'info', got ${JSON.stringify(type)}`)
}

function commitOutcome(r: Reader): CommitOutcome {
  const type = r.string('type')
  if (type === 'ok') return { type }
  if (type === 'fail') return { type, error: r.nonEmptyString('error') }
  if (type === 'info') return errorIfAny(r)
  return r.fail(`'type' must be 'ok', 'fail' or 'info', got ${JSON.stringify(type)}`)
}

function errorIfAny(r: Reader): { type: 'info'; error?: string } {
  const error = r.optionalString('error')
  return error === undefined ? { type: 'info' } : { type: 'info', error }
}

/**
 * Validates `input` as an operation and returns a normalised copy (unknown fields dropped, a missing key made `null`).
 *
 * @param input the operation, typically from user code or `JSON.parse`
 * @param index its position in the history, quoted in errors
 * @param defaultTime the time to use when `input.time` is absent; without one, a missing time is an error
 * @throws {HistoryError} when a field is missing or has the wrong type
 */
export function parseOperation(input: unknown, index?: number, defaultTime?: () => number): Operation {
  const r = objectReader(input, 'operation', index)
  const fields = input as Fields
  const type = r.string('type')
  const where = new Reader(fields, type, index)
  const process = where.nonEmptyString('process')
  const time = fields['time'] === undefined && defaultTime !== undefined ? defaultTime() : where.time()
  switch (type) {
    case 'send': {
      const topic = where.nonEmptyString('topic')
      const partition = where.optionalIndex('partition')
      const outcome = sendOutcome(where.object('outcome'))
      if (partition !== undefined && outcome.type === 'ok' && outcome.partition !== partition) {
        where.fail(`asked for partition ${partition} but its acknowledgement names partition ${outcome.partition}`)
      }
      const base = { type, process, time, topic, key: where.key(), value: where.string('value'), outcome } as const
      return partition === undefined ? base : { ...base, partition }
    }
    case 'poll':
      return {
        type,
        process,
        time,
        records: each(where, 'records', index, (rec): ReadRecord => ({
          ...topicPartition(rec),
          offset: rec.nonNegativeInt('offset'),
          key: rec.key(),
          value: rec.string('value'),
        })),
      }
    case 'commit':
      return {
        type,
        process,
        time,
        offsets: each(where, 'offsets', index, (o): CommittedOffset => ({ ...topicPartition(o), offset: o.nonNegativeInt('offset') })),
        outcome: commitOutcome(where.object('outcome')),
      }
    case 'assign':
    case 'rebalance':
      return { type, process, time, partitions: each(where, 'partitions', index, topicPartition) }
    case 'seek':
      return { type, process, time, ...topicPartition(where), offset: where.nonNegativeInt('offset') }
    case 'fault':
      return { type, process, time, description: where.nonEmptyString('description') }
    default:
      return where.fail(
        `unknown operation type ${JSON.stringify(type)}; expected send, poll, commit, assign, rebalance, seek or fault`,
      )
  }
}

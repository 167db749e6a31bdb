/**
 * Checks of numeric options (timeouts, intervals, sizes, counts). Kafka carries them in 32-bit int fields
 * (`request.timeout.ms`, `fetch.max.wait.ms`, `session.timeout.ms`, ...), so a value above 2^31-1 cannot reach a broker
 * and, on a clock, would be a wait that never ends: it is refused at the call that gave it, with a typed error, as is
 * anything that is not a finite number (a string, a symbol, a bigint, NaN).
 */
import { KafkaJSNonRetriableError } from './errors.js'

/** The largest value of Kafka's INT32 fields: the cap of every time and size option. */
export const MAX_INT32 = 2 ** 31 - 1

/** How an option's value is bounded. */
export interface NumericBounds {
  /** Smallest value allowed (default 0). */
  min?: number
  /** Largest value allowed (default {@link MAX_INT32}). */
  max?: number
  /** Only whole numbers (default false). */
  integer?: boolean
}

/** A value as a message can show it, whatever its type (a symbol cannot go through a template literal). */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'bigint') return `${value.toString()}n`
  try {
    return String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/** True if `value` is a finite number within `bounds`. */
export function isWithin(value: unknown, bounds: NumericBounds = {}): value is number {
  const { min = 0, max = MAX_INT32, integer = false } = bounds
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value))
}

/** Throws a KafkaJSNonRetriableError unless `value` is a finite number within `bounds`. */
export function checkNumber(name: string, value: unknown, bounds: NumericBounds = {}): asserts value is number {
  const { min = 0, max = MAX_INT32, integer = false } = bounds
  if (!isWithin(value, bounds)) {
    const kind = integer ? 'an integer' : 'a number'
    throw new KafkaJSNonRetriableError(`${name} must be ${kind} from ${min} to ${max}, got ${showValue(value)} (${typeof value})`)
  }
}

/** Short, human wording for operations and values in anomaly explanations. */
import type { OperationRef } from './history-report.js'

/** `op #12 (p1, t=1200)`. */
export function describeOp(op: OperationRef): string {
  return `op #${op.index} (${op.process}, t=${op.time})`
}

/** A value quoted as JSON, cut to 60 characters so long payloads do not drown a report. */
export function quote(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value
  return JSON.stringify(shown)
}

/** Values quoted and joined: `"a", "b"`. */
export function quoteAll(values: readonly string[]): string {
  return values.map(quote).join(', ')
}

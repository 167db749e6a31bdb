/**
 * Transactions as a reader sees them: read_committed never returns a record of an aborted transaction or of one
 * still open; and consume-transform-produce gives each input exactly one output among committed records.
 */
import type { Delivery, FinalLog, LogRecord } from './observations.js'
import { oracleReport, type Anomaly, type OracleReport } from './oracle-report.js'

/**
 * Checks read_committed reads (the final log read committed, and consumers' deliveries) against the values of
 * transactions known aborted and of those never ended (`open`). A transaction whose commit or abort had an unknown
 * outcome belongs in neither list.
 */
export function checkReadCommitted(reads: ReadonlyArray<LogRecord | Delivery>, aborted: ReadonlySet<string>, open: ReadonlySet<string> = new Set()): OracleReport {
  const anomalies: Anomaly[] = []
  for (const r of reads) {
    const who = 'member' in r ? `${r.member} (group ${r.group})` : 'the final read_committed log'
    const place = `${r.topic}/${r.partition}@${r.offset}`
    if (aborted.has(r.value)) anomalies.push({ kind: 'read-aborted', message: `${who} returned "${r.value}" at ${place}, written by an aborted transaction` })
    else if (open.has(r.value)) anomalies.push({ kind: 'read-open-transaction', message: `${who} returned "${r.value}" at ${place}, written by a transaction that never committed` })
  }
  return oracleReport('read_committed never sees aborted or open transactions', reads.length, anomalies)
}

/**
 * Checks a consume-transform-produce run: every input value has exactly one committed output naming it. `inputOf`
 * tells which input an output record came from (null: not an output of this pipeline). `acknowledged`, when given,
 * holds the inputs whose transaction the application saw commit: a missing output of one of them is `transform-lost`
 * (the commit was acknowledged and its output is gone: exactly-once broken), of any other `transform-missing` (no
 * transaction ever committed it: the pipeline did not make progress, a liveness failure).
 */
export function checkExactlyOnceTransform(
  inputs: readonly string[],
  committedOutputs: readonly LogRecord[],
  inputOf: (output: LogRecord) => string | null,
  acknowledged?: ReadonlySet<string>,
): OracleReport {
  const anomalies: Anomaly[] = []
  const outputs = new Map<string, LogRecord[]>()
  for (const out of committedOutputs) {
    const input = inputOf(out)
    if (input === null) continue
    const list = outputs.get(input)
    if (list === undefined) outputs.set(input, [out])
    else list.push(out)
  }
  const known = new Set(inputs)
  for (const input of inputs) {
    const list = outputs.get(input) ?? []
    if (list.length === 0) anomalies.push(missingOutput(input, acknowledged))
    else if (list.length > 1) anomalies.push({ kind: 'transform-duplicate', message: `input "${input}" has ${list.length} committed outputs, at ${list.map((o) => `${o.topic}/${o.partition}@${o.offset}`).join(', ')}` })
  }
  for (const [input, list] of outputs) {
    if (!known.has(input)) anomalies.push({ kind: 'transform-unexpected', message: `committed output "${list[0]!.value}" names input "${input}", which was never an input` })
  }
  return oracleReport('consume-transform-produce gives each input exactly once', inputs.length, anomalies)
}

function missingOutput(input: string, acknowledged: ReadonlySet<string> | undefined): Anomaly {
  if (acknowledged === undefined) return { kind: 'transform-missing', message: `input "${input}" has no committed output` }
  if (acknowledged.has(input)) return { kind: 'transform-lost', message: `input "${input}" has no committed output, yet the transaction that transformed it was acknowledged as committed` }
  return { kind: 'transform-missing', message: `input "${input}" has no committed output: no transaction transforming it ever committed (the pipeline stopped making progress)` }
}

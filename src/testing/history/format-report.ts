/** Renders a {@link HistoryReport} as plain text, for a failing test's message or a log. */
import { describeOp } from './describe-op.js'
import type { AnomalyKind, HistoryReport } from './history-report.js'

/** Jepsen's names for the anomaly kinds, in the order a report lists them. */
const KIND_NAMES: Record<AnomalyKind, string> = {
  lostWrite: 'lost-write',
  inconsistentOffsets: 'inconsistent-offsets',
  nonmonotonicPoll: 'nonmonotonic-poll',
  pollSkip: 'poll-skip',
  nonmonotonicSend: 'nonmonotonic-send',
  duplicate: 'duplicate',
  unexpectedValue: 'unexpected-value',
}

/** Options of {@link formatReport}. */
export interface FormatOptions {
  /** How many entries to show per anomaly kind before summarising the rest (default 10). */
  readonly maxPerKind?: number
}

/**
 * A readable text of a report: the verdict, what the history held, then each anomaly kind with its entries'
 * explanations.
 *
 * @example
 * expect(report.valid, formatReport(report)).toBe(true)
 */
export function formatReport(report: HistoryReport, options: FormatOptions = {}): string {
  const max = options.maxPerKind ?? 10
  const { stats, anomalies } = report
  const kinds = (Object.keys(KIND_NAMES) as AnomalyKind[]).filter((k) => anomalies[k].length > 0)
  const total = kinds.reduce((n, k) => n + anomalies[k].length, 0)
  const summary = kinds.map((k) => `${anomalies[k].length} ${KIND_NAMES[k]}`).join(', ')
  const sends = stats.sends.ok + stats.sends.failed + stats.sends.unknown
  const commits = stats.commits.ok + stats.commits.failed + stats.commits.unknown
  const lines = [
    report.valid ? 'history check: valid' : `history check: INVALID, ${count(total, 'anomaly', 'anomalies')} (${summary})`,
    `  ${count(stats.operations, 'operation')}: ${count(sends, 'send')} ` +
      `(${stats.sends.ok} ok, ${stats.sends.failed} failed, ${stats.sends.unknown} unknown), ` +
      `${count(stats.polls, 'poll')} reading ${count(stats.recordsRead, 'record')}, ${count(commits, 'commit')}, ` +
      `${stats.positionChanges} assign/rebalance/seek, ${count(stats.faults, 'fault')}`,
    `  ${count(stats.partitions, 'partition')}; ${stats.unseen} acknowledged never polled; ` +
      `${count(stats.duplicates, 'value')} at more than one offset`,
    `  options: ${Object.entries(report.options)
      .filter(([, v]) => !Array.isArray(v) || v.length > 0)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`)
      .join(', ')}`,
  ]
  if (report.faults.length > 0) {
    lines.push(`faults (${report.faults.length}):`)
    for (const f of report.faults.slice(0, max)) lines.push(`  - ${describeOp(f.op)}: ${f.description}`)
    if (report.faults.length > max) lines.push(`  ... and ${report.faults.length - max} more`)
  }
  for (const kind of kinds) {
    const entries = anomalies[kind]
    lines.push(`${KIND_NAMES[kind]} (${entries.length}):`)
    for (const entry of entries.slice(0, max)) lines.push(`  - ${entry.explanation}`)
    if (entries.length > max) lines.push(`  ... and ${entries.length - max} more`)
  }
  return lines.join('\n')
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`
}

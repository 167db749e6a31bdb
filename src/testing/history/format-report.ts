/** Renders a {@link HistoryReport} as plain text, for a failing test's message or a log. */
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
  const lines = [
    report.valid ? 'history check: valid' : `history check: INVALID, ${total} anomal${total === 1 ? 'y' : 'ies'} (${summary})`,
    `  ${stats.operations} operations: ` +
      `${stats.sends.ok + stats.sends.failed + stats.sends.unknown} sends ` +
      `(${stats.sends.ok} ok, ${stats.sends.failed} failed, ${stats.sends.unknown} unknown), ` +
      `${stats.polls} polls reading ${stats.recordsRead} records, ` +
      `${stats.commits.ok + stats.commits.failed + stats.commits.unknown} commits, ` +
      `${stats.positionChanges} assign/rebalance/seek, ${stats.faults} faults`,
    `  ${stats.partitions} partitions; ${stats.unseen} acknowledged records never polled; ` +
      `${stats.duplicates} values at more than one offset`,
    `  options: ${Object.entries(report.options)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ')}`,
  ]
  for (const kind of kinds) {
    const entries = anomalies[kind]
    lines.push(`${KIND_NAMES[kind]} (${entries.length}):`)
    for (const entry of entries.slice(0, max)) lines.push(`  - ${entry.explanation}`)
    if (entries.length > max) lines.push(`  ... and ${entries.length - max} more`)
  }
  return lines.join('\n')
}

/**
 * What every oracle returns: its name, how much it checked, and the anomalies it found, each a kind and one line
 * that says what was wrong where. An oracle passes when it found no anomaly; `checked` tells a thorough pass from a
 * vacuous one.
 */

/** One violation of a guarantee. */
export interface Anomaly {
  /** A stable name of what went wrong, for summaries: `lost-ack`, `offset-gap`, `committed-backwards`, ... */
  readonly kind: string
  /** What, where and why, readable as it stands. */
  readonly message: string
}

/** The verdict of one oracle. */
export interface OracleReport {
  readonly oracle: string
  /** How many things it looked at (acknowledgements, reads, commits, ...). */
  readonly checked: number
  readonly anomalies: readonly Anomaly[]
}

/** A report; anomalies beyond `limit` per kind are counted, not listed, so a flood stays readable. */
export function oracleReport(oracle: string, checked: number, anomalies: readonly Anomaly[], limit = 20): OracleReport {
  const perKind = new Map<string, number>()
  const kept: Anomaly[] = []
  for (const anomaly of anomalies) {
    const n = (perKind.get(anomaly.kind) ?? 0) + 1
    perKind.set(anomaly.kind, n)
    if (n <= limit) kept.push(anomaly)
    else if (n === limit + 1) kept.push({ kind: anomaly.kind, message: `... and more ${anomaly.kind} anomalies` })
  }
  return { oracle, checked, anomalies: kept }
}

/** Every anomaly of several reports. */
export function anomaliesOf(reports: readonly OracleReport[]): Anomaly[] {
  return reports.flatMap((r) => r.anomalies)
}

/** Reports as text: a line per oracle (`ok` or how many anomalies), then each anomaly indented. */
export function formatOracleReports(reports: readonly OracleReport[]): string {
  const lines: string[] = []
  for (const report of reports) {
    const verdict = report.anomalies.length === 0 ? 'ok' : `${report.anomalies.length} anomalies`
    lines.push(`${report.oracle} (${report.checked} checked): ${verdict}`)
    for (const anomaly of report.anomalies) lines.push(`  [${anomaly.kind}] ${anomaly.message}`)
  }
  return lines.join('\n')
}

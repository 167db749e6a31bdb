/** The Jepsen-style history checker (`checkHistory`) as one oracle among the others: each of its anomalies a line. */
import { checkHistory, type CheckOptions, type History } from 'kafkalite'
import { oracleReport, type Anomaly, type OracleReport } from './oracle-report.js'

/** Runs `checkHistory` and turns every anomaly it found into a report line. */
export function checkHistoryOracle(history: History, options: CheckOptions = {}): OracleReport {
  const report = checkHistory(history, options)
  const anomalies: Anomaly[] = []
  for (const [kind, list] of Object.entries(report.anomalies)) {
    for (const anomaly of list as ReadonlyArray<{ explanation: string }>) anomalies.push({ kind: `history-${kind}`, message: anomaly.explanation })
  }
  return oracleReport('history checker', history.length, anomalies)
}

/**
 * The same seed gives the same history: two runs of one seed must record the same events, in the same order, at the
 * same cluster times. A difference means something escaped the cluster's clock or seeded random.
 */
import { oracleReport, type OracleReport } from './oracle-report.js'

/** Compares two runs' event lines; reports the first line where they part. */
export function checkSameHistory(first: readonly string[], second: readonly string[]): OracleReport {
  const n = Math.max(first.length, second.length)
  for (let i = 0; i < n; i++) {
    if (first[i] !== second[i]) {
      return oracleReport('the same seed gives the same history', n, [
        { kind: 'nondeterministic', message: `the runs part at event ${i}: "${first[i] ?? '(end)'}" versus "${second[i] ?? '(end)'}"` },
      ])
    }
  }
  return oracleReport('the same seed gives the same history', n, [])
}

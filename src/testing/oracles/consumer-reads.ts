/**
 * Every consumer read is still in the final log at its offset: a record a handler received was really written
 * there and never taken back (a read of a suffix later truncated is what Kafka's high watermark forbids).
 */
import type { Delivery, FinalLog } from './observations.js'
import { oracleReport, type Anomaly, type OracleReport } from './oracle-report.js'

/** Checks `deliveries` against the final log (read at the isolation level those consumers used, or read_uncommitted). */
export function checkReadsInLog(deliveries: readonly Delivery[], log: FinalLog): OracleReport {
  const anomalies: Anomaly[] = []
  const at = new Map(log.records.map((r) => [`${r.topic}/${r.partition}@${r.offset}`, r.value]))
  for (const d of deliveries) {
    const place = `${d.topic}/${d.partition}@${d.offset}`
    const found = at.get(place)
    if (found !== d.value) {
      anomalies.push({ kind: 'read-not-in-log', message: `${d.member} (group ${d.group}) read "${d.value}" at ${place}; the final log holds ${found === undefined ? 'nothing' : `"${found}"`} there` })
    }
  }
  return oracleReport('every consumer read is in the final log', deliveries.length, anomalies)
}

/**
 * No acknowledged write lost: every record acknowledged under acks=all is in the final log at the partition and
 * offset it was acknowledged at (read_uncommitted), and, when it belongs to a committed transaction or no
 * transaction at all, read_committed shows it too.
 */
import type { Acknowledgement, FinalLog } from './observations.js'
import { oracleReport, type Anomaly, type OracleReport } from './oracle-report.js'

function at(log: FinalLog): Map<string, string> {
  return new Map(log.records.map((r) => [`${r.topic}/${r.partition}@${r.offset}`, r.value]))
}

/** Checks `acks` against the final log read at both isolation levels (`committed` may be left out). */
export function checkAcknowledgedWrites(acks: readonly Acknowledgement[], uncommitted: FinalLog, committed?: FinalLog): OracleReport {
  const anomalies: Anomaly[] = []
  const ru = at(uncommitted)
  const rc = committed === undefined ? undefined : new Set(committed.records.map((r) => `${r.topic}/${r.partition}@${r.offset}=${r.value}`))
  for (const ack of acks) {
    const place = `${ack.topic}/${ack.partition}@${ack.offset}`
    const found = ru.get(place)
    if (found !== ack.value) {
      const instead = found === undefined ? 'nothing' : `"${found}"`
      anomalies.push({ kind: 'lost-ack', message: `${ack.producer}'s "${ack.value}" was acknowledged at ${place}; the final log holds ${instead} there` })
    } else if (rc !== undefined && !rc.has(`${place}=${ack.value}`)) {
      anomalies.push({ kind: 'lost-ack-read-committed', message: `${ack.producer}'s "${ack.value}" (${ack.transactional === true ? 'committed transaction' : 'no transaction'}) is at ${place} but read_committed does not return it` })
    }
  }
  return oracleReport('acknowledged writes are in the final log', acks.length, anomalies)
}

/**
 * The shape of a final log: offsets dense where the log is neither compacted nor transactional (every offset from
 * the log start to the high watermark holds a record), and no value twice where idempotence or transactions promise
 * none. Values name records, as in Jepsen: every value sent to a topic must be unique.
 */
import type { FinalLog } from './observations.js'
import { oracleReport, type Anomaly, type OracleReport } from './oracle-report.js'

/**
 * Checks that every offset of every partition of `topics` below its high watermark holds a record. Compacted
 * partitions (`compacted` in their extent, as `readFinalLog` tells) are left out: compaction leaves gaps.
 */
export function checkDenseOffsets(log: FinalLog, topics: readonly string[]): OracleReport {
  const anomalies: Anomaly[] = []
  const held = new Set(log.records.map((r) => `${r.topic}/${r.partition}@${r.offset}`))
  let checked = 0
  for (const extent of log.extents) {
    if (!topics.includes(extent.topic) || extent.compacted === true) continue
    const missing: number[] = []
    for (let offset = extent.logStartOffset; offset < extent.highWatermark; offset++) {
      checked++
      if (!held.has(`${extent.topic}/${extent.partition}@${offset}`)) missing.push(offset)
    }
    if (missing.length > 0) {
      const shown = missing.length > 10 ? `${missing.slice(0, 10).join(', ')}, ...` : missing.join(', ')
      anomalies.push({ kind: 'offset-gap', message: `${extent.topic}/${extent.partition}: no record at offsets ${shown} below the high watermark ${extent.highWatermark}` })
    }
  }
  return oracleReport('offsets are dense', checked, anomalies)
}

/** Checks that no value of `topics` is at two places in the log. */
export function checkNoDuplicates(log: FinalLog, topics: readonly string[]): OracleReport {
  const anomalies: Anomaly[] = []
  const seen = new Map<string, string>()
  let checked = 0
  for (const r of log.records) {
    if (!topics.includes(r.topic)) continue
    checked++
    const place = `${r.topic}/${r.partition}@${r.offset}`
    const key = `${r.topic}\u0000${r.value}`
    const first = seen.get(key)
    if (first === undefined) seen.set(key, place)
    else if (first !== place) anomalies.push({ kind: 'duplicate', message: `"${r.value}" is written twice, at ${first} and at ${place}` })
  }
  return oracleReport('no duplicates where idempotence or transactions promise none', checked, anomalies)
}

/**
 * Liveness after the faults end: every partition has a leader and a full ISR, consumers caught up with the log,
 * every client call settled within its own timeout, and nothing failed unseen (unhandled rejections, uncaught
 * exceptions). Safety without liveness would pass a cluster that does nothing.
 */
import { oracleReport, type Anomaly, type OracleReport } from './oracle-report.js'

/** A partition as the cluster describes it once healed. */
export interface PartitionHealth {
  readonly topic: string
  readonly partition: number
  readonly leader: number
  readonly replicas: readonly number[]
  readonly isr: readonly number[]
}

/** Checks every partition has a leader and every replica in sync. */
export function checkClusterRecovered(partitions: readonly PartitionHealth[]): OracleReport {
  const anomalies: Anomaly[] = []
  for (const p of partitions) {
    const name = `${p.topic}/${p.partition}`
    if (p.leader < 0) anomalies.push({ kind: 'no-leader', message: `${name} has no leader after heal and restarts` })
    const missing = p.replicas.filter((r) => !p.isr.includes(r))
    if (missing.length > 0) anomalies.push({ kind: 'isr-not-full', message: `${name}: replicas ${missing.join(', ')} are not back in the ISR [${p.isr.join(', ')}]` })
  }
  return oracleReport('every partition has a leader and a full ISR', partitions.length, anomalies)
}

/** A group's position in one partition against the log's end. */
export interface GroupLag {
  readonly group: string
  readonly topic: string
  readonly partition: number
  /** The group's committed offset, -1 if none. */
  readonly committed: number
  /** The offset a caught-up group commits: the high watermark (read_committed: the last stable offset past markers). */
  readonly end: number
}

/**
 * Checks every group committed up to the end of every partition it consumes. A partition that never held a record
 * (end 0) needs no commit: a consumer commits what it processed, and there was nothing.
 */
export function checkConsumersCaughtUp(lags: readonly GroupLag[]): OracleReport {
  const anomalies: Anomaly[] = lags
    .filter((l) => l.committed < l.end && !(l.committed === -1 && l.end === 0))
    .map((l) => ({ kind: 'consumer-behind', message: `group ${l.group} ${l.topic}/${l.partition}: committed ${l.committed} of ${l.end} after the faults ended` }))
  return oracleReport('consumers catch up after recovery', lags.length, anomalies)
}

/** A client call: when it started, its own timeout, and when (if ever) it settled, in cluster time. */
export interface CallRecord {
  readonly name: string
  readonly started: number
  /** The longest the call may take by its own configuration (request timeout times attempts, and so on). */
  readonly timeoutMs: number
  readonly settled: number | null
}

/** Checks every call settled, within its own timeout. */
export function checkCallsSettled(calls: readonly CallRecord[]): OracleReport {
  const anomalies: Anomaly[] = []
  for (const c of calls) {
    if (c.settled === null) anomalies.push({ kind: 'call-never-settled', message: `${c.name}, started at ${c.started}, never settled (its timeout is ${c.timeoutMs} ms)` })
    else if (c.settled - c.started > c.timeoutMs) anomalies.push({ kind: 'call-over-timeout', message: `${c.name} took ${c.settled - c.started} ms, beyond its ${c.timeoutMs} ms` })
  }
  return oracleReport('every client call settles within its timeout', calls.length, anomalies)
}

/** Checks no error escaped: unhandled promise rejections and uncaught exceptions seen during the run. */
export function checkNoUnhandledErrors(errors: readonly unknown[]): OracleReport {
  const anomalies = errors.map((e) => ({ kind: 'unhandled-error', message: e instanceof Error ? `${e.name}: ${e.message}` : `non-Error thrown: ${String(e)}` }))
  return oracleReport('no unhandled rejection or uncaught exception', errors.length, anomalies)
}

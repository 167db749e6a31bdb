/**
 * Committed offsets as the group's promise: a committed offset never moves backwards unless the user seeks or
 * resets, and after a member joins, it delivers nothing below the offset the group had committed (at-least-once
 * redelivers from the commit, never from before it).
 */
import type { CommitEvent, Delivery, GenerationAssignment } from './observations.js'
import { oracleReport, type Anomaly, type OracleReport } from './oracle-report.js'

function key(e: { group: string; topic: string; partition: number }): string {
  return `${e.group}\u0000${e.topic}/${e.partition}`
}

/** Checks, in event order, that each group-partition's successful commits never go lower without a seek in between. */
export function checkCommittedMonotonic(events: readonly CommitEvent[]): OracleReport {
  const anomalies: Anomaly[] = []
  const last = new Map<string, CommitEvent>()
  const ordered = [...events].sort((a, b) => a.seq - b.seq)
  for (const e of ordered) {
    const k = key(e)
    if (e.cause === 'seek') {
      last.delete(k)
      continue
    }
    const before = last.get(k)
    if (before !== undefined && e.offset < before.offset) {
      anomalies.push({
        kind: 'committed-backwards',
        message: `group ${e.group} ${e.topic}/${e.partition}: ${e.member} committed ${e.offset} (event ${e.seq}) after ${before.member} had committed ${before.offset} (event ${before.seq}), with no seek or reset in between`,
      })
    }
    if (before === undefined || e.offset >= before.offset) last.set(k, e)
  }
  return oracleReport('committed offsets never move backwards', events.length, anomalies)
}

/**
 * Checks that every delivery to a member is at or above what its group had committed for that partition when the
 * member last joined (got an assignment) before the delivery, unless a seek came in between.
 */
export function checkNoDeliveryBelowCommit(deliveries: readonly Delivery[], joins: readonly GenerationAssignment[], commits: readonly CommitEvent[]): OracleReport {
  type Event = { seq: number } & ({ t: 'd'; d: Delivery } | { t: 'j'; j: GenerationAssignment } | { t: 'c'; c: CommitEvent })
  const events: Event[] = [
    ...deliveries.map((d) => ({ seq: d.seq, t: 'd' as const, d })),
    ...joins.map((j) => ({ seq: j.seq, t: 'j' as const, j })),
    ...commits.map((c) => ({ seq: c.seq, t: 'c' as const, c })),
  ].sort((a, b) => a.seq - b.seq)
  const committed = new Map<string, number>()
  /** Per member and partition: the group's commit when the member last joined, and at which event. */
  const floor = new Map<string, { offset: number; seq: number }>()
  const anomalies: Anomaly[] = []
  for (const e of events) {
    if (e.t === 'c') {
      const k = key(e.c)
      if (e.c.cause === 'seek') {
        committed.delete(k)
        for (const f of [...floor.keys()]) if (f.endsWith(`\u0000${k}`)) floor.delete(f)
      } else committed.set(k, Math.max(committed.get(k) ?? 0, e.c.offset))
    } else if (e.t === 'j') {
      for (const { topic, partition } of e.j.partitions) {
        const k = key({ group: e.j.group, topic, partition })
        const offset = committed.get(k)
        if (offset !== undefined) floor.set(`${e.j.member}\u0000${k}`, { offset, seq: e.seq })
      }
    } else {
      const k = key(e.d)
      const f = floor.get(`${e.d.member}\u0000${k}`)
      if (f !== undefined && e.d.offset < f.offset) {
        anomalies.push({
          kind: 'delivery-below-commit',
          message: `group ${e.d.group} ${e.d.topic}/${e.d.partition}: ${e.d.member} was delivered offset ${e.d.offset} (event ${e.seq}) after joining at event ${f.seq}, when the group had committed ${f.offset}`,
        })
      }
    }
  }
  return oracleReport('after a join, no delivery below the committed offset', deliveries.length, anomalies)
}

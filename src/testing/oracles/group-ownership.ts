/**
 * Exclusive ownership within a generation: the assignments a group's coordinator handed out for one generation
 * never give one partition to two members (Kafka's classic group protocol; with the cooperative protocol, KIP-429,
 * a partition moving between members is first revoked, so it is unowned for one generation, never owned twice).
 */
import type { GenerationAssignment } from './observations.js'
import { oracleReport, type Anomaly, type OracleReport } from './oracle-report.js'

/** Checks that within each group and generation no partition is assigned to two members. */
export function checkDisjointAssignments(assignments: readonly GenerationAssignment[]): OracleReport {
  const anomalies: Anomaly[] = []
  const owner = new Map<string, string>()
  for (const a of assignments) {
    for (const { topic, partition } of a.partitions) {
      const key = `${a.group}\u0000${a.generation}\u0000${topic}/${partition}`
      const first = owner.get(key)
      if (first === undefined) owner.set(key, a.member)
      else if (first !== a.member) {
        anomalies.push({ kind: 'shared-assignment', message: `group ${a.group} generation ${a.generation}: ${topic}/${partition} assigned to both ${first} and ${a.member}` })
      }
    }
  }
  return oracleReport('assignments within a generation are disjoint', assignments.length, anomalies)
}

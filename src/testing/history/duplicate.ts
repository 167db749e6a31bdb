/**
 * Jepsen's duplicate: one value at two or more offsets of a partition, i.e. a record written twice. At-least-once
 * producers do this when a retry follows a lost acknowledgement; an idempotent producer (KIP-98) must not.
 */
import { quote } from './describe-op.js'
import type { Duplicate } from './history-report.js'
import { partitionName, type ObservedLog } from './observed-log.js'

/** Finds every value seen at more than one offset of its partition. */
export function findDuplicates(log: ObservedLog): Duplicate[] {
  const found: Duplicate[] = []
  for (const p of log.values()) {
    const inPartition: Duplicate[] = []
    for (const [value, offsetSet] of p.offsetsOfValue) {
      if (offsetSet.size < 2) continue
      const offsets = [...offsetSet].sort((a, b) => a - b)
      inPartition.push({
        topic: p.topic,
        partition: p.partition,
        value,
        offsets,
        explanation: `${partitionName(p)}: value ${quote(value)} appears at ${offsets.length} offsets (${offsets.join(', ')})`,
      })
    }
    found.push(...inPartition.sort((a, b) => a.offsets[0]! - b.offsets[0]!))
  }
  return found
}

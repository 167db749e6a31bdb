/**
 * Jepsen's inconsistent-offsets: one offset of a partition seen holding two different values. In Kafka an offset
 * names one record forever, so this means the log was rewritten under a reader or an acknowledgement was wrong.
 */
import { describeOp, quote } from './describe-op.js'
import type { InconsistentOffset, ValueWitnesses } from './history-report.js'
import { partitionName, type ObservedLog } from './observed-log.js'

/** Finds every offset seen with more than one value, in partition then offset order. */
export function findInconsistentOffsets(log: ObservedLog): InconsistentOffset[] {
  const found: InconsistentOffset[] = []
  for (const p of log.values()) {
    const offsets = [...p.atOffset.keys()].sort((a, b) => a - b)
    for (const offset of offsets) {
      const seen = p.atOffset.get(offset)!
      if (seen.size < 2) continue
      const values: ValueWitnesses[] = [...seen]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([value, witnesses]) => ({ value, witnesses }))
      const sightings = values
        .map(({ value, witnesses }) => {
          const w = witnesses[0]!
          const more = witnesses.length > 1 ? ` and ${witnesses.length - 1} more` : ''
          return `${quote(value)} (${w.as === 'ack' ? 'acknowledged to' : 'read by'} ${describeOp(w.op)}${more})`
        })
        .join(' vs ')
      found.push({
        topic: p.topic,
        partition: p.partition,
        offset,
        values,
        explanation: `${partitionName(p)} offset ${offset} was seen holding ${values.length} different values: ${sightings}`,
      })
    }
  }
  return found
}

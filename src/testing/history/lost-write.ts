/**
 * Jepsen's lost-write: an acknowledged send at or below the highest offset polled in its partition that no poll
 * ever returned. Consumers read past it, so it should have been read; the log must have lost it. In a drained
 * history (consumers read every partition to its end), every acknowledged send counts.
 */
import { describeOp, quote, quoteAll } from './describe-op.js'
import type { LostWrite } from './history-report.js'
import { partitionName, type ObservedLog } from './observed-log.js'

/** Finds every lost write, in partition then offset order. */
export function findLostWrites(log: ObservedLog, drained: boolean): LostWrite[] {
  const lost: LostWrite[] = []
  for (const p of log.values()) {
    const highest = p.highestPolled ?? null
    if (highest === null && !drained) continue
    const acks = [...p.acks].sort((a, b) => a.offset - b.offset)
    for (const ack of acks) {
      if ((!drained && ack.offset > highest!.offset) || p.readValues.has(ack.value)) continue
      const readInstead = [...(p.atOffset.get(ack.offset) ?? [])]
        .filter(([value, witnesses]) => value !== ack.value && witnesses.some((w) => w.as === 'read'))
        .map(([value]) => value)
        .sort()
      const instead = readInstead.length > 0 ? `; polls read ${quoteAll(readInstead)} at that offset instead` : ''
      lost.push({
        topic: p.topic,
        partition: p.partition,
        offset: ack.offset,
        value: ack.value,
        send: ack.op,
        highestPolled: highest,
        readInstead,
        explanation:
          `${partitionName(p)} offset ${ack.offset}: value ${quote(ack.value)} was acknowledged by ${describeOp(ack.op)}, ` +
          `but no poll ever returned it, although ` +
          (drained && (highest === null || ack.offset > highest.offset)
            ? `the final reads drained the partition to its end${highest === null ? '' : ` (offset ${highest.offset})`}${instead}`
            : `${describeOp(highest!.op)} polled up to offset ${highest!.offset}${instead}`),
      })
    }
  }
  return lost
}

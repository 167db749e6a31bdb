/**
 * Reads of values that should not exist: never sent at all, or sent only by sends that definitely failed
 * (Jepsen's aborted read, G1a). A send with an unknown outcome (`info`) may or may not have landed, so reading
 * it is fine.
 */
import { describeOp, quote } from './describe-op.js'
import type { OperationRef, UnexpectedValue } from './history-report.js'
import { partitionName, refOf, type ObservedLog } from './observed-log.js'
import type { Operation } from './operation.js'

interface SendsOfValue {
  mayHaveLanded: boolean
  readonly failed: OperationRef[]
}

/**
 * Finds every read of a value no send can explain.
 *
 * @param allSendsRecorded when false, values with no send at all are not reported (only failed ones are)
 */
export function findUnexpectedValues(
  operations: readonly Operation[],
  log: ObservedLog,
  allSendsRecorded: boolean,
): UnexpectedValue[] {
  const sends = new Map<string, SendsOfValue>()
  operations.forEach((op, index) => {
    if (op.type !== 'send') return
    const key = JSON.stringify([op.topic, op.value])
    let s = sends.get(key)
    if (s === undefined) sends.set(key, (s = { mayHaveLanded: false, failed: [] }))
    if (op.outcome.type === 'fail') s.failed.push(refOf(op, index))
    else s.mayHaveLanded = true
  })
  const found: UnexpectedValue[] = []
  for (const p of log.values()) {
    const offsets = [...p.atOffset.keys()].sort((a, b) => a - b)
    for (const offset of offsets) {
      for (const [value, witnesses] of p.atOffset.get(offset)!) {
        const readBy = witnesses.filter((w) => w.as === 'read').map((w) => w.op)
        if (readBy.length === 0) continue
        const s = sends.get(JSON.stringify([p.topic, value]))
        if (s?.mayHaveLanded) continue
        if (s === undefined && !allSendsRecorded) continue
        const reason = s === undefined ? 'never-sent' : 'failed-send'
        const failedSends = s?.failed ?? []
        const why =
          reason === 'never-sent'
            ? 'no send in the history produced it'
            : `its only send${failedSends.length > 1 ? 's' : ''} ${failedSends.map(describeOp).join(', ')} failed`
        found.push({
          topic: p.topic,
          partition: p.partition,
          offset,
          value,
          reason,
          readBy,
          failedSends,
          explanation: `${partitionName(p)} offset ${offset}: ${describeOp(readBy[0]!)} read ${quote(value)}, but ${why}`,
        })
      }
    }
  }
  return found
}

/**
 * Jepsen's nonmonotonic-send: a process sends one record at a time, so each acknowledged send to a partition must
 * land after the previous one. An acknowledgement at or below an earlier one means an offset was handed out twice
 * (a truncated acks=1 write whose offset was reused) or sends were reordered.
 */
import { topicPartitionKey } from '../../protocol/topic-partition.js'
import { describeOp } from './describe-op.js'
import type { NonmonotonicSend, OffsetSeen } from './history-report.js'
import { partitionName, refOf } from './observed-log.js'
import type { Operation } from './operation.js'

/** Finds every acknowledged send that went backwards relative to the same process's previous one to that partition. */
export function findNonmonotonicSends(operations: readonly Operation[]): NonmonotonicSend[] {
  const found: NonmonotonicSend[] = []
  const last = new Map<string, OffsetSeen>()
  operations.forEach((op, index) => {
    if (op.type !== 'send' || op.outcome.type !== 'ok') return
    const { partition, offset } = op.outcome
    const key = JSON.stringify([op.process, topicPartitionKey(op.topic, partition)])
    const previous = last.get(key)
    const next: OffsetSeen = { offset, op: refOf(op, index) }
    last.set(key, next)
    if (previous === undefined || offset > previous.offset) return
    found.push({
      process: op.process,
      topic: op.topic,
      partition,
      previous,
      next,
      explanation:
        `process ${op.process} had a send to ${partitionName({ topic: op.topic, partition })} acknowledged at offset ` +
        `${previous.offset} by ${describeOp(previous.op)}, then its next one at offset ${offset} by ${describeOp(next.op)}`,
    })
  })
  return found
}

/**
 * Jepsen's nonmonotonic-poll and poll-skip (with their in-one-poll forms, int-nonmonotonic-poll and int-poll-skip):
 * a consumer that keeps a partition reads it in offset order, each record once, none jumped over. A rebalance
 * resets this (the consumer resumes from the committed offset), as do a seek and losing the partition in an assign.
 */
import { topicPartitionKey } from '../../protocol/topic-partition.js'
import { describeOp, quoteAll } from './describe-op.js'
import type { NonmonotonicPoll, OffsetSeen, PollSkip } from './history-report.js'
import { partitionName, refOf, type ObservedLog, type ObservedPartition } from './observed-log.js'
import type { Operation } from './operation.js'

/** How many skipped offsets a poll-skip entry lists. */
const SKIPPED_SHOWN = 10

/** What {@link findConsumerOrderAnomalies} found. */
export interface ConsumerOrderAnomalies {
  readonly nonmonotonicPoll: NonmonotonicPoll[]
  readonly pollSkip: PollSkip[]
}

/**
 * Walks each consumer's operations in order, remembering the last offset it read of each partition it keeps.
 *
 * @param allowOffsetGaps when true, only skipped offsets some operation saw holding a record count as skipped;
 *   when false, offsets are dense and every offset in between counts
 */
export function findConsumerOrderAnomalies(
  operations: readonly Operation[],
  log: ObservedLog,
  allowOffsetGaps: boolean,
): ConsumerOrderAnomalies {
  const found: ConsumerOrderAnomalies = { nonmonotonicPoll: [], pollSkip: [] }
  const positions = new Map<string, Map<string, OffsetSeen>>()
  const positionsOf = (process: string): Map<string, OffsetSeen> => {
    let p = positions.get(process)
    if (p === undefined) positions.set(process, (p = new Map()))
    return p
  }
  operations.forEach((op, index) => {
    switch (op.type) {
      case 'rebalance':
        positions.delete(op.process)
        break
      case 'assign': {
        const kept = new Set(op.partitions.map((tp) => topicPartitionKey(tp.topic, tp.partition)))
        const mine = positionsOf(op.process)
        for (const key of [...mine.keys()]) if (!kept.has(key)) mine.delete(key)
        break
      }
      case 'seek':
        positionsOf(op.process).delete(topicPartitionKey(op.topic, op.partition))
        break
      case 'poll': {
        const mine = positionsOf(op.process)
        const ref = refOf(op, index)
        for (const record of op.records) {
          const key = topicPartitionKey(record.topic, record.partition)
          const previous = mine.get(key)
          const next: OffsetSeen = { offset: record.offset, op: ref }
          mine.set(key, next)
          if (previous === undefined) continue
          const observed = log.get(key)!
          if (next.offset <= previous.offset) {
            found.nonmonotonicPoll.push(nonmonotonic(op.process, observed, previous, next))
          } else if (next.offset > previous.offset + 1) {
            const skip = pollSkip(op.process, observed, previous, next, allowOffsetGaps)
            if (skip !== undefined) found.pollSkip.push(skip)
          }
        }
        break
      }
      default:
        break
    }
  })
  return found
}

function nonmonotonic(process: string, p: ObservedPartition, previous: OffsetSeen, next: OffsetSeen): NonmonotonicPoll {
  const sameOperation = previous.op.index === next.op.index
  const direction = next.offset === previous.offset ? 'the same offset again' : 'backwards'
  return {
    process,
    topic: p.topic,
    partition: p.partition,
    previous,
    next,
    sameOperation,
    explanation: `${twoReads(process, p, previous, next)}: ${direction}, with no rebalance, assign or seek in between`,
  }
}

function pollSkip(
  process: string,
  p: ObservedPartition,
  previous: OffsetSeen,
  next: OffsetSeen,
  allowOffsetGaps: boolean,
): PollSkip | undefined {
  let skippedCount: number
  let shown: number[]
  if (allowOffsetGaps) {
    shown = p.seenOffsetsBetween(previous.offset, next.offset)
    skippedCount = shown.length
    if (skippedCount === 0) return undefined
    shown = shown.slice(0, SKIPPED_SHOWN)
  } else {
    skippedCount = next.offset - previous.offset - 1
    shown = []
    for (let o = previous.offset + 1; o < next.offset && shown.length < SKIPPED_SHOWN; o++) shown.push(o)
  }
  const skipped = shown.map((offset) => ({ offset, values: p.valuesAt(offset) }))
  const sameOperation = previous.op.index === next.op.index
  const seenValues = skipped.flatMap((s) => s.values)
  const known = seenValues.length > 0 ? `; others saw ${quoteAll(seenValues)} there` : ''
  const which = skippedCount === 1 ? `offset ${shown[0]}` : `${skippedCount} offsets holding records`
  return {
    process,
    topic: p.topic,
    partition: p.partition,
    previous,
    next,
    skippedCount,
    skipped,
    sameOperation,
    explanation: `${twoReads(process, p, previous, next)}: skipped ${which}, with no rebalance, assign or seek in between${known}`,
  }
}

function twoReads(process: string, p: ObservedPartition, previous: OffsetSeen, next: OffsetSeen): string {
  const reads = `consumer ${process} read ${partitionName(p)} offset ${previous.offset}`
  return previous.op.index === next.op.index
    ? `${reads} then offset ${next.offset} within one poll, ${describeOp(next.op)}`
    : `${reads} in ${describeOp(previous.op)}, then offset ${next.offset} in ${describeOp(next.op)}`
}

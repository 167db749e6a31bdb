/**
 * Single faults injected into a valid history, each with the anomaly the checker must then report:
 * drop every read of a record (lost-write), change a read value (inconsistent-offsets), swap two polls of a
 * consumer (nonmonotonic-poll), drop one consumer's read between two others (poll-skip).
 */
import type { HistoryReport, Operation, PollOperation, ReadRecord } from '../../../src/testing/history/index.js'

/** A mutated history and the check its report must pass. */
export interface Mutation {
  readonly operations: Operation[]
  readonly description: string
  readonly reported: (report: HistoryReport) => boolean
}

/** Picks one of the candidates a mutation could apply to, from a generated choice. */
type Mutator = (ops: readonly Operation[], choice: number, gaps: boolean) => Mutation | undefined

const sameTp = (a: { topic: string; partition: number }, b: { topic: string; partition: number }): boolean =>
  a.topic === b.topic && a.partition === b.partition

function pick<T>(candidates: readonly T[], choice: number): T | undefined {
  return candidates.length === 0 ? undefined : candidates[choice % candidates.length]
}

function acks(ops: readonly Operation[]): { topic: string; partition: number; offset: number; value: string }[] {
  return ops.flatMap((op) =>
    op.type === 'send' && op.outcome.type === 'ok'
      ? [{ topic: op.topic, partition: op.outcome.partition, offset: op.outcome.offset, value: op.value }]
      : [],
  )
}

function withRecords(ops: readonly Operation[], index: number, records: ReadRecord[]): Operation[] {
  const copy = ops.slice()
  copy[index] = { ...(ops[index] as PollOperation), records }
  return copy
}

function highestPolled(ops: readonly Operation[], tp: { topic: string; partition: number }): number {
  let max = -1
  for (const op of ops) if (op.type === 'poll') for (const r of op.records) if (sameTp(r, tp)) max = Math.max(max, r.offset)
  return max
}

/** Removes every read of one acknowledged record strictly below its partition's highest polled offset. */
const dropReadValue: Mutator = (ops, choice) => {
  const target = pick(
    acks(ops).filter((a) => a.offset < highestPolled(ops, a)),
    choice,
  )
  if (target === undefined) return undefined
  const operations = ops.map((op) =>
    op.type === 'poll' ? { ...op, records: op.records.filter((r) => !(sameTp(r, target) && r.value === target.value)) } : op,
  )
  return {
    operations,
    description: `dropped every read of ${target.value} at ${target.topic}-${target.partition}@${target.offset}`,
    reported: (report) =>
      report.anomalies.lostWrite.some((l) => sameTp(l, target) && l.offset === target.offset && l.value === target.value),
  }
}

/** Changes the value one poll read at an offset whose send was acknowledged. */
const changeValue: Mutator = (ops, choice) => {
  const acked = new Set(acks(ops).map((a) => JSON.stringify([a.topic, a.partition, a.offset])))
  const candidates = ops.flatMap((op, index) =>
    op.type === 'poll'
      ? op.records.flatMap((r, i) => (acked.has(JSON.stringify([r.topic, r.partition, r.offset])) ? [{ index, i, r }] : []))
      : [],
  )
  const target = pick(candidates, choice)
  if (target === undefined) return undefined
  const records = (ops[target.index] as PollOperation).records.slice()
  records[target.i] = { ...target.r, value: `${target.r.value}-changed` }
  return {
    operations: withRecords(ops, target.index, records),
    description: `op #${target.index} read ${target.r.value}-changed at ${target.r.topic}-${target.r.partition}@${target.r.offset}`,
    reported: (report) =>
      report.anomalies.inconsistentOffsets.some((e) => sameTp(e, target.r) && e.offset === target.r.offset),
  }
}

/** Swaps a consumer's poll with its next operation, when that is a poll reading a partition in common. */
const reorderPolls: Mutator = (ops, choice) => {
  const candidates: { i: number; j: number; process: string; tp: { topic: string; partition: number } }[] = []
  const lastOf = new Map<string, number>()
  ops.forEach((op, j) => {
    const i = lastOf.get(op.process)
    lastOf.set(op.process, j)
    if (i === undefined || op.type !== 'poll') return
    const before = ops[i]!
    if (before.type !== 'poll') return
    const common = op.records.find((r) => before.records.some((b) => sameTp(b, r)))
    if (common !== undefined) candidates.push({ i, j, process: op.process, tp: common })
  })
  const target = pick(candidates, choice)
  if (target === undefined) return undefined
  const operations = ops.slice()
  operations[target.i] = ops[target.j]!
  operations[target.j] = ops[target.i]!
  return {
    operations,
    description: `swapped polls #${target.i} and #${target.j} of ${target.process}`,
    reported: (report) =>
      report.anomalies.nonmonotonicPoll.some((e) => e.process === target.process && sameTp(e, target.tp)),
  }
}

/**
 * Drops one read that a consumer made between two others of the same partition, with no position change around.
 * With offset gaps allowed, only a read of an acknowledged record qualifies: otherwise nothing else shows that
 * the offset holds a record, and the checker rightly says nothing.
 */
const skipOffset: Mutator = (ops, choice, gaps) => {
  const acked = new Set(acks(ops).map((a) => JSON.stringify([a.topic, a.partition, a.offset])))
  type Read = { index: number; i: number; r: ReadRecord }
  const sequences = new Map<string, Read[]>()
  const candidates: { read: Read; process: string }[] = []
  const flush = (key: string, process: string): void => {
    const reads = sequences.get(key) ?? []
    for (let k = 1; k + 1 < reads.length; k++) {
      const r = reads[k]!.r
      if (!gaps || acked.has(JSON.stringify([r.topic, r.partition, r.offset]))) candidates.push({ read: reads[k]!, process })
    }
    sequences.delete(key)
  }
  ops.forEach((op, index) => {
    const mine = [...sequences.keys()].filter((k) => JSON.parse(k)[0] === op.process)
    if (op.type === 'rebalance' || op.type === 'seek') for (const key of mine) flush(key, op.process)
    if (op.type !== 'poll') return
    op.records.forEach((r, i) => {
      const key = JSON.stringify([op.process, r.topic, r.partition])
      const reads = sequences.get(key) ?? []
      reads.push({ index, i, r })
      sequences.set(key, reads)
    })
  })
  for (const key of [...sequences.keys()]) flush(key, JSON.parse(key)[0])
  const target = pick(candidates, choice)
  if (target === undefined) return undefined
  const { index, i, r } = target.read
  const records = (ops[index] as PollOperation).records.filter((_, k) => k !== i)
  return {
    operations: withRecords(ops, index, records),
    description: `dropped ${target.process}'s read of ${r.topic}-${r.partition}@${r.offset} from op #${index}`,
    reported: (report) =>
      report.anomalies.pollSkip.some(
        (e) => e.process === target.process && sameTp(e, r) && e.previous.offset < r.offset && e.next.offset > r.offset,
      ),
  }
}

/** The mutations, by name. */
export const MUTATIONS = {
  'drop a read record': dropReadValue,
  'change a value': changeValue,
  'reorder a poll': reorderPolls,
  'skip an offset': skipOffset,
} as const satisfies Record<string, Mutator>

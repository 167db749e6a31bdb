/**
 * Random histories of a correct Kafka, for the checker's properties: a model log per partition that sends append to
 * at increasing offsets (with gaps, when transaction markers are modelled), and consumers that read contiguous
 * ranges from positions they only ever move back to what someone already read (rebalance, seek), so that every
 * acknowledged record at or below the highest polled offset has been read.
 */
import fc from 'fast-check'
import type { Operation, ReadRecord, TopicPartition } from '../../../src/testing/history/index.js'

export const PARTITIONS: readonly TopicPartition[] = [
  { topic: 't', partition: 0 },
  { topic: 't', partition: 1 },
  { topic: 'u', partition: 0 },
]

type Step =
  | { kind: 'send'; process: number; tp: number; outcome: 'ok' | 'fail' | 'info-landed' | 'info-lost'; gap: number }
  | { kind: 'poll'; consumer: number; reads: { tp: number; count: number }[] }
  | { kind: 'rebalance'; consumer: number; rewind: number[] }
  | { kind: 'seek'; consumer: number; tp: number; rewind: number }
  | { kind: 'assign'; consumer: number }
  | { kind: 'commit'; consumer: number }
  | { kind: 'fault'; description: string }

const tp = fc.nat(PARTITIONS.length - 1)
const consumer = fc.nat(2)
const fraction = fc.nat(100).map((n) => n / 100)

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      process: fc.nat(2),
      tp,
      outcome: fc.constantFrom('ok' as const, 'ok' as const, 'ok' as const, 'fail' as const, 'info-landed' as const, 'info-lost' as const),
      gap: fc.nat(2),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('poll' as const),
      consumer,
      reads: fc.array(fc.record({ tp, count: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('rebalance' as const),
      consumer,
      rewind: fc.array(fraction, { minLength: PARTITIONS.length, maxLength: PARTITIONS.length }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('seek' as const), consumer, tp, rewind: fraction }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('assign' as const), consumer }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('commit' as const), consumer }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('fault' as const),
      description: fc.constantFrom('crash broker 1', 'restart broker 1', 'isolate broker 2', 'heal'),
    }),
  },
)

/** A generated history, and whether its offsets have gaps (so it must be checked with allowOffsetGaps). */
export interface ModelHistory {
  readonly operations: Operation[]
  readonly gaps: boolean
}

/** Runs the steps against the model log and records what a correct Kafka would have shown. */
function simulate(steps: readonly Step[], gaps: boolean): ModelHistory {
  const logs = PARTITIONS.map(() => [] as { offset: number; value: string }[])
  const nextOffset = PARTITIONS.map(() => 0)
  // Every record at an index below readPrefix[tp] has been read by someone.
  const readPrefix = PARTITIONS.map(() => 0)
  const positions = [0, 1, 2].map(() => PARTITIONS.map(() => 0))
  const ops: Operation[] = []
  let time = 0
  let sent = 0
  const rewindTo = (tpIndex: number, f: number): number => Math.floor(f * (readPrefix[tpIndex]! + 1) * 0.999)
  for (const s of steps) {
    time += 1
    switch (s.kind) {
      case 'send': {
        const { topic, partition } = PARTITIONS[s.tp]!
        const value = `v${sent++}`
        const base = { type: 'send', process: `p${s.process}`, time, topic, key: null, value } as const
        if (s.outcome === 'fail') {
          ops.push({ ...base, outcome: { type: 'fail', error: 'NOT_ENOUGH_REPLICAS' } })
          break
        }
        if (s.outcome !== 'info-lost') {
          const offset = nextOffset[s.tp]! + (gaps ? s.gap : 0)
          nextOffset[s.tp] = offset + 1
          logs[s.tp]!.push({ offset, value })
          if (s.outcome === 'ok') {
            ops.push({ ...base, partition, outcome: { type: 'ok', partition, offset } })
            break
          }
        }
        ops.push({ ...base, outcome: { type: 'info', error: 'REQUEST_TIMED_OUT' } })
        break
      }
      case 'poll': {
        const records: ReadRecord[] = []
        for (const r of s.reads) {
          const log = logs[r.tp]!
          const pos = positions[s.consumer]!
          const end = Math.min(log.length, pos[r.tp]! + r.count)
          for (let i = pos[r.tp]!; i < end; i++) {
            records.push({ ...PARTITIONS[r.tp]!, offset: log[i]!.offset, key: null, value: log[i]!.value })
          }
          pos[r.tp] = Math.max(pos[r.tp]!, end)
          readPrefix[r.tp] = Math.max(readPrefix[r.tp]!, end)
        }
        ops.push({ type: 'poll', process: `c${s.consumer}`, time, records })
        break
      }
      case 'rebalance':
        positions[s.consumer] = PARTITIONS.map((_, i) => rewindTo(i, s.rewind[i]!))
        ops.push({ type: 'rebalance', process: `c${s.consumer}`, time, partitions: PARTITIONS })
        break
      case 'seek': {
        const to = rewindTo(s.tp, s.rewind)
        positions[s.consumer]![s.tp] = to
        const offset = logs[s.tp]![to]?.offset ?? nextOffset[s.tp]!
        ops.push({ type: 'seek', process: `c${s.consumer}`, time, ...PARTITIONS[s.tp]!, offset })
        break
      }
      case 'assign':
        ops.push({ type: 'assign', process: `c${s.consumer}`, time, partitions: PARTITIONS })
        break
      case 'commit': {
        const pos = positions[s.consumer]!
        const offsets = PARTITIONS.map((p, i) => ({ ...p, offset: logs[i]![pos[i]!]?.offset ?? nextOffset[i]! }))
        ops.push({ type: 'commit', process: `c${s.consumer}`, time, offsets, outcome: { type: 'ok' } })
        break
      }
      case 'fault':
        ops.push({ type: 'fault', process: 'nemesis', time, description: s.description })
        break
    }
  }
  return { operations: ops, gaps }
}

/** Histories of a correct log: 10 to 80 steps, with offset gaps in about half of them. */
export const modelHistory: fc.Arbitrary<ModelHistory> = fc
  .tuple(fc.array(step, { minLength: 10, maxLength: 80, size: 'medium' }), fc.boolean())
  .map(([steps, gaps]) => simulate(steps, gaps))

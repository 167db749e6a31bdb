/**
 * The oracles, each with a negative control: a deliberately broken observation that it must flag (and a sound one
 * it must pass), so that a green adversary campaign means the guarantees held, not that the oracles were blind.
 */
import { describe, expect, it } from 'vitest'
import { History } from 'kafkalite'
import {
  checkAcknowledgedWrites,
  checkCallsSettled,
  checkClusterRecovered,
  checkCommittedMonotonic,
  checkConsumersCaughtUp,
  checkDenseOffsets,
  checkDisjointAssignments,
  checkExactlyOnceTransform,
  checkHistoryOracle,
  checkNoDeliveryBelowCommit,
  checkNoDuplicates,
  checkNoUnhandledErrors,
  checkReadCommitted,
  checkReadsInLog,
  checkSameHistory,
  formatOracleReports,
  type CommitEvent,
  type Delivery,
  type FinalLog,
  type GenerationAssignment,
  type OracleReport,
} from '../../../src/testing/oracles/index.js'

const rec = (partition: number, offset: number, value: string, topic = 't') => ({ topic, partition, offset, value })
const log = (records: FinalLog['records'], high = records.length): FinalLog => ({ records, extents: [{ topic: 't', partition: 0, logStartOffset: 0, highWatermark: high }] })
const kinds = (report: OracleReport): string[] => report.anomalies.map((a) => a.kind)
const delivery = (offset: number, value: string, seq: number, member = 'm1'): Delivery => ({ ...rec(0, offset, value), group: 'g', member, seq })
const commit = (offset: number, seq: number, cause: CommitEvent['cause'] = 'commit', member = 'm1'): CommitEvent => ({ group: 'g', topic: 't', partition: 0, offset, member, seq, cause })
const join = (member: string, generation: number, seq: number, partitions = [0]): GenerationAssignment => ({ group: 'g', generation, member, seq, partitions: partitions.map((partition) => ({ topic: 't', partition })) })

describe('oracles flag what they are about (negative controls)', () => {
  it('acknowledged writes: a record acknowledged at an offset the final log does not hold is lost', () => {
    const final = log([rec(0, 0, 'a'), rec(0, 1, 'b')])
    expect(checkAcknowledgedWrites([{ ...rec(0, 1, 'b'), producer: 'p' }], final).anomalies).toEqual([])
    const lost = checkAcknowledgedWrites([{ ...rec(0, 1, 'c'), producer: 'p' }, { ...rec(0, 2, 'd'), producer: 'p' }], final)
    expect(kinds(lost)).toEqual(['lost-ack', 'lost-ack'])
    expect(lost.anomalies[0]!.message).toContain('holds "b"')
    const invisible = checkAcknowledgedWrites([{ ...rec(0, 1, 'b'), producer: 'p' }], final, log([rec(0, 0, 'a')]))
    expect(kinds(invisible)).toEqual(['lost-ack-read-committed'])
  })

  it('dense offsets: a compacted partition may have holes (the log cleaner left them)', () => {
    const compacted: FinalLog = { records: [rec(0, 0, 'a'), rec(0, 2, 'c')], extents: [{ topic: 't', partition: 0, logStartOffset: 0, highWatermark: 3, compacted: true }] }
    expect(checkDenseOffsets(compacted, ['t']).anomalies).toEqual([])
  })

  it('dense offsets: a hole below the high watermark is a gap', () => {
    expect(checkDenseOffsets(log([rec(0, 0, 'a'), rec(0, 1, 'b')]), ['t']).anomalies).toEqual([])
    expect(kinds(checkDenseOffsets(log([rec(0, 0, 'a'), rec(0, 2, 'c')], 3), ['t']))).toEqual(['offset-gap'])
  })

  it('duplicates: one value at two offsets', () => {
    expect(kinds(checkNoDuplicates(log([rec(0, 0, 'a'), rec(0, 1, 'a')]), ['t']))).toEqual(['duplicate'])
    expect(checkNoDuplicates(log([rec(0, 0, 'a'), rec(0, 1, 'a')]), ['other']).anomalies).toEqual([])
  })

  it('consumer reads: a read the final log does not hold at its offset', () => {
    const final = log([rec(0, 0, 'a')])
    expect(checkReadsInLog([delivery(0, 'a', 1)], final).anomalies).toEqual([])
    expect(kinds(checkReadsInLog([delivery(0, 'x', 1), delivery(1, 'b', 2)], final))).toEqual(['read-not-in-log', 'read-not-in-log'])
  })

  it('read_committed: a record of an aborted or an open transaction', () => {
    const reads = [rec(0, 0, 'ok'), rec(0, 1, 'aborted'), rec(0, 2, 'open')]
    expect(kinds(checkReadCommitted(reads, new Set(['aborted']), new Set(['open'])))).toEqual(['read-aborted', 'read-open-transaction'])
    expect(checkReadCommitted([rec(0, 0, 'ok')], new Set(['aborted'])).anomalies).toEqual([])
  })

  it('consume-transform-produce: an input with no output, with two, and an output of no input', () => {
    const inputOf = (out: { value: string }): string | null => out.value.split(':')[1] ?? null
    expect(checkExactlyOnceTransform(['a'], [rec(0, 0, 'out:a')], inputOf).anomalies).toEqual([])
    const report = checkExactlyOnceTransform(['a', 'b'], [rec(0, 0, 'out:a'), rec(0, 1, 'out:a'), rec(0, 2, 'out:z')], inputOf)
    expect(kinds(report).sort()).toEqual(['transform-duplicate', 'transform-missing', 'transform-unexpected'])
  })

  it('consume-transform-produce: a missing output is lost if its commit was acknowledged, else the pipeline stalled', () => {
    const inputOf = (out: { value: string }): string | null => out.value.split(':')[1] ?? null
    const report = checkExactlyOnceTransform(['a', 'b', 'c'], [rec(0, 0, 'out:a')], inputOf, new Set(['a', 'b']))
    expect(report.anomalies.map((a) => `${a.kind} ${a.message.split('"')[1]}`)).toEqual(['transform-lost b', 'transform-missing c'])
    expect(checkExactlyOnceTransform(['a'], [rec(0, 0, 'out:a')], inputOf, new Set(['a'])).anomalies).toEqual([])
  })

  it('assignments: one partition given to two members of one generation, but not across generations', () => {
    expect(checkDisjointAssignments([join('m1', 1, 1), join('m2', 2, 2)]).anomalies).toEqual([])
    expect(kinds(checkDisjointAssignments([join('m1', 1, 1), join('m2', 1, 2)]))).toEqual(['shared-assignment'])
  })

  it('committed offsets: a commit lower than an earlier one, unless a seek came between', () => {
    expect(kinds(checkCommittedMonotonic([commit(5, 1), commit(3, 2, 'commit', 'm2')]))).toEqual(['committed-backwards'])
    expect(checkCommittedMonotonic([commit(5, 1), commit(0, 2, 'seek'), commit(3, 3)]).anomalies).toEqual([])
  })

  it('after a join: a delivery below the offset the group had committed', () => {
    const commits = [commit(5, 1)]
    expect(checkNoDeliveryBelowCommit([delivery(5, 'f', 3, 'm2')], [join('m2', 2, 2)], commits).anomalies).toEqual([])
    expect(kinds(checkNoDeliveryBelowCommit([delivery(2, 'c', 3, 'm2')], [join('m2', 2, 2)], commits))).toEqual(['delivery-below-commit'])
    // A seek lowers the floor: the user asked for it.
    expect(checkNoDeliveryBelowCommit([delivery(2, 'c', 4, 'm2')], [join('m2', 2, 2)], [...commits, commit(0, 3, 'seek')]).anomalies).toEqual([])
  })

  it('liveness: a leaderless partition, a short ISR, a group behind, a call that never settled or overran, an unhandled error', () => {
    const healthy = { topic: 't', partition: 0, leader: 1, replicas: [0, 1, 2], isr: [0, 1, 2] }
    expect(checkClusterRecovered([healthy]).anomalies).toEqual([])
    expect(kinds(checkClusterRecovered([{ ...healthy, leader: -1, isr: [1] }]))).toEqual(['no-leader', 'isr-not-full'])
    expect(kinds(checkConsumersCaughtUp([{ group: 'g', topic: 't', partition: 0, committed: 3, end: 5 }]))).toEqual(['consumer-behind'])
    expect(kinds(checkConsumersCaughtUp([{ group: 'g', topic: 't', partition: 1, committed: -1, end: 0 }]))).toEqual([])
    expect(kinds(checkConsumersCaughtUp([{ group: 'g', topic: 't', partition: 2, committed: -1, end: 1 }]))).toEqual(['consumer-behind'])
    const calls = [
      { name: 'ok', started: 0, timeoutMs: 10, settled: 5 },
      { name: 'hang', started: 0, timeoutMs: 10, settled: null },
      { name: 'slow', started: 0, timeoutMs: 10, settled: 50 },
    ]
    expect(kinds(checkCallsSettled(calls))).toEqual(['call-never-settled', 'call-over-timeout'])
    expect(kinds(checkNoUnhandledErrors([new Error('boom'), undefined]))).toEqual(['unhandled-error', 'unhandled-error'])
  })

  it('determinism: two runs of a seed that part', () => {
    expect(checkSameHistory(['a', 'b'], ['a', 'b']).anomalies).toEqual([])
    expect(checkSameHistory(['a', 'b'], ['a', 'c']).anomalies[0]!.message).toContain('event 1')
    expect(kinds(checkSameHistory(['a'], ['a', 'b']))).toEqual(['nondeterministic'])
  })

  it('the history checker as an oracle: an inconsistent offset', () => {
    const history = new History({ now: () => 0 })
    history.record({ type: 'send', process: 'p', topic: 't', value: 'a', outcome: { type: 'ok', partition: 0, offset: 0 } })
    history.record({ type: 'poll', process: 'c', records: [{ topic: 't', partition: 0, offset: 0, value: 'b' }] })
    const report = checkHistoryOracle(history)
    expect(kinds(report)).toContain('history-inconsistentOffsets')
    expect(formatOracleReports([report])).toContain('history checker')
  })
})

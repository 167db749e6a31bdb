import { beforeEach, describe, expect, it } from 'vitest'
import { checkHistory, formatReport, History, HistoryError, type Operation } from '../../../src/testing/history/index.js'
import {
  assign,
  commit,
  fault,
  poll,
  rebalance,
  resetTime,
  seek,
  sendFailed,
  sendOk,
  sendUnknown,
} from './history-builders.js'

beforeEach(resetTime)

/** Three acked sends to t-0 at offsets 0..2, values a, b, c. */
function threeSends(): Operation[] {
  return [sendOk('p1', 0, 0, 'a'), sendOk('p1', 0, 1, 'b'), sendOk('p1', 0, 2, 'c')]
}

function anomalyCount(ops: Operation[], options = {}): Record<string, number> {
  const report = checkHistory(ops, options)
  return Object.fromEntries(Object.entries(report.anomalies).filter(([, v]) => v.length > 0).map(([k, v]) => [k, v.length]))
}

describe('checkHistory on clean histories', () => {
  it('an empty history is valid', () => {
    const report = checkHistory(new History())
    expect(report.valid).toBe(true)
    expect(report.stats.operations).toBe(0)
  })

  it('sends read in order by two consumers, with faults and commits around, are valid', () => {
    const ops = [
      ...threeSends(),
      fault('crash broker 1'),
      poll('c1', [[0, 0, 'a'], [0, 1, 'b']]),
      commit('c1', 0, 2),
      poll('c1', [[0, 2, 'c']]),
      poll('c2', [[0, 0, 'a']]),
      fault('restart broker 1'),
    ]
    const report = checkHistory(ops)
    expect(report.valid, formatReport(report)).toBe(true)
    expect(report.stats).toMatchObject({
      operations: 9,
      sends: { ok: 3, failed: 0, unknown: 0 },
      polls: 3,
      recordsRead: 4,
      commits: { ok: 1, failed: 0, unknown: 0 },
      faults: 2,
      partitions: 1,
      unseen: 0,
    })
  })

  it('acked records beyond what anyone polled are unseen, not lost', () => {
    const ops = [...threeSends(), poll('c1', [[0, 0, 'a']])]
    const report = checkHistory(ops)
    expect(report.valid).toBe(true)
    expect(report.stats.unseen).toBe(2)
  })

  it('a rebalance lets a consumer re-read from its committed offset (at-least-once)', () => {
    const ops = [...threeSends(), poll('c1', [[0, 0, 'a'], [0, 1, 'b']]), rebalance('c1', [0]), poll('c1', [[0, 1, 'b'], [0, 2, 'c']])]
    expect(checkHistory(ops).valid).toBe(true)
  })

  it('a seek lets a consumer move anywhere in that partition', () => {
    const ops = [...threeSends(), poll('c1', [[0, 1, 'b']]), seek('c1', 0, 0), poll('c1', [[0, 0, 'a']]), seek('c1', 0, 2), poll('c1', [[0, 2, 'c']])]
    expect(checkHistory(ops).valid).toBe(true)
  })

  it('partitions are independent: each is read in order on its own', () => {
    const ops = [sendOk('p1', 0, 0, 'a'), sendOk('p1', 1, 0, 'x'), sendOk('p1', 0, 1, 'b'), poll('c1', [[1, 0, 'x'], [0, 0, 'a'], [0, 1, 'b']])]
    expect(checkHistory(ops).valid).toBe(true)
  })

  it('records with unknown send outcomes may or may not appear', () => {
    const ops = [sendOk('p1', 0, 0, 'a'), sendUnknown('p1', 'b'), sendOk('p1', 0, 2, 'c'), sendUnknown('p1', 'd'), poll('c1', [[0, 0, 'a'], [0, 1, 'b'], [0, 2, 'c']])]
    const report = checkHistory(ops)
    expect(report.valid, formatReport(report)).toBe(true)
    expect(report.stats.sends).toEqual({ ok: 2, failed: 0, unknown: 2 })
  })
})

describe('lost-write', () => {
  it('in a drained history, counts acknowledged sends beyond the end of a log that got shorter (truncation)', () => {
    const ops = [...threeSends(), poll('c1', [[0, 0, 'a']])]
    expect(checkHistory(ops).valid).toBe(true)
    const report = checkHistory(ops, { drained: true })
    expect(report.anomalies.lostWrite.map((l) => [l.offset, l.value])).toEqual([
      [1, 'b'],
      [2, 'c'],
    ])
    expect(report.anomalies.lostWrite[0]!.explanation).toContain('the final reads drained the partition to its end (offset 0)')
  })

  it('in a drained history, a partition nobody read has lost every acknowledged send', () => {
    const report = checkHistory(threeSends(), { drained: true })
    expect(report.anomalies.lostWrite).toHaveLength(3)
    expect(report.anomalies.lostWrite[0]!.highestPolled).toBeNull()
  })

  it('reports an acked send below the highest polled offset that nobody read', () => {
    const ops = [...threeSends(), poll('c1', [[0, 0, 'a']]), poll('c2', [[0, 2, 'c']])]
    const report = checkHistory(ops)
    expect(report.valid).toBe(false)
    expect(report.anomalies.lostWrite).toHaveLength(1)
    const lost = report.anomalies.lostWrite[0]!
    expect(lost).toMatchObject({ topic: 't', partition: 0, offset: 1, value: 'b', send: { index: 1, process: 'p1' } })
    expect(lost.highestPolled).toMatchObject({ offset: 2, op: { index: 4, process: 'c2' } })
    expect(lost.explanation).toContain('t-0 offset 1: value "b" was acknowledged by op #1')
    expect(lost.explanation).toContain('op #4 (c2, t=5) polled up to offset 2')
  })

  it('an acked send at exactly the highest polled offset, read with another value, is lost and inconsistent', () => {
    const ops = [...threeSends(), poll('c1', [[0, 0, 'a'], [0, 1, 'b'], [0, 2, 'z']])]
    const report = checkHistory(ops, { allSendsRecorded: false })
    expect(report.anomalies.lostWrite).toMatchObject([{ offset: 2, value: 'c', readInstead: ['z'] }])
    expect(report.anomalies.inconsistentOffsets).toMatchObject([{ offset: 2 }])
  })

  it('a value read at another offset (a duplicate) counts as read', () => {
    const ops = [...threeSends(), poll('c1', [[0, 0, 'a'], [0, 1, 'b'], [0, 2, 'c'], [0, 3, 'b']])]
    expect(anomalyCount(ops)).toEqual({})
  })
})

describe('inconsistent-offsets', () => {
  it('reports one offset seen with two values, naming who saw each', () => {
    const ops = [...threeSends(), poll('c1', [[0, 0, 'a'], [0, 1, 'b']]), poll('c2', [[0, 0, 'a'], [0, 1, 'c']])]
    const report = checkHistory(ops)
    expect(report.anomalies.inconsistentOffsets).toHaveLength(1)
    const entry = report.anomalies.inconsistentOffsets[0]!
    expect(entry.offset).toBe(1)
    expect(entry.values.map((v) => v.value)).toEqual(['b', 'c'])
    expect(entry.values[0]!.witnesses.map((w) => w.as)).toEqual(['ack', 'read'])
    expect(entry.explanation).toContain('t-0 offset 1 was seen holding 2 different values')
    // 'c' read at offset 1 after the consumer was last at 0: no order anomaly, only the inconsistency (and duplicate stats).
    expect(report.stats.duplicates).toBe(1)
  })

  it('reports two acknowledgements of one offset (an offset handed out twice)', () => {
    const ops = [sendOk('p1', 0, 0, 'a'), sendOk('p2', 0, 0, 'b')]
    expect(anomalyCount(ops)).toEqual({ inconsistentOffsets: 1 })
  })
})

describe('nonmonotonic-poll', () => {
  it('reports a consumer going backwards across polls', () => {
    const ops = [...threeSends(), poll('c1', [[0, 0, 'a'], [0, 1, 'b']]), poll('c1', [[0, 0, 'a']])]
    const report = checkHistory(ops)
    expect(report.anomalies.nonmonotonicPoll).toMatchObject([
      { process: 'c1', partition: 0, previous: { offset: 1, op: { index: 3 } }, next: { offset: 0, op: { index: 4 } }, sameOperation: false },
    ])
    expect(report.anomalies.nonmonotonicPoll[0]!.explanation).toContain('c1 read t-0 offset 1 in op #3 (c1, t=4), then offset 0 in op #4 (c1, t=5): backwards')
  })

  it('reports a repeat of the same offset inside one poll (int-nonmonotonic-poll)', () => {
    const ops = [...threeSends(), poll('c1', [[0, 0, 'a'], [0, 0, 'a']])]
    const report = checkHistory(ops)
    expect(report.anomalies.nonmonotonicPoll).toMatchObject([{ sameOperation: true, previous: { offset: 0 }, next: { offset: 0 } }])
  })

  it('an assign keeps positions of partitions still owned, and forgets the others', () => {
    const ops = [
      sendOk('p1', 0, 0, 'a'),
      sendOk('p1', 1, 0, 'x'),
      poll('c1', [[0, 0, 'a'], [1, 0, 'x']]),
      assign('c1', [0]),
      poll('c1', [[0, 0, 'a'], [1, 0, 'x']]),
    ]
    expect(checkHistory(ops).anomalies.nonmonotonicPoll).toMatchObject([{ partition: 0 }])
  })

  it('does not compare different consumers', () => {
    const ops = [...threeSends(), poll('c1', [[0, 2, 'c']]), poll('c2', [[0, 0, 'a'], [0, 1, 'b']])]
    expect(checkHistory(ops).valid).toBe(true)
  })
})

describe('poll-skip', () => {
  it('reports a consumer jumping over an offset across polls', () => {
    const ops = [...threeSends(), poll('c1', [[0, 0, 'a']]), poll('c1', [[0, 2, 'c']]), poll('c2', [[0, 1, 'b']])]
    const report = checkHistory(ops)
    expect(anomalyCount(ops)).toEqual({ pollSkip: 1 })
    const skip = report.anomalies.pollSkip[0]!
    expect(skip).toMatchObject({ process: 'c1', skippedCount: 1, skipped: [{ offset: 1, values: ['b'] }], sameOperation: false })
    expect(skip.explanation).toContain('skipped offset 1, with no rebalance')
    expect(skip.explanation).toContain('others saw "b" there')
  })

  it('reports a skip inside one poll (int-poll-skip)', () => {
    const ops = [...threeSends(), poll('c1', [[0, 0, 'a'], [0, 2, 'c']]), poll('c2', [[0, 1, 'b']])]
    expect(checkHistory(ops).anomalies.pollSkip).toMatchObject([{ sameOperation: true }])
  })

  it('with dense offsets, a skipped offset nobody saw still counts', () => {
    const ops = [sendOk('p1', 0, 0, 'a'), sendOk('p1', 0, 5, 'f'), poll('c1', [[0, 0, 'a'], [0, 5, 'f']])]
    expect(checkHistory(ops).anomalies.pollSkip).toMatchObject([{ skippedCount: 4, skipped: [{ offset: 1 }, { offset: 2 }, { offset: 3 }, { offset: 4 }] }])
  })

  it('with allowOffsetGaps, only offsets known to hold a record count (transaction markers take offsets)', () => {
    const gap = [sendOk('p1', 0, 0, 'a'), sendOk('p1', 0, 2, 'c'), poll('c1', [[0, 0, 'a'], [0, 2, 'c']])]
    expect(checkHistory(gap, { allowOffsetGaps: true }).valid).toBe(true)
    const known = [sendOk('p1', 0, 0, 'a'), sendUnknown('p2', 'b'), sendOk('p1', 0, 2, 'c'), poll('c1', [[0, 0, 'a'], [0, 2, 'c']]), poll('c2', [[0, 1, 'b']])]
    expect(checkHistory(known, { allowOffsetGaps: true }).anomalies.pollSkip).toMatchObject([{ skippedCount: 1, skipped: [{ offset: 1, values: ['b'] }] }])
  })

  it('on compactedTopics, neither a jump over offsets others read nor a send never read is reported (the log cleaner removed them)', () => {
    // c1 read b at offset 1 before the cleaner removed it; c2, reading later, jumps from a to c; d at 3 was overwritten before anyone read it.
    const ops = [sendOk('p1', 0, 0, 'a'), sendOk('p1', 0, 1, 'b'), sendOk('p1', 0, 2, 'c'), sendOk('p1', 0, 3, 'd'), sendOk('p1', 0, 4, 'e'), poll('c1', [[0, 0, 'a'], [0, 1, 'b']]), poll('c2', [[0, 0, 'a'], [0, 2, 'c'], [0, 4, 'e']])]
    expect(anomalyCount(ops, { allowOffsetGaps: true })).toEqual({ lostWrite: 1, pollSkip: 2 })
    expect(checkHistory(ops, { allowOffsetGaps: true, compactedTopics: ['t'] }).valid).toBe(true)
    expect(anomalyCount(ops, { allowOffsetGaps: true, compactedTopics: ['other'] })).toEqual({ lostWrite: 1, pollSkip: 2 })
  })

  it('a rebalance in between resets the position', () => {
    const ops = [...threeSends(), poll('c1', [[0, 0, 'a']]), rebalance('c1', [0]), poll('c1', [[0, 2, 'c']]), poll('c2', [[0, 1, 'b']])]
    expect(checkHistory(ops).valid).toBe(true)
  })
})

describe('nonmonotonic-send', () => {
  it('reports a process whose next acked send landed at or below its previous one', () => {
    const ops = [sendOk('p1', 0, 0, 'a'), sendOk('p1', 0, 1, 'b'), sendOk('p1', 0, 1, 'c')]
    const report = checkHistory(ops)
    expect(report.anomalies.nonmonotonicSend).toMatchObject([{ process: 'p1', previous: { offset: 1 }, next: { offset: 1 } }])
    expect(report.anomalies.inconsistentOffsets).toHaveLength(1)
  })

  it('different processes and partitions are independent', () => {
    const ops = [sendOk('p1', 0, 1, 'a'), sendOk('p2', 0, 0, 'b'), sendOk('p1', 1, 0, 'c')]
    expect(checkHistory(ops).valid).toBe(true)
  })
})

describe('duplicate', () => {
  const dup = [sendOk('p1', 0, 0, 'a'), sendOk('p1', 0, 1, 'b'), poll('c1', [[0, 0, 'a'], [0, 1, 'b'], [0, 2, 'a']])]

  it('is only counted for non-idempotent producers', () => {
    const report = checkHistory(dup)
    expect(report.valid).toBe(true)
    expect(report.anomalies.duplicate).toEqual([])
    expect(report.stats.duplicates).toBe(1)
  })

  it('is reported when the producer is idempotent', () => {
    const report = checkHistory(dup, { idempotent: true })
    expect(report.valid).toBe(false)
    expect(report.anomalies.duplicate).toMatchObject([{ value: 'a', offsets: [0, 2] }])
    expect(report.anomalies.duplicate[0]!.explanation).toBe('t-0: value "a" appears at 2 offsets (0, 2)')
  })
})

describe('unexpected-value', () => {
  it('reports reading a value whose only send definitely failed (aborted read)', () => {
    const ops = [sendOk('p1', 0, 0, 'a'), sendFailed('p1', 'b'), poll('c1', [[0, 0, 'a'], [0, 1, 'b']])]
    const report = checkHistory(ops)
    expect(report.anomalies.unexpectedValue).toMatchObject([{ value: 'b', reason: 'failed-send', failedSends: [{ index: 1 }], readBy: [{ index: 2 }] }])
  })

  it('a value failed once and unknown once may appear', () => {
    const ops = [sendFailed('p1', 'b'), sendUnknown('p1', 'b'), poll('c1', [[0, 0, 'b']])]
    expect(checkHistory(ops).valid).toBe(true)
  })

  it('reports a value never sent, unless sends were not recorded', () => {
    const ops = [poll('c1', [[0, 0, 'ghost']])]
    expect(checkHistory(ops).anomalies.unexpectedValue).toMatchObject([{ reason: 'never-sent' }])
    expect(checkHistory(ops, { allSendsRecorded: false }).valid).toBe(true)
  })

  it('matches sends by topic', () => {
    const ops = [sendOk('p1', 0, 0, 'a', 'other'), poll('c1', [[0, 0, 'a']])]
    expect(checkHistory(ops).anomalies.unexpectedValue).toHaveLength(1)
  })
})

describe('checkHistory input', () => {
  it('validates plain arrays of operations', () => {
    const bad = [{ type: 'poll', process: 'c1', time: 1, records: [{ topic: 't', partition: -1, offset: 0, value: 'a' }] }]
    expect(() => checkHistory(bad as Operation[])).toThrow(HistoryError)
  })

  it('reports the options it ran with', () => {
    expect(checkHistory([]).options).toEqual({ idempotent: false, allowOffsetGaps: false, allSendsRecorded: true, drained: false, compactedTopics: [] })
  })
})

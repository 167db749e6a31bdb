import { beforeEach, describe, expect, it } from 'vitest'
import { checkHistory, formatReport } from '../../../src/testing/history/index.js'
import { fault, poll, resetTime, sendFailed, sendOk } from './history-builders.js'

beforeEach(resetTime)

describe('formatReport', () => {
  it('says valid, with what the history held', () => {
    const text = formatReport(checkHistory([sendOk('p1', 0, 0, 'a'), poll('c1', [[0, 0, 'a']])]))
    expect(text.split('\n')).toEqual([
      'history check: valid',
      '  2 operations: 1 send (1 ok, 0 failed, 0 unknown), 1 poll reading 1 record, 0 commits, 0 assign/rebalance/seek, 0 faults',
      '  1 partition; 0 acknowledged never polled; 0 values at more than one offset',
      '  options: idempotent=false, allowOffsetGaps=false, allSendsRecorded=true, drained=false',
    ])
  })

  it('lists faults, then each anomaly kind with its explanations', () => {
    const ops = [
      sendOk('p1', 0, 0, 'a'),
      sendOk('p1', 0, 1, 'b'),
      sendOk('p1', 0, 2, 'c'),
      fault('crash broker 2'),
      sendFailed('p1', 'd'),
      poll('c1', [[0, 0, 'a'], [0, 2, 'c'], [0, 3, 'd']]),
    ]
    const text = formatReport(checkHistory(ops))
    expect(text).toContain('history check: INVALID, 3 anomalies (1 lost-write, 1 poll-skip, 1 unexpected-value)')
    expect(text).toContain('faults (1):\n  - op #3 (nemesis, t=4): crash broker 2')
    expect(text).toContain(
      'lost-write (1):\n  - t-0 offset 1: value "b" was acknowledged by op #1 (p1, t=2), but no poll ever returned it, ' +
        'although op #5 (c1, t=6) polled up to offset 3',
    )
    expect(text).toContain('poll-skip (1):\n  - consumer c1 read t-0 offset 0 then offset 2 within one poll, op #5 (c1, t=6): skipped offset 1')
    expect(text).toContain('unexpected-value (1):\n  - t-0 offset 3: op #5 (c1, t=6) read "d", but its only send op #4 (p1, t=5) failed')
  })

  it('shows at most maxPerKind entries per kind', () => {
    const ops = Array.from({ length: 5 }, () => poll('c1', [[0, 0, 'x']])).concat([sendOk('p1', 0, 0, 'x')])
    const text = formatReport(checkHistory(ops), { maxPerKind: 2 })
    expect(text).toContain('nonmonotonic-poll (4):')
    expect(text.match(/^ {2}- consumer c1/gm)).toHaveLength(2)
    expect(text).toContain('  ... and 2 more')
  })
})

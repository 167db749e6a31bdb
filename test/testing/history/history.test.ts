import { describe, expect, it } from 'vitest'
import { History, HistoryError, type Operation } from '../../../src/testing/history/index.js'

const send: Operation = {
  type: 'send',
  process: 'p1',
  time: 5,
  topic: 't',
  key: 'k',
  value: 'v1',
  outcome: { type: 'ok', partition: 0, offset: 0 },
}

describe('History', () => {
  it('records operations in order and hands out copies', () => {
    const history = new History()
    const records = [{ topic: 't', partition: 0, offset: 0, key: 'k', value: 'v1' }]
    history.record(send)
    history.record({ type: 'poll', process: 'c1', time: 6, records })
    records[0]!.value = 'changed later'
    expect(history.length).toBe(2)
    const ops = history.operations()
    expect(ops[1]).toEqual({ type: 'poll', process: 'c1', time: 6, records: [{ ...records[0], value: 'v1' }] })
    ;(ops as Operation[]).pop()
    expect(history.length).toBe(2)
  })

  it('stamps operations without a time from its clock', () => {
    let now = 100
    const history = new History({ now: () => now })
    history.record({ type: 'fault', process: 'nemesis', description: 'crash broker 1' })
    now = 250
    history.record({ type: 'fault', process: 'nemesis', description: 'restart broker 1', time: 240 })
    expect(history.operations().map((op) => op.time)).toEqual([100, 240])
  })

  it('rejects malformed operations with a HistoryError and records nothing', () => {
    const history = new History()
    const bad: unknown[] = [
      { ...send, time: undefined },
      { ...send, process: '' },
      { ...send, outcome: { type: 'ok', partition: 0, offset: -1 } },
      { ...send, outcome: { type: 'ok', partition: 0.5, offset: 1 } },
      { ...send, outcome: { type: 'maybe' } },
      { ...send, outcome: { type: 'fail' } },
      { ...send, partition: 1 },
      { ...send, value: Buffer.from('x') },
      { type: 'poll', process: 'c1', time: 1, records: [{ topic: 't', partition: 0, value: 'v' }] },
      { type: 'rebalance', process: 'c1', time: 1, partitions: 'all' },
      { type: 'dance', process: 'c1', time: 1 },
      null,
    ]
    for (const op of bad) {
      expect(() => history.record(op as Operation), JSON.stringify(op)).toThrow(HistoryError)
    }
    expect(history.length).toBe(0)
  })

  it('says which field is wrong and where', () => {
    const history = new History()
    history.record(send)
    expect(() => history.record({ ...send, outcome: { type: 'ok', partition: 0, offset: -1 } })).toThrow(
      "operation #1: send.outcome: 'offset' must be a non-negative integer, got -1",
    )
    expect(() => history.record({ ...send, partition: 1 })).toThrow(
      'asked for partition 1 but its acknowledgement names partition 0',
    )
  })

  it('round-trips through JSON', () => {
    const history = new History()
    history.record(send)
    history.record({ type: 'send', process: 'p1', time: 7, topic: 't', value: 'v2', outcome: { type: 'info' } })
    history.record({ type: 'commit', process: 'c1', time: 8, offsets: [{ topic: 't', partition: 0, offset: 1 }], outcome: { type: 'fail', error: 'REBALANCE_IN_PROGRESS' } })
    history.record({ type: 'assign', process: 'c1', time: 9, partitions: [{ topic: 't', partition: 0 }] })
    history.record({ type: 'seek', process: 'c1', time: 10, topic: 't', partition: 0, offset: 0 })
    const text = JSON.stringify(history)
    const back = History.fromJSON(text)
    expect(back.operations()).toEqual(history.operations())
    expect(History.fromJSON(JSON.parse(text)).operations()).toEqual(history.operations())
  })

  it('refuses JSON that is not a kafkalite history', () => {
    expect(() => History.fromJSON('{')).toThrow(HistoryError)
    expect(() => History.fromJSON('[]')).toThrow('not a kafkalite history')
    expect(() =>
      History.fromJSON(JSON.stringify({ format: 'kafkalite-history', version: 1, operations: [send, { ...send, time: 'x' }] })),
    ).toThrow("operation #1: send: 'time' must be a finite number")
  })
})

import { describe, expect, it } from 'vitest'
import { checkAtLeastOnceProcessing, checkEffectivelyOnce, type FinalLog } from 'kafkalite/testing'

const log: FinalLog = {
  records: [0, 1, 2, 3].map((offset) => ({ topic: 't', partition: 0, offset, value: `v${offset}` })),
  extents: [{ topic: 't', partition: 0, logStartOffset: 0, highWatermark: 4 }],
}

describe('checkAtLeastOnceProcessing', () => {
  it('passes when every record below the committed offset was processed (records at or above it may wait)', () => {
    const report = checkAtLeastOnceProcessing(log.records.slice(0, 3), [{ topic: 't', partition: 0, offset: 3 }], log)
    expect(report.anomalies).toEqual([])
    expect(report.checked).toBe(3)
  })

  it('negative control: a commit past an unprocessed record is flagged, naming the record', () => {
    const processed = [log.records[0]!, log.records[2]!]
    const report = checkAtLeastOnceProcessing(processed, [{ topic: 't', partition: 0, offset: 3 }], log)
    expect(report.anomalies.map((a) => a.kind)).toEqual(['committed-unprocessed'])
    expect(report.anomalies[0]!.message).toContain('t/0@1')
  })
})

describe('checkEffectivelyOnce', () => {
  const effects = [{ order: 'a' }, { order: 'b' }]

  it('passes when each expected key has exactly one effect', () => {
    expect(checkEffectivelyOnce(effects, (e) => e.order, { expected: ['a', 'b'] }).anomalies).toEqual([])
  })

  it('negative control: an effect applied twice and an effect never applied are both flagged', () => {
    const report = checkEffectivelyOnce([...effects, { order: 'a' }], (e) => e.order, { expected: ['a', 'b', 'c'], effect: 'reservation' })
    expect(report.anomalies).toEqual([
      { kind: 'effect-repeated', message: 'reservation a applied 2 times' },
      { kind: 'effect-missing', message: 'reservation c never applied' },
    ])
  })
})

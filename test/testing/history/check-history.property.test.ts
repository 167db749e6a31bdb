import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkHistory, formatReport } from '../../../src/testing/history/index.js'
import { MUTATIONS } from './history-mutations.js'
import { modelHistory } from './model-history.js'

const RUNS = 200

describe('checkHistory properties', () => {
  it('a history of a correct log (increasing acked offsets, contiguous polls, rebalances) is valid', () => {
    fc.assert(
      fc.property(modelHistory, ({ operations, gaps }) => {
        const report = checkHistory(operations, { idempotent: true, allowOffsetGaps: gaps })
        expect(report.valid, formatReport(report)).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })

  for (const [name, mutate] of Object.entries(MUTATIONS)) {
    it(`one injected fault is reported as its anomaly: ${name}`, () => {
      fc.assert(
        fc.property(modelHistory, fc.nat(), ({ operations, gaps }, choice) => {
          const mutation = mutate(operations, choice, gaps)
          fc.pre(mutation !== undefined)
          const report = checkHistory(mutation!.operations, { idempotent: true, allowOffsetGaps: gaps })
          expect(report.valid, mutation!.description).toBe(false)
          expect(mutation!.reported(report), `${mutation!.description}\n${formatReport(report)}`).toBe(true)
        }),
        { numRuns: RUNS },
      )
    })
  }
})

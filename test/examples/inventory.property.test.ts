/**
 * The guide's two inventory services (docs/testing-your-service.md), each under the same 100-run property of
 * `kafkalite/testing`. The naive one must keep failing (the kit finds its bug, shrinks it and prints the schedule and
 * the history); the fixed one must pass.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inventoryProperty } from '../../examples/inventory/inventory-property.js'
import { Coverage } from '../support/coverage.js'

const RUNS = 100

describe('the inventory service of the guide', () => {
  it('expected failure: the naive service (commit before the effect) loses a reservation, and the kit finds it', async () => {
    const started = performance.now()
    const result = await fc.check(inventoryProperty('naive'), { numRuns: RUNS, seed: 42 })
    const ms = performance.now() - started
    expect(result.failed, 'the naive service must fail the property').toBe(true)
    const report = `${fc.defaultReportMessage(result) ?? ''}\n${result.errorInstance instanceof Error ? result.errorInstance.message : ''}`
    console.info(`naive: found after ${result.numRuns} runs and ${result.numShrinks} shrinks in ${ms.toFixed(0)} ms\n${report}`)
    expect(report).toMatch(/committed-unprocessed|effect-missing|effect-repeated/)
    expect(report).toContain('kafkalite cluster seed')
  }, 120_000)

  it('every order reserved exactly once and every committed order processed, under broker faults and a crash of one instance (fixed service)', async () => {
    const coverage = new Coverage(['redelivered', 'crashedMidOrder', 'brokerCrashed'] as const)
    const started = performance.now()
    await fc.assert(inventoryProperty('fixed', (windows) => coverage.record(windows)), { numRuns: RUNS })
    const ms = performance.now() - started
    console.info(`fixed: ${RUNS} runs in ${ms.toFixed(0)} ms (${(ms / RUNS).toFixed(1)} ms a run); coverage ${coverage.toString()}`)
    // The windows the guarantee is about, each reached by a fair share of the runs, not once by luck.
    expect(coverage.below(0.1), coverage.toString()).toEqual([])
  }, 300_000)
})

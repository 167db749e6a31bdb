import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runScenario } from '../../examples/order-workflow/scenario.js'
import type { FaultSchedule } from '../../examples/order-workflow/story-plan.js'
import { checkInvariants } from '../../examples/order-workflow/summary.js'

/** A rate in percent steps, so that shrinking reaches 0 (no fault of that kind). */
const rate = (maxPercent: number) => fc.integer({ min: 0, max: maxPercent }).map((percent) => percent / 100)

const run = fc
  .record({
    orders: fc.integer({ min: 4, max: 12 }),
    seed: fc.integer({ min: 0, max: 0x7fffffff }),
    crash: fc.option(
      fc.record({
        brokerId: fc.integer({ min: 0, max: 2 }),
        atOrderShare: fc.integer({ min: 0, max: 99 }).map((percent) => percent / 100),
        restartAfterMs: fc.option(fc.integer({ min: 200, max: 20_000 }), { nil: undefined }),
      }),
      { nil: undefined },
    ),
    paymentHangRate: rate(30),
    invoiceHangRate: rate(60),
    invalidAddressRate: rate(30),
  })
  .map(({ orders, seed, crash, ...rates }) => {
    const faults: FaultSchedule = { ...rates }
    if (crash !== undefined) {
      const atOrder = 1 + Math.min(orders - 1, Math.floor(crash.atOrderShare * orders))
      faults.crash = crash.restartAfterMs === undefined ? { atOrder, brokerId: crash.brokerId } : { atOrder, brokerId: crash.brokerId, restartAfterMs: crash.restartAfterMs }
    }
    return { orders, seed, faults }
  })

describe('the order workflow under random faults', () => {
  it('every confirmed order is reserved, notified, invoiced or dead-lettered with its reason, and told to the seller exactly once, whichever broker crashes when and however flaky the services are', async () => {
    await fc.assert(
      fc.asyncProperty(run, async (options) => {
        const result = await runScenario(options)
        expect(checkInvariants(result)).toEqual([])
      }),
      { numRuns: 20 },
    )
  }, 240_000)
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runScenario } from '../../examples/order-workflow/scenario.js'
import type { FaultSchedule } from '../../examples/order-workflow/story-plan.js'
import { checkInvariants } from '../../examples/order-workflow/summary.js'
import type { ScenarioResult } from '../../examples/order-workflow/scenario-result.js'
import { anomaliesOf, checkEffectivelyOnce, formatOracleReports, oracleReport, type OracleReport } from 'kafkalite/testing'

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

/**
 * The run judged by the kit's oracles: each service's effects applied at most once per event key (the effectively-once
 * oracle users run on their own services), and the workflow's own invariants as one more report.
 */
function judge(result: ScenarioResult): OracleReport[] {
  const { inventory, notification, invoice, seller, welcomeMail } = result.stores
  const ledgers: Record<string, { readonly effects: ReadonlyArray<{ readonly key: string }> }> = { 'stock reservation': inventory.reservations, restock: inventory.restocks, confirmation: notification.confirmations, 'cancellation notice': notification.cancellations, invoice: invoice.invoices, 'seller notice': seller.notices, 'welcome mail': welcomeMail.mails }
  const invariants = checkInvariants(result)
  return [
    ...Object.entries(ledgers).map(([effect, ledger]) => checkEffectivelyOnce(ledger.effects, (e) => e.key, { effect: `${effect} for` })),
    oracleReport('order workflow invariants', result.shoppers.length, invariants.map((v) => ({ kind: v.invariant, message: v.detail }))),
  ]
}

describe('the order workflow under random faults', () => {
  it('every confirmed order is reserved, notified, invoiced or dead-lettered with its reason, and told to the seller exactly once, whichever broker crashes when and however flaky the services are', async () => {
    await fc.assert(
      fc.asyncProperty(run, async (options) => {
        const reports = judge(await runScenario(options))
        expect(anomaliesOf(reports), formatOracleReports(reports)).toEqual([])
      }),
      { numRuns: 20 },
    )
  }, 240_000)
})

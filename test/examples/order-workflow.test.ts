import { beforeAll, describe, expect, it } from 'vitest'
import { murmur2, toPositive } from '../../src/index.js'
import { runScenario } from '../../examples/order-workflow/scenario.js'
import type { ScenarioResult } from '../../examples/order-workflow/scenario-result.js'
import { checkInvariants, renderSummary } from '../../examples/order-workflow/summary.js'

const SMALL = { orders: 12, seed: 3 }

describe('the order workflow example', () => {
  let withFaults: ScenarioResult
  beforeAll(async () => {
    withFaults = await runScenario(SMALL)
  })

  it('runs the whole story with faults and every invariant of the summary holds', () => {
    expect(checkInvariants(withFaults)).toEqual([])
    expect(renderSummary(withFaults, []).at(-1)).toBe('All invariants hold.')

    const { confirmed, declined, crash, stores, deadLetters, joins, moments } = withFaults
    expect(confirmed.length + declined.length).toBe(12)
    for (const order of confirmed) expect(order.partition).toBe(toPositive(murmur2(order.orderId)) % 6)
    expect(crash?.backInSyncAt).toBeGreaterThan(crash!.restartedAt!)
    // Order 5's billing address is invalid in every faulty run: it is dead-lettered at once, with its reason.
    const dead = deadLetters.find((r) => r.key?.toString() === 'order-0005')
    expect(dead?.deadLetter).toMatchObject({ originalTopic: 'order-placed', originalConsumerGroup: 'invoice', exceptionFqcn: 'InvalidBillingAddressError' })
    expect(stores.invoice.invoices.deliveries.filter((d) => d.key === 'order-0005')).toHaveLength(1)
    // The scale-out: three inventory instances share order-placed after it.
    const lastInventoryJoins = joins.filter((j) => j.groupId === 'inventory' && j.at >= moments.scaleOutAt! && j.assignment['order-placed'] !== undefined)
    expect(new Set(lastInventoryJoins.map((j) => j.instance))).toEqual(new Set(['inventory-1', 'inventory-2', 'inventory-3']))
    const kinds = new Set(withFaults.timeline.entries.map((e) => e.kind))
    for (const kind of ['order', 'declined', 'rebalance', 'crash', 'restart', 'dead-letter', 'scale'] as const) expect(kinds).toContain(kind)
  })

  it('replays exactly from its seed', async () => {
    const again = await runScenario(SMALL)
    expect(again.timeline.render()).toEqual(withFaults.timeline.render())
    expect(again.lag).toEqual(withFaults.lag)
  })

  it('without faults, nothing is declined, retried or dead-lettered', async () => {
    const result = await runScenario({ orders: 10, seed: 1, faults: false })
    expect(checkInvariants(result)).toEqual([])
    expect(result.declined).toEqual([])
    expect(result.deadLetters).toEqual([])
    expect(result.crash).toBeUndefined()
    expect(result.stores.invoice.invoices.deliveries.every((d) => d.attempt === 1)).toBe(true)
  })

  it('the summary catches a lost order, a duplicate effect, a missed invoice and a stock mismatch', () => {
    const [first, second] = withFaults.confirmed.filter((o) => withFaults.stores.invoice.invoices.has(o.orderId))
    const tampered: ScenarioResult = {
      ...withFaults,
      orderLog: withFaults.orderLog.filter((r) => r.message.key?.toString() !== first!.orderId),
    }
    const notices = withFaults.stores.seller.notices
    notices.effects.push({ ...notices.effects[0]! })
    const invoices = withFaults.stores.invoice.invoices
    const invoiceIndex = invoices.effects.findIndex((e) => e.key === second!.orderId)
    const [removedInvoice] = invoices.effects.splice(invoiceIndex, 1)
    const mugs = withFaults.stores.inventory.stock.get('mug')!
    withFaults.stores.inventory.stock.set('mug', 0)
    try {
      const invariants = new Set(checkInvariants(tampered).map((v) => v.invariant))
      expect(invariants).toEqual(
        new Set(['no acknowledged order is lost', 'seller told exactly once', 'invoiced exactly once, or dead-lettered', 'the stock adds up']),
      )
    } finally {
      notices.effects.pop()
      invoices.effects.splice(invoiceIndex, 0, removedInvoice!)
      withFaults.stores.inventory.stock.set('mug', mugs)
    }
    expect(checkInvariants(withFaults)).toEqual([])
  })

  it('rejects a bad order count or seed before doing anything', async () => {
    await expect(runScenario({ orders: 0 })).rejects.toThrow(RangeError)
    await expect(runScenario({ orders: 2.5 })).rejects.toThrow(/orders must be an integer/)
    await expect(runScenario({ seed: Number.NaN })).rejects.toThrow(/seed must be an integer/)
  })
})

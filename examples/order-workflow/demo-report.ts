/**
 * What `npm run demo` prints: the faults of the run, the timeline, who handled each order and the
 * summary. One function, so that docs/tour.md quotes exactly what the demo prints (`npm run tour`).
 */
import { orderPlaced } from './events.js'
import type { ScenarioResult } from './scenario-result.js'
import { renderSummary, type Violation } from './summary.js'
import { renderHandlerTable } from './timeline.js'

/** How the report is printed: `--quiet`, `--verbose`, and the wall time the run took (as text). */
export interface ReportOptions {
  readonly quiet: boolean
  readonly verbose: boolean
  readonly wallSeconds: string
}

/** The demo's report, as lines. */
export function renderDemoReport(result: ScenarioResult, violations: readonly Violation[], options: ReportOptions): string[] {
  const lines = [`kafkalite order workflow: ${result.orders} orders, seed ${result.seed}; ${faultsText(result)}`]
  if (!options.quiet) {
    const virtualSeconds = ((result.moments.end - result.moments.start) / 1000).toFixed(1)
    lines.push(`\nTimeline (cluster time since the start; the clock is virtual: ${virtualSeconds} s of it took ${options.wallSeconds} s)\n`)
    lines.push(result.timeline.render({ maxOrderLines: options.verbose ? undefined : 60 }).join('\n'))
    const { inventory, notification, invoice, seller } = result.stores
    const deadLettered = new Set(result.deadLettered.filter((d) => d.groupId === 'invoice').map((d) => d.key))
    lines.push(`\nWho handled each order (one instance of each group per ${orderPlaced.name} partition at a time)\n`)
    const handlers = renderHandlerTable(
      result.confirmed.slice().sort((a, b) => a.orderId.localeCompare(b.orderId)),
      [
        {
          service: 'inventory',
          ledger: inventory.reservations,
          note: (key) => (inventory.reservations.effectOf(key)?.detail.kind === 'reserved' ? undefined : 'cancelled first: nothing reserved'),
        },
        { service: 'notification', ledger: notification.confirmations },
        { service: 'invoice', ledger: invoice.invoices, instead: (key) => (deadLettered.has(key) ? 'dead-lettered' : undefined) },
        { service: 'seller', ledger: seller.notices },
      ],
      options.verbose ? Number.POSITIVE_INFINITY : 100,
    )
    lines.push(handlers.join('\n'), '\nSummary')
  }
  lines.push(renderSummary(result, violations).join('\n'))
  return lines
}

function faultsText(result: ScenarioResult): string {
  const { crash, paymentHangRate, invoiceHangRate, invalidAddressRate } = result.faults
  if (crash === undefined && paymentHangRate === 0 && invoiceHangRate === 0 && invalidAddressRate === 0) return 'no faults'
  const parts = [
    crash === undefined ? 'no broker crash' : `a broker crashes before order ${crash.atOrder}${crash.restartAfterMs === undefined ? '' : ` and restarts ${crash.restartAfterMs / 1000} s later`}`,
    `${paymentHangRate * 100}% of payments hang`,
    `${invoiceHangRate * 100}% of invoice attempts hang`,
    `${invalidAddressRate * 100}% of billing addresses are invalid`,
  ]
  return parts.join(', ')
}


/**
 * The summary that checks itself. Invariants: every confirmed order was reserved, told to the
 * customer, invoiced and told to the seller exactly once, or is in the dead-letter topic with its
 * reason; no acknowledged order was lost to the broker crash; each partition was read by one instance
 * of a group at a time; the stock adds up; every group caught up. Also the facts a learner should see:
 * redeliveries, per-partition counts, lag over time, and checkout latency while the inventory lagged.
 */
import type { EffectLedger } from './effect-ledger.js'
import { ORDER_PARTITIONS, orderPlaced } from './events.js'
import { billingAddressProblem, INVOICE_ATTEMPTS } from './invoice-service.js'
import type { ScenarioResult } from './scenario-result.js'
import { ORDER_GROUPS } from './shop.js'
import { CATALOGUE, INITIAL_STOCK_PER_SKU } from './shoppers.js'
import { elapsed, partitionWhy } from './timeline.js'

/** An invariant that did not hold, and for what. */
export interface Violation {
  invariant: string
  detail: string
}

/** Each handler of each service, with its group, for the per-service checks and counts. */
function ledgersOf(result: ScenarioResult): Array<{ groupId: string; ledger: EffectLedger<unknown> }> {
  const { inventory, notification, invoice, seller, welcomeMail } = result.stores
  return [
    { groupId: 'inventory', ledger: inventory.reservations },
    { groupId: 'inventory', ledger: inventory.restocks },
    { groupId: 'notification', ledger: notification.confirmations },
    { groupId: 'notification', ledger: notification.cancellations },
    { groupId: 'invoice', ledger: invoice.invoices },
    { groupId: 'seller', ledger: seller.notices },
    { groupId: 'welcome-mail', ledger: welcomeMail.mails },
  ]
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1)
  return counts
}

/** The invoice service's dead letters: order id -> reasons (one per dead-letter record). */
function invoiceDeadLetters(result: ScenarioResult): Map<string, Array<{ fqcn: string; message: string }>> {
  const byOrder = new Map<string, Array<{ fqcn: string; message: string }>>()
  for (const record of result.deadLetters) {
    if (record.deadLetter?.originalConsumerGroup !== 'invoice') continue
    const orderId = record.key?.toString() ?? '?'
    byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), { fqcn: record.deadLetter.exceptionFqcn ?? '?', message: record.deadLetter.exceptionMessage ?? '' }])
  }
  return byOrder
}

/** Checks every invariant; an empty list means the run was right. */
export function checkInvariants(result: ScenarioResult): Violation[] {
  const violations: Violation[] = []
  const fail = (invariant: string, detail: string): void => {
    violations.push({ invariant, detail })
  }
  const { inventory, notification, invoice, seller, welcomeMail } = result.stores
  const requests = new Map(result.shoppers.map((s) => [s.request.orderId, s.request]))
  const cancelled = new Set(result.cancelled)
  const logged = new Map(result.orderLog.map((r) => [`${r.partition}:${r.message.offset}`, r.message.key?.toString()]))
  const loggedKeys = new Set(logged.values())
  const dead = invoiceDeadLetters(result)
  const effectsByLedger = new Map(ledgersOf(result).map(({ ledger }) => [ledger, countBy(ledger.effects, (e) => e.key)]))
  const exactlyOnce = (ledger: EffectLedger<unknown>, key: string, what: string): void => {
    const effects = effectsByLedger.get(ledger)!.get(key) ?? 0
    if (effects !== 1) fail(`${what} exactly once`, `${key}: ${effects} times (${ledger.name})`)
  }
  for (const order of result.confirmed) {
    const { orderId } = order
    const why = partitionWhy(orderId, ORDER_PARTITIONS)
    if (order.partition !== why.partition) fail('the key picks the partition', `${orderId} went to partition ${order.partition}, but ${why.text}`)
    if (logged.get(`${order.partition}:${order.offset}`) !== orderId) {
      fail('no acknowledged order is lost', `${orderId} was confirmed at ${orderPlaced.name}-${order.partition} offset ${order.offset}, which now holds ${logged.get(`${order.partition}:${order.offset}`) ?? 'nothing'}`)
    }
    if (!result.charged.has(orderId)) fail('every confirmed order is paid', `${orderId} has no payment`)
    exactlyOnce(inventory.reservations, orderId, 'reserved')
    const reservation = inventory.reservations.effectOf(orderId)?.detail
    if (reservation?.kind === 'skipped: cancelled before reservation' && !cancelled.has(orderId)) {
      fail('reserved', `${orderId} was skipped as cancelled, but it was never cancelled`)
    }
    exactlyOnce(notification.confirmations, orderId, 'customer notified')
    exactlyOnce(seller.notices, orderId, 'seller told')
    const invoices = effectsByLedger.get(invoice.invoices)!.get(orderId) ?? 0
    const reasons = dead.get(orderId) ?? []
    const problem = billingAddressProblem(requests.get(orderId)!.billingAddress)
    if (invoices + (reasons.length > 0 ? 1 : 0) !== 1) {
      fail('invoiced exactly once, or dead-lettered', `${orderId}: ${invoices} invoices, ${reasons.length} dead letters`)
    } else if (reasons.length > 0) {
      const expected = problem !== undefined ? 'InvalidBillingAddressError' : 'AttemptTimeoutError'
      if (reasons.some((r) => r.fqcn !== expected)) fail('dead-lettered with its reason', `${orderId}: ${reasons.map((r) => r.fqcn).join(', ')}, expected ${expected}`)
      const attempts = invoice.invoices.deliveries.filter((d) => d.key === orderId && d.attempt > 0).length
      if (expected === 'AttemptTimeoutError' && attempts < INVOICE_ATTEMPTS) fail('dead-lettered with its reason', `${orderId} dead-lettered for timeouts after ${attempts} of ${INVOICE_ATTEMPTS} attempts`)
    } else if (problem !== undefined) {
      fail('an invalid billing address is never invoiced', `${orderId} was invoiced although ${problem}`)
    }
  }
  for (const { orderId } of result.declined) {
    if (loggedKeys.has(orderId)) fail('a declined order is never published', `${orderId} is in ${orderPlaced.name}`)
    if (result.charged.has(orderId)) fail('a declined order is not charged', `${orderId} is charged`)
  }
  for (const orderId of result.cancelled) {
    exactlyOnce(inventory.restocks, orderId, 'cancellation handled by inventory')
    exactlyOnce(notification.cancellations, orderId, 'cancellation told to the customer')
  }
  for (const customerId of result.signedUp) exactlyOnce(welcomeMail.mails, customerId, 'welcome mail sent')

  checkStock(result, fail)
  checkOneReaderPerPartition(result, fail)
  if (result.moments.drainedAt === undefined) fail('every event is handled', 'the run gave up waiting for the services to handle every event')
  return violations
}

function checkStock(result: ScenarioResult, fail: (invariant: string, detail: string) => void): void {
  const { inventory } = result.stores
  const expected = new Map(CATALOGUE.map(([sku]) => [sku, INITIAL_STOCK_PER_SKU]))
  for (const { detail } of inventory.reservations.effects) {
    if (detail.kind === 'reserved') for (const line of detail.lines) expected.set(line.sku, expected.get(line.sku)! - line.quantity)
  }
  for (const { detail } of inventory.restocks.effects) {
    if (detail.kind === 'restocked') for (const line of detail.lines) expected.set(line.sku, expected.get(line.sku)! + line.quantity)
  }
  for (const [sku, units] of expected) {
    if (inventory.stock.get(sku) !== units) fail('the stock adds up', `${sku}: ${inventory.stock.get(sku)} in stock, ${units} expected from reservations and restocks`)
  }
}

/**
 * Inside a group, a partition is read by one instance at a time: the instance handling a partition
 * may only change across a rebalance of that group.
 */
function checkOneReaderPerPartition(result: ScenarioResult, fail: (invariant: string, detail: string) => void): void {
  const joinTimes = new Map<string, number[]>()
  for (const join of result.joins) joinTimes.set(join.groupId, [...(joinTimes.get(join.groupId) ?? []), join.at])
  for (const { groupId, ledger } of ledgersOf(result)) {
    const byPartition = new Map<string, typeof ledger.deliveries>()
    for (const d of ledger.deliveries) {
      const key = `${d.topic}-${d.partition}`
      const list = byPartition.get(key)
      if (list === undefined) byPartition.set(key, [d])
      else list.push(d)
    }
    for (const [partition, deliveries] of byPartition) {
      for (let i = 1; i < deliveries.length; i++) {
        const before = deliveries[i - 1]!
        const after = deliveries[i]!
        if (before.instance === after.instance) continue
        const rebalanced = (joinTimes.get(groupId) ?? []).some((at) => at >= before.at && at <= after.at)
        if (!rebalanced) {
          fail('one reader per partition in a group', `${partition} in group ${groupId}: ${before.instance} then ${after.instance} with no rebalance between (${ledger.name})`)
        }
      }
    }
  }
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/** Rows as aligned columns; `align` has one letter per column, `l` or `r` (default: first left, others right). */
function table(rows: string[][], align = ''): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  const left = (i: number): boolean => (align[i] ?? (i === 0 ? 'l' : 'r')) === 'l'
  return rows.map((r) => r.map((c, i) => (left(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd())
}

/** The summary as lines, ending with the verdict. */
export function renderSummary(result: ScenarioResult, violations: readonly Violation[]): string[] {
  const { moments } = result
  const at = (t: number | undefined): string => (t === undefined ? 'never' : elapsed(t, moments.start))
  const lines: string[] = []
  const section = (title: string): void => {
    lines.push('', title)
  }
  const confirmedIds = new Set(result.confirmed.map((o) => o.orderId))
  const ghost = [...new Set(result.orderLog.map((r) => r.message.key?.toString() ?? '?'))].filter((id) => !confirmedIds.has(id))

  lines.push(
    `${result.orders} orders (seed ${result.seed}): ${result.confirmed.length} confirmed, ${result.declined.length} declined (payment timeout), ` +
      `${result.cancelled.length} cancelled; ${result.signedUp.length} sign-ups; ${((moments.end - moments.start) / 1000).toFixed(1)} s of cluster time`,
  )
  if (ghost.length > 0) lines.push(`${ghost.length} orders are in ${orderPlaced.name} without a confirmation (the producer gave up after the write): ${ghost.slice(0, 5).join(', ')}`)

  section('Each service, each handler: calls, retries, redeliveries (Kafka delivers at least once), effects (applied once by order id)')
  const rows = [['handler', 'calls', 'retries', 'redelivered', 'effects']]
  for (const { ledger } of ledgersOf(result)) {
    const retries = ledger.deliveries.filter((d) => d.attempt > 1).length
    rows.push([ledger.name, String(ledger.deliveries.length), String(retries), String(ledger.redeliveries.length), String(ledger.effects.length)])
  }
  lines.push(...table(rows).map((l) => `  ${l}`))

  const dead = invoiceDeadLetters(result)
  section(`Dead-letter topic ${orderPlaced.name}-dlt: ${result.deadLetters.length} records`)
  for (const [orderId, reasons] of [...dead].slice(0, 10)) lines.push(`  ${orderId}: ${reasons[0]!.fqcn}: ${reasons[0]!.message}${reasons.length > 1 ? ` (${reasons.length} copies)` : ''}`)
  if (dead.size > 10) lines.push(`  ... and ${dead.size - 10} more`)

  section(`Per partition of ${orderPlaced.name} (key -> partition spreads the orders; each partition read by one inventory instance at a time)`)
  const partitionRows = [['partition', 'leader', 'records', 'confirmed', 'reserved by']]
  for (let p = 0; p < ORDER_PARTITIONS; p++) {
    const leader = result.finalCluster.partitions.find((d) => d.topic === orderPlaced.name && d.partition === p)?.leader ?? -1
    const records = result.orderLog.filter((r) => r.partition === p).length
    const confirmed = result.confirmed.filter((o) => o.partition === p).length
    const by = countBy(result.stores.inventory.reservations.effects.filter((e) => e.partition === p), (e) => e.instance)
    partitionRows.push([String(p), String(leader), String(records), String(confirmed), [...by].sort().map(([name, n]) => `${name} ${n}`).join(', ')])
  }
  lines.push(...table(partitionRows, 'rrrrl').map((l) => `  ${l}`))

  section('Lag of each group on order-placed over time (records written but not yet processed and committed)')
  lines.push(...lagChart(result).map((l) => `  ${l}`))
  const leftover = Object.entries(result.lag.at(-1)?.lag ?? {}).filter(([, records]) => records > 0)
  if (moments.drainedAt !== undefined && moments.committedAt === undefined && leftover.length > 0) {
    lines.push(
      `  at the end, handled but not committed: ${leftover.map(([group, records]) => `${group} ${records}`).join(', ')}. A commit failed while its group ` +
        'coordinator moved, and KafkaJS commits again only after that partition\'s next batch, a rebalance or a stop; a restart before that ' +
        'would deliver those records again, and the services would skip them by order id.',
    )
  }
  const rate = (from: number | undefined, to: number | undefined): string => {
    if (from === undefined || to === undefined || to <= from) return '-'
    const done = result.stores.inventory.reservations.effects.filter((e) => e.at > from && e.at <= to).length
    return `${(done / ((to - from) / 1000)).toFixed(1)} orders/s`
  }
  const burstOrders = new Set(result.confirmed.filter((o) => o.phase === 'burst').map((o) => o.orderId))
  const backlogClearedAt = Math.max(...result.stores.inventory.reservations.effects.filter((e) => burstOrders.has(e.key)).map((e) => e.at))
  lines.push(
    `  inventory reservations while the burst's backlog lasted: ${rate(moments.burstStart, moments.scaledOutAt)} with 1 instance, ` +
      `${rate(moments.scaledOutAt, backlogClearedAt)} with 3 (backlog cleared at ${at(backlogClearedAt)}; one instance does 2 orders/s)`,
  )

  section('The order service never waits for the services behind the log')
  const latencyRows = [['phase', 'orders', 'p50 ms', 'p99 ms', 'max ms', 'max inventory lag']]
  for (const phase of ['steady', 'burst', 'afterScaleOut'] as const) {
    const latencies = result.confirmed.filter((o) => o.phase === phase).map((o) => o.latencyMs)
    const window = phaseWindow(result, phase)
    const maxLag = Math.max(0, ...result.lag.filter((s) => s.at >= window[0] && s.at <= window[1]).map((s) => s.lag['inventory'] ?? 0))
    latencyRows.push([phase, String(latencies.length), String(percentile(latencies, 50)), String(percentile(latencies, 99)), String(Math.max(0, ...latencies)), String(maxLag)])
  }
  lines.push(...table(latencyRows).map((l) => `  ${l}`))

  if (result.crash !== undefined) {
    section('Broker crash')
    const { brokerId, at: crashedAt, restartedAt, backInSyncAt } = result.crash
    lines.push(`  broker ${brokerId} crashed at ${at(crashedAt)}, restarted at ${at(restartedAt)}, back in sync at ${at(backInSyncAt)}; acknowledged orders lost: ${violations.filter((v) => v.invariant === 'no acknowledged order is lost').length}`)
    lines.push(`  client log lines at WARN or above (requests to the dead broker, retries): ${result.clientWarnings.length}`)
  }

  section(violations.length === 0 ? 'All invariants hold.' : `${violations.length} invariant violations:`)
  for (const v of violations.slice(0, 50)) lines.push(`  ${v.invariant}: ${v.detail}`)
  if (violations.length > 50) lines.push(`  ... and ${violations.length - 50} more`)
  return lines
}

function phaseWindow(result: ScenarioResult, phase: 'steady' | 'burst' | 'afterScaleOut'): [number, number] {
  const { moments } = result
  if (phase === 'steady') return [moments.start, moments.burstStart ?? moments.end]
  if (phase === 'burst') return [moments.burstStart ?? moments.end, moments.scaleOutAt ?? moments.end]
  return [moments.scaleOutAt ?? moments.end, moments.end]
}

const MARKS: Array<[keyof ScenarioResult['moments'], string]> = [
  ['burstStart', 'burst starts'],
  ['burstEnd', 'burst ends'],
  ['scaleOutAt', '+2 inventory instances'],
  ['scaledOutAt', 'they have partitions'],
  ['drainedAt', 'everything handled'],
  ['committedAt', 'everything committed'],
]

/** About 24 rows of lag samples, with the story's turns marked and a bar for the inventory's lag. */
function lagChart(result: ScenarioResult): string[] {
  const { lag, moments } = result
  if (lag.length === 0) return ['(no samples)']
  const step = Math.max(1, Math.ceil(lag.length / 24))
  const maxInventory = Math.max(1, ...lag.map((s) => s.lag['inventory'] ?? 0))
  const rows = [['time', ...ORDER_GROUPS, '']]
  const marks = new Map<number, string[]>()
  const crashAt = result.crash?.at
  const turns: Array<[number | undefined, string]> = [...MARKS.map(([key, label]): [number | undefined, string] => [moments[key], label]), [crashAt, `broker ${result.crash?.brokerId} crashes`]]
  for (const [t, label] of turns) {
    if (t === undefined) continue
    const index = lag.findIndex((s) => s.at >= t)
    const row = Math.floor((index < 0 ? lag.length - 1 : index) / step) * step
    marks.set(row, [...(marks.get(row) ?? []), label])
  }
  for (let i = 0; i < lag.length; i += step) {
    const peak = lag.slice(i, i + step).reduce((best, s) => ((s.lag['inventory'] ?? 0) > (best.lag['inventory'] ?? 0) ? s : best), lag[i]!)
    const bar = '#'.repeat(Math.round(((peak.lag['inventory'] ?? 0) / maxInventory) * 30))
    const note = marks.get(i)?.join(', ')
    rows.push([elapsed(peak.at, moments.start), ...ORDER_GROUPS.map((g) => String(peak.lag[g] ?? '-')), `${bar.padEnd(30)}${note === undefined ? '' : `  <- ${note}`}`])
  }
  return table(rows, 'lrrrrl')
}

/**
 * The learner's timeline: what happened, when (cluster time since the start), and why. Orders with
 * the partition their key picked (computed with the real murmur2), rebalances with who got which
 * partitions, the broker crash and the new leaders, retries and dead letters; then, per order, which
 * instance of each service handled it.
 */
import { murmur2, toPositive } from '../../src/index.js'
import type { Delivery, EffectLedger } from './effect-ledger.js'

/** What an entry is about; `order` entries are the many, and can be shortened. */
export type TimelineKind = 'setup' | 'phase' | 'order' | 'declined' | 'cancel' | 'rebalance' | 'crash' | 'restart' | 'retry' | 'dead-letter' | 'scale'

/** One line of the timeline, with optional indented details. */
export interface TimelineEntry {
  at: number
  kind: TimelineKind
  text: string
  details?: string[]
}

/** A consumer joined its group (after a rebalance) and got these partitions. */
export interface MemberJoin {
  at: number
  groupId: string
  /** The consumer's member id: the same member joining again means a new rebalance. */
  memberId: string
  /** The service instance the consumer belongs to. */
  instance: string
  assignment: Record<string, number[]>
}

/** The partition Kafka's default partitioner picks for `key`, and the computation, for the learner. */
export function partitionWhy(key: string, partitions: number): { partition: number; text: string } {
  const hash = toPositive(murmur2(key))
  const partition = hash % partitions
  return { partition, text: `toPositive(murmur2("${key}")) = ${hash}, % ${partitions} = ${partition}` }
}

/** `+12.345s`: cluster time since `start`. */
export function elapsed(at: number, start: number): string {
  return `+${((at - start) / 1000).toFixed(3)}s`
}

function assignmentText(assignment: Record<string, number[]>): string {
  const topics = Object.entries(assignment).filter(([, partitions]) => partitions.length > 0)
  if (topics.length === 0) return '(no partition: more members than partitions)'
  return topics
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([topic, partitions]) => `${topic} [${[...partitions].sort((a, b) => a - b).join(',')}]`)
    .join('  ')
}

/** The timeline of one run. */
export class Timeline {
  readonly entries: TimelineEntry[] = []

  /**
   * @param start cluster time at which the story starts
   * @param onAdd called with each entry as it is added (the web demo shows them live)
   */
  constructor(
    readonly start: number,
    private readonly onAdd?: (entry: TimelineEntry) => void,
  ) {}

  add(at: number, kind: TimelineKind, text: string, details?: string[]): void {
    const entry = details === undefined ? { at, kind, text } : { at, kind, text, details }
    this.entries.push(entry)
    this.onAdd?.(entry)
  }

  /**
   * Adds one entry per rebalance of each group: the joins of one group that follow each other
   * within `windowMs`, each member at most once, are one rebalance. Of the rebalances until
   * `settledAt` (instances starting one after the other), only each group's last is shown.
   */
  addRebalances(joins: readonly MemberJoin[], settledAt: number, windowMs = 1_000): void {
    const rebalances: Array<{ groupId: string; first: number; joins: MemberJoin[] }> = []
    const open = new Map<string, { groupId: string; first: number; joins: MemberJoin[] }>()
    for (const join of [...joins].sort((a, b) => a.at - b.at)) {
      const current = open.get(join.groupId)
      if (current !== undefined && join.at - current.first <= windowMs && !current.joins.some((other) => other.memberId === join.memberId)) {
        current.joins.push(join)
        continue
      }
      const next = { groupId: join.groupId, first: join.at, joins: [join] }
      open.set(join.groupId, next)
      rebalances.push(next)
    }
    const lastAtStart = new Map(rebalances.filter((r) => r.first <= settledAt).map((r) => [r.groupId, r]))
    for (const rebalance of rebalances) {
      if (rebalance.first <= settledAt && lastAtStart.get(rebalance.groupId) !== rebalance) continue
      const byInstance = new Map<string, Record<string, number[]>>()
      for (const join of rebalance.joins) byInstance.set(join.instance, { ...byInstance.get(join.instance), ...join.assignment })
      const members = [...byInstance].sort(([a], [b]) => a.localeCompare(b))
      const width = Math.max(...members.map(([name]) => name.length))
      this.add(
        rebalance.first,
        'rebalance',
        `group "${rebalance.groupId}": ${members.length} instance${members.length === 1 ? '' : 's'}, each partition to one of them`,
        members.map(([name, assignment]) => `${name.padEnd(width)}  ${assignmentText(assignment)}`),
      )
    }
  }

  /** The timeline as lines, in time order; with `maxOrderLines`, later `order` lines are counted, not shown. */
  render(options: { maxOrderLines?: number } = {}): string[] {
    const max = options.maxOrderLines ?? Number.POSITIVE_INFINITY
    const sorted = this.entries.map((entry, index) => ({ entry, index })).sort((a, b) => a.entry.at - b.entry.at || a.index - b.index)
    const lines: string[] = []
    let orders = 0
    let hidden = 0
    for (const { entry } of sorted) {
      if (entry.kind === 'order' && ++orders > max) {
        hidden += 1
        continue
      }
      lines.push(`${elapsed(entry.at, this.start).padStart(10)}  ${entry.kind.padEnd(11)} ${entry.text}`)
      for (const detail of entry.details ?? []) lines.push(`${' '.repeat(24)}${detail}`)
    }
    if (hidden > 0) lines.push(`${' '.repeat(24)}(${hidden} more order lines not shown; --verbose shows them all)`)
    return lines
  }
}

/** One service's column of the handler table. */
export interface HandlerColumn {
  service: string
  ledger: EffectLedger<unknown>
  /** What to show for a key with no effect (e.g. `dead-lettered`). */
  instead?: (key: string) => string | undefined
  /** A note on a key's effect (e.g. `cancelled first`). */
  note?: (key: string) => string | undefined
}

/**
 * Which instance of each service handled each order; `(2 attempts)` where it took retries,
 * `(delivered 2x)` where Kafka delivered it again, and the column's own notes.
 */
export function renderHandlerTable(orders: ReadonlyArray<{ orderId: string; partition: number }>, columns: readonly HandlerColumn[], maxRows: number): string[] {
  const callsByColumn = columns.map((column) => {
    const byKey = new Map<string, Delivery[]>()
    for (const delivery of column.ledger.deliveries) {
      const calls = byKey.get(delivery.key)
      if (calls === undefined) byKey.set(delivery.key, [delivery])
      else calls.push(delivery)
    }
    return byKey
  })
  const cell = (index: number, key: string): string => {
    const column = columns[index]!
    const effect = column.ledger.effectOf(key)
    const calls = callsByColumn[index]!.get(key) ?? []
    const firstAttempts = calls.filter((d) => d.attempt === 1).length
    const notes = [
      calls.length > firstAttempts ? `${calls.length - firstAttempts + 1} attempts` : '',
      firstAttempts > 1 ? `delivered ${firstAttempts}x` : '',
      column.note?.(key) ?? '',
    ]
      .filter((note) => note !== '')
      .join(', ')
    const who = effect?.instance ?? column.instead?.(key) ?? '-'
    return notes === '' ? who : `${who} (${notes})`
  }
  const header = ['order', 'partition', ...columns.map((c) => c.service)]
  const rows = orders.slice(0, maxRows).map((o) => [o.orderId, String(o.partition), ...columns.map((_, index) => cell(index, o.orderId))])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()
  const lines = [line(header), ...rows.map(line)]
  if (orders.length > maxRows) lines.push(`(${orders.length - maxRows} more orders not shown; --verbose shows them all)`)
  return lines
}

/**
 * The guarantees a consumer's user cares about, judged on what the handlers did: at-least-once processing (every
 * record below the group's committed offset was processed by some member: the commit promised it), and
 * effectively-once effects (each effect, named by a key the user chooses such as an order id, applied once).
 */
import type { CommittedOffset } from 'kafkalite'
import type { FinalLog, LogRecord } from './observations.js'
import { oracleReport, type Anomaly, type OracleReport } from './oracle-report.js'

/**
 * Checks that every record of `log` below the group's committed offset of its partition (`committed`, read after the
 * run with `admin.fetchOffsets`) is among the `processed` records. A commit past an unprocessed record lost it for
 * good: no member will ever be given it again (say, a consumer that commits before its effect, then crashes).
 */
export function checkAtLeastOnceProcessing(processed: readonly LogRecord[], committed: readonly CommittedOffset[], log: FinalLog): OracleReport {
  const done = new Set(processed.map((r) => `${r.topic}/${r.partition}@${r.offset}`))
  const floor = new Map(committed.map((c) => [`${c.topic}/${c.partition}`, c.offset]))
  const anomalies: Anomaly[] = []
  let checked = 0
  for (const record of [...log.records].sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
    const below = floor.get(`${record.topic}/${record.partition}`)
    if (below === undefined || record.offset >= below) continue
    checked++
    if (!done.has(`${record.topic}/${record.partition}@${record.offset}`)) {
      anomalies.push({
        kind: 'committed-unprocessed',
        message: `${record.topic}/${record.partition}@${record.offset} ("${record.value}") lies below the committed offset ${below} but no handler finished processing it: it is lost to the group`,
      })
    }
  }
  return oracleReport('every record below the committed offset was processed', checked, anomalies)
}

/** Options of {@link checkEffectivelyOnce}. */
export interface EffectivelyOnceOptions {
  /** The keys that must have an effect (say, the id of every order sent): a missing one is an anomaly too. */
  readonly expected?: Iterable<string>
  /** What the effect is, for the report (default `effect`). */
  readonly effect?: string
}

/**
 * Checks that each effect key occurs at most once among `effects` (the side effects your service applied, each named
 * by `key`, e.g. `reserve stock for order 17`), and, with `expected`, exactly once. Redelivery is normal under
 * at-least-once; applying its effect twice is the bug this oracle is for.
 */
export function checkEffectivelyOnce<E>(effects: readonly E[], key: (effect: E) => string, options: EffectivelyOnceOptions = {}): OracleReport {
  const what = options.effect ?? 'effect'
  const count = new Map<string, number>()
  for (const effect of effects) count.set(key(effect), (count.get(key(effect)) ?? 0) + 1)
  const anomalies: Anomaly[] = []
  for (const [k, n] of count) if (n > 1) anomalies.push({ kind: 'effect-repeated', message: `${what} ${k} applied ${n} times` })
  for (const k of options.expected ?? []) if (!count.has(k)) anomalies.push({ kind: 'effect-missing', message: `${what} ${k} never applied` })
  return oracleReport(`each ${what} applied exactly once`, effects.length, anomalies)
}

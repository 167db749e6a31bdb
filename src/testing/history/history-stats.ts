/** Counts of what a history holds, reported beside the anomalies. */
import type { HistoryStats } from './history-report.js'
import type { ObservedLog } from './observed-log.js'
import type { Operation } from './operation.js'

/** Counts the operations of a history and what its observed log holds. */
export function historyStats(operations: readonly Operation[], log: ObservedLog): HistoryStats {
  const sends = { ok: 0, failed: 0, unknown: 0 }
  const commits = { ok: 0, failed: 0, unknown: 0 }
  let polls = 0
  let recordsRead = 0
  let positionChanges = 0
  let faults = 0
  const tally = (counts: typeof sends, outcome: 'ok' | 'fail' | 'info'): void => {
    if (outcome === 'ok') counts.ok++
    else if (outcome === 'fail') counts.failed++
    else counts.unknown++
  }
  for (const op of operations) {
    switch (op.type) {
      case 'send':
        tally(sends, op.outcome.type)
        break
      case 'commit':
        tally(commits, op.outcome.type)
        break
      case 'poll':
        polls++
        recordsRead += op.records.length
        break
      case 'assign':
      case 'rebalance':
      case 'seek':
        positionChanges++
        break
      case 'fault':
        faults++
        break
    }
  }
  let unseen = 0
  let duplicates = 0
  for (const p of log.values()) {
    unseen += p.acks.filter((ack) => !p.readValues.has(ack.value)).length
    for (const offsets of p.offsetsOfValue.values()) if (offsets.size > 1) duplicates++
  }
  return { operations: operations.length, sends, polls, recordsRead, commits, positionChanges, faults, partitions: log.size, unseen, duplicates }
}

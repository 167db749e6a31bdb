/**
 * Checks a recorded history for Jepsen's Kafka anomalies (`jepsen.tests.kafka`): lost-write, inconsistent-offsets,
 * nonmonotonic-poll, poll-skip, nonmonotonic-send, duplicate, and reads of values no send explains.
 */
import { findConsumerOrderAnomalies } from './consumer-order.js'
import { findDuplicates } from './duplicate.js'
import type { History } from './history.js'
import type { Anomalies, CheckOptions, HistoryReport } from './history-report.js'
import { historyStats } from './history-stats.js'
import { findInconsistentOffsets } from './inconsistent-offsets.js'
import { findLostWrites } from './lost-write.js'
import { findNonmonotonicSends } from './nonmonotonic-send.js'
import { observeLog, refOf } from './observed-log.js'
import type { Operation } from './operation.js'
import { parseOperation } from './parse-operation.js'
import { findUnexpectedValues } from './unexpected-value.js'

/**
 * Checks a history after a test run and reports every anomaly found, each entry naming the operations and offsets
 * that show it. The history is valid when every anomaly list is empty.
 *
 * @param history a {@link History}, or its operations in recording order (validated first)
 * @throws {HistoryError} when an operation given as a plain array is malformed
 *
 * @example
 * const report = checkHistory(history, { idempotent: true })
 * expect(report.valid, formatReport(report)).toBe(true)
 */
export function checkHistory(history: History | readonly Operation[], options: CheckOptions = {}): HistoryReport {
  // Duck-typed rather than instanceof, so a History from another copy of kafkalite (say, dist and src) still works.
  const operations = Array.isArray(history)
    ? history.map((op, i) => parseOperation(op, i))
    : (history as History).operations()
  const resolved: Required<CheckOptions> = {
    idempotent: options.idempotent ?? false,
    allowOffsetGaps: options.allowOffsetGaps ?? false,
    allSendsRecorded: options.allSendsRecorded ?? true,
    drained: options.drained ?? false,
    compactedTopics: options.compactedTopics ?? [],
  }
  const compacted = new Set(resolved.compactedTopics)
  const uncompacted = <T extends { readonly topic: string }>(found: T[]): T[] => (compacted.size === 0 ? found : found.filter((a) => !compacted.has(a.topic)))
  const log = observeLog(operations)
  const order = findConsumerOrderAnomalies(operations, log, resolved.allowOffsetGaps)
  const anomalies: Anomalies = {
    lostWrite: uncompacted(findLostWrites(log, resolved.drained)),
    inconsistentOffsets: findInconsistentOffsets(log),
    nonmonotonicPoll: order.nonmonotonicPoll,
    pollSkip: uncompacted(order.pollSkip),
    nonmonotonicSend: findNonmonotonicSends(operations),
    // Without idempotence a retried send may land twice: at-least-once allows it, so it is only counted.
    duplicate: resolved.idempotent ? findDuplicates(log) : [],
    unexpectedValue: findUnexpectedValues(operations, log, resolved.allSendsRecorded),
  }
  return {
    valid: Object.values(anomalies).every((list: readonly unknown[]) => list.length === 0),
    anomalies,
    stats: historyStats(operations, log),
    faults: operations.flatMap((op, i) => (op.type === 'fault' ? [{ op: refOf(op, i), description: op.description }] : [])),
    options: resolved,
  }
}

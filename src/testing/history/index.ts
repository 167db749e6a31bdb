/**
 * A Jepsen-style history checker for Kafka, public so that you can check your own test runs.
 *
 * Record what every producer and consumer of a test did ({@link History}), then {@link checkHistory} it. The
 * checker knows nothing of kafkalite's client or brokers: it reads only the history, so it checks a run against a
 * real Kafka just as well. The anomalies are those of Jepsen's Kafka workload (`jepsen.tests.kafka`):
 *
 * - **lost-write**: a send was acknowledged at offset o, some consumer polled past o, yet no poll ever returned the
 *   record. Consumers read that far, so the log must have lost it (an acks=1 write truncated after failover, or
 *   an unclean leader election).
 * - **inconsistent-offsets**: one offset of a partition seen holding two different values. An offset names one
 *   record forever in Kafka.
 * - **nonmonotonic-poll**: a consumer read a partition's offset at or below one it had already read there, without
 *   a rebalance, assign or seek in between. Within one partition, a consumer reads in order.
 * - **poll-skip**: a consumer jumped over offsets that hold records, without a rebalance, assign or seek in between.
 *   With `allowOffsetGaps` (transactions, compaction), only offsets seen holding a record count.
 * - **nonmonotonic-send**: a process's acknowledged sends to a partition went backwards in offset.
 * - **duplicate**: one value at two offsets: written twice. Normal for at-least-once producers that retry, so it is
 *   reported only with `idempotent: true` and otherwise counted in `stats.duplicates`.
 * - **unexpected-value**: a poll read a value that was never sent, or whose every send definitely failed.
 *
 * Like Jepsen, the checker tells records apart by value: give every value sent to a topic a unique string (say
 * `${producer}-${n}`), or duplicates and lost writes cannot be told from ordinary repeats.
 *
 * Polls are compared only between rebalances: after one, a consumer resumes from the group's committed offset and
 * may legitimately read records again (at-least-once).
 *
 * @example
 * const history = new History({ now: () => clock.now() })
 * // ... record sends, polls, rebalances and faults as the test runs ...
 * const report = checkHistory(history, { idempotent: true })
 * expect(report.valid, formatReport(report)).toBe(true)
 */
export { History, type HistoryJSON, type HistoryOptions } from './history.js'
export { HistoryError } from './history-error.js'
export { checkHistory } from './check-history.js'
export { formatReport, type FormatOptions } from './format-report.js'
export type * from './operation.js'
export type * from './history-report.js'

/**
 * `kafkalite/testing`: the kit for property tests of your own services' delivery guarantees. Fault schedules as
 * fast-check arbitraries and their applier, recorders that turn a producer's sends and a consumer's deliveries into a
 * {@link History} and observations, oracles that judge a run from the outside and return readable reports, a
 * `withCluster` fixture on virtual time, and a connection that lets `fc.scheduler()` order requests in flight.
 *
 * fast-check is a peer dependency. Everything here reaches the library through the package's own name, so the kit
 * and `kafkalite` share one copy of it (one `Cluster` class, one `History`), in ESM and in CommonJS alike.
 */
export * from './faults/index.js'
export * from './oracles/index.js'
export * from './recorders/index.js'
export * from './fixtures/index.js'
export { History, HistoryError, checkHistory, formatReport } from 'kafkalite'
export type {
  HistoryJSON,
  HistoryOptions,
  FormatOptions,
  TopicPartition,
  ReadRecord,
  CommittedOffset,
  SendOutcome,
  CommitOutcome,
  Operation,
  OperationInput,
  HistoryReport,
  CheckOptions,
} from 'kafkalite'

/**
 * Oracles: functions that judge a run from the outside and return a readable report. They take plain observations
 * (acknowledgements, deliveries, assignments, commits, the final log read afresh) and share no code with the broker
 * or the client they judge.
 */
export { anomaliesOf, formatOracleReports, oracleReport, type Anomaly, type OracleReport } from './oracle-report.js'
export type { Acknowledgement, CommitEvent, Delivery, FinalLog, GenerationAssignment, LogRecord, PartitionExtent } from './observations.js'
export { checkAcknowledgedWrites } from './acknowledged-writes.js'
export { checkDenseOffsets, checkNoDuplicates } from './log-shape.js'
export { checkReadsInLog } from './consumer-reads.js'
export { checkExactlyOnceTransform, checkReadCommitted } from './transactions.js'
export { checkDisjointAssignments } from './group-ownership.js'
export { checkCommittedMonotonic, checkNoDeliveryBelowCommit } from './committed-offsets.js'
export { checkCallsSettled, checkClusterRecovered, checkConsumersCaughtUp, checkNoUnhandledErrors, type CallRecord, type GroupLag, type PartitionHealth } from './liveness.js'
export { checkSameHistory } from './determinism.js'
export { checkHistoryOracle } from './history-oracle.js'
export { readFinalLog, type ReadFinalLogOptions } from './final-log-reader.js'
export { checkAtLeastOnceProcessing, checkEffectivelyOnce, type EffectivelyOnceOptions } from './processing.js'
export { readCommittedOffsets } from './committed-offsets-reader.js'

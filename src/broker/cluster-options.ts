/**
 * Options of a cluster: broker count, clock, seed, and the broker and topic defaults, each named
 * after Kafka's config in camelCase and defaulting to Kafka's default unless a row in
 * docs/semantics.md says otherwise.
 */
import { describeUnknownKeys } from '../protocol/unknown-keys.js'
import type { Clock } from '../time/index.js'
import type { AuthorizerOptions } from './acl/authorizer.js'
import { InvalidClusterOptionError } from './cluster-errors.js'

/** Options of `new Cluster(...)`. */
export interface ClusterOptions {
  /** Number of brokers, ids 0..N-1 (default 1). */
  brokers?: number
  /** Time source (default: a new SystemClock). Tests pass a VirtualClock. */
  clock?: Clock
  /** Seed of the cluster's random choices (replica placement, ids); default random. Print `cluster.seed` to replay. */
  seed?: number
  clusterId?: string
  /** `num.partitions` (default 1). */
  numPartitions?: number
  /** `default.replication.factor` (default 1). */
  defaultReplicationFactor?: number
  /** `min.insync.replicas` (default 1). */
  minInsyncReplicas?: number
  /** `auto.create.topics.enable` (default true). */
  autoCreateTopics?: boolean
  /** `message.max.bytes` (default 1048588). */
  maxMessageBytes?: number
  /** `replica.lag.time.max.ms` (default 30000). */
  replicaLagTimeMaxMs?: number
  /** `unclean.leader.election.enable` (default false). */
  uncleanLeaderElection?: boolean
  /** `group.initial.rebalance.delay.ms`: Kafka's default is 3000, kafkalite's 0 so tests do not wait. */
  groupInitialRebalanceDelayMs?: number
  /** `group.min.session.timeout.ms` (default 6000). */
  groupMinSessionTimeoutMs?: number
  /** `group.max.session.timeout.ms` (default 1800000). */
  groupMaxSessionTimeoutMs?: number
  /** `offsets.topic.num.partitions` (default 50). */
  offsetsTopicNumPartitions?: number
  /** `transaction.state.log.num.partitions` (default 50). */
  transactionStateNumPartitions?: number
  /** `transaction.max.timeout.ms` (default 900000). */
  transactionMaxTimeoutMs?: number
  /**
   * `broker.session.timeout.ms` (KRaft, default 9000): how long the controller waits for an
   * isolated broker before fencing it (moving its leaderships away, removing it from ISRs).
   */
  brokerSessionTimeoutMs?: number
  /** `replica.fetch.wait.max.ms` (default 500): how long a follower's fetch waits at the leader. */
  replicaFetchWaitMaxMs?: number
  /** `replica.fetch.backoff.ms` (default 1000): a follower's pause after a failed fetch. */
  replicaFetchBackoffMs?: number
  /** `log.retention.check.interval.ms` (default 300000): how often each broker's log cleaner applies retention. */
  logRetentionCheckIntervalMs?: number
  /**
   * `offsets.retention.minutes` (default 10080, 7 days): the committed offsets of a group that has
   * been empty this long expire, and the group with them (KIP-211).
   */
  offsetsRetentionMinutes?: number
  /** `offsets.retention.check.interval.ms` (default 600000): how often the group coordinator looks for expired offsets. */
  offsetsRetentionCheckIntervalMs?: number
  /** `producer.id.expiration.ms` (default 86400000, 1 day): a partition forgets an idempotent producer this long after its last write (KIP-854). */
  producerIdExpirationMs?: number
  /** `producer.id.expiration.check.interval.ms` (default 600000): how often each broker forgets expired producers. */
  producerIdExpirationCheckIntervalMs?: number
  /** `transactional.id.expiration.ms` (default 604800000, 7 days): the coordinator forgets a transactional id this long after its last transaction. */
  transactionalIdExpirationMs?: number
  /** `transaction.remove.expired.transaction.cleanup.interval.ms` (default 3600000): how often the coordinator forgets expired transactional ids. */
  transactionRemoveExpiredTransactionCleanupIntervalMs?: number
  /** Assert the replication invariants after every change (tests turn it on). */
  checkInvariants?: boolean
  /**
   * Turns authorization on (Kafka's `authorizer.class.name` = StandardAuthorizer): every request
   * is checked against the ACLs for its client's `principal`. Without it, every client may do
   * everything and the ACL APIs answer SECURITY_DISABLED, as Kafka does.
   */
  authorizer?: AuthorizerOptions
}

/** Every option resolved to its value. */
export type ClusterConfig = Required<Omit<ClusterOptions, 'clock' | 'seed' | 'clusterId' | 'authorizer'>>

function positiveInt(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidClusterOptionError(`Cluster option ${name} must be an integer >= ${min}, got ${value}`)
  }
  return value
}

/** The `authorizer` option: super users are `Type:name` principals, the flag a boolean. */
function checkAuthorizer(authorizer: unknown): void {
  if (authorizer === undefined) return
  if (authorizer === null || typeof authorizer !== 'object') {
    throw new InvalidClusterOptionError(`Cluster option authorizer must be an object { superUsers?, allowEveryoneIfNoAclFound? }, got ${String(authorizer)}`)
  }
  const { superUsers, allowEveryoneIfNoAclFound } = authorizer as { superUsers?: unknown; allowEveryoneIfNoAclFound?: unknown }
  if (superUsers !== undefined && !(Array.isArray(superUsers) && superUsers.every((u) => typeof u === 'string' && u.includes(':')))) {
    throw new InvalidClusterOptionError(`Cluster option authorizer.superUsers must be an array of principals such as 'User:admin', got ${JSON.stringify(superUsers)}`)
  }
  if (allowEveryoneIfNoAclFound !== undefined && typeof allowEveryoneIfNoAclFound !== 'boolean') {
    throw new InvalidClusterOptionError(`Cluster option authorizer.allowEveryoneIfNoAclFound must be a boolean, got ${String(allowEveryoneIfNoAclFound)}`)
  }
}

/** Every key of {@link ClusterOptions}, to reject misspelt ones. */
const KNOWN_OPTIONS: ReadonlyArray<keyof ClusterOptions> = [
  'brokers', 'clock', 'seed', 'clusterId', 'numPartitions', 'defaultReplicationFactor', 'minInsyncReplicas', 'autoCreateTopics',
  'maxMessageBytes', 'replicaLagTimeMaxMs', 'uncleanLeaderElection', 'groupInitialRebalanceDelayMs', 'groupMinSessionTimeoutMs',
  'groupMaxSessionTimeoutMs', 'offsetsTopicNumPartitions', 'transactionStateNumPartitions', 'transactionMaxTimeoutMs',
  'brokerSessionTimeoutMs', 'replicaFetchWaitMaxMs', 'replicaFetchBackoffMs', 'logRetentionCheckIntervalMs', 'checkInvariants', 'authorizer',
  'offsetsRetentionMinutes', 'offsetsRetentionCheckIntervalMs', 'producerIdExpirationMs', 'producerIdExpirationCheckIntervalMs',
  'transactionalIdExpirationMs', 'transactionRemoveExpiredTransactionCleanupIntervalMs',
]

/**
 * Resolves defaults and validates ranges and combinations; throws {@link InvalidClusterOptionError}
 * on bad input: an unknown (misspelt) option, a value out of range, or options that contradict each other.
 */
export function resolveClusterConfig(options: ClusterOptions): ClusterConfig {
  if (options === null || typeof options !== 'object') {
    throw new InvalidClusterOptionError(`new Cluster(options) needs an options object, got ${String(options)}`)
  }
  const unknown = describeUnknownKeys(options, KNOWN_OPTIONS, 'Cluster option')
  if (unknown !== undefined) throw new InvalidClusterOptionError(`${unknown}; the options are ${KNOWN_OPTIONS.join(', ')}`)
  checkAuthorizer(options.authorizer)
  const config: ClusterConfig = {
    brokers: options.brokers ?? 1,
    numPartitions: options.numPartitions ?? 1,
    defaultReplicationFactor: options.defaultReplicationFactor ?? 1,
    minInsyncReplicas: options.minInsyncReplicas ?? 1,
    autoCreateTopics: options.autoCreateTopics ?? true,
    maxMessageBytes: options.maxMessageBytes ?? 1048588,
    replicaLagTimeMaxMs: options.replicaLagTimeMaxMs ?? 30000,
    uncleanLeaderElection: options.uncleanLeaderElection ?? false,
    groupInitialRebalanceDelayMs: options.groupInitialRebalanceDelayMs ?? 0,
    groupMinSessionTimeoutMs: options.groupMinSessionTimeoutMs ?? 6000,
    groupMaxSessionTimeoutMs: options.groupMaxSessionTimeoutMs ?? 1800000,
    offsetsTopicNumPartitions: options.offsetsTopicNumPartitions ?? 50,
    transactionStateNumPartitions: options.transactionStateNumPartitions ?? 50,
    transactionMaxTimeoutMs: options.transactionMaxTimeoutMs ?? 900000,
    brokerSessionTimeoutMs: options.brokerSessionTimeoutMs ?? 9000,
    replicaFetchWaitMaxMs: options.replicaFetchWaitMaxMs ?? 500,
    replicaFetchBackoffMs: options.replicaFetchBackoffMs ?? 1000,
    logRetentionCheckIntervalMs: options.logRetentionCheckIntervalMs ?? 300000,
    offsetsRetentionMinutes: options.offsetsRetentionMinutes ?? 10080,
    offsetsRetentionCheckIntervalMs: options.offsetsRetentionCheckIntervalMs ?? 600000,
    producerIdExpirationMs: options.producerIdExpirationMs ?? 86400000,
    producerIdExpirationCheckIntervalMs: options.producerIdExpirationCheckIntervalMs ?? 600000,
    transactionalIdExpirationMs: options.transactionalIdExpirationMs ?? 604800000,
    transactionRemoveExpiredTransactionCleanupIntervalMs: options.transactionRemoveExpiredTransactionCleanupIntervalMs ?? 3600000,
    checkInvariants: options.checkInvariants ?? false,
  }
  positiveInt('brokers', config.brokers)
  positiveInt('numPartitions', config.numPartitions)
  positiveInt('defaultReplicationFactor', config.defaultReplicationFactor)
  positiveInt('minInsyncReplicas', config.minInsyncReplicas)
  positiveInt('maxMessageBytes', config.maxMessageBytes, 0)
  positiveInt('replicaLagTimeMaxMs', config.replicaLagTimeMaxMs)
  positiveInt('groupInitialRebalanceDelayMs', config.groupInitialRebalanceDelayMs, 0)
  positiveInt('groupMinSessionTimeoutMs', config.groupMinSessionTimeoutMs, 0)
  positiveInt('groupMaxSessionTimeoutMs', config.groupMaxSessionTimeoutMs, config.groupMinSessionTimeoutMs)
  positiveInt('offsetsTopicNumPartitions', config.offsetsTopicNumPartitions)
  positiveInt('transactionStateNumPartitions', config.transactionStateNumPartitions)
  positiveInt('transactionMaxTimeoutMs', config.transactionMaxTimeoutMs)
  positiveInt('brokerSessionTimeoutMs', config.brokerSessionTimeoutMs)
  positiveInt('replicaFetchWaitMaxMs', config.replicaFetchWaitMaxMs, 0)
  positiveInt('replicaFetchBackoffMs', config.replicaFetchBackoffMs, 0)
  positiveInt('logRetentionCheckIntervalMs', config.logRetentionCheckIntervalMs)
  positiveInt('offsetsRetentionMinutes', config.offsetsRetentionMinutes)
  positiveInt('offsetsRetentionCheckIntervalMs', config.offsetsRetentionCheckIntervalMs)
  positiveInt('producerIdExpirationMs', config.producerIdExpirationMs)
  positiveInt('producerIdExpirationCheckIntervalMs', config.producerIdExpirationCheckIntervalMs)
  positiveInt('transactionalIdExpirationMs', config.transactionalIdExpirationMs)
  positiveInt('transactionRemoveExpiredTransactionCleanupIntervalMs', config.transactionRemoveExpiredTransactionCleanupIntervalMs)
  // Kafka would refuse every auto-created topic with INVALID_REPLICATION_FACTOR: say so now, not at the first send.
  if (config.defaultReplicationFactor > config.brokers) {
    throw new InvalidClusterOptionError(
      `defaultReplicationFactor ${config.defaultReplicationFactor} needs at least that many brokers, but brokers is ${config.brokers}: ` +
        `pass brokers: ${config.defaultReplicationFactor} or lower defaultReplicationFactor`,
    )
  }
  return config
}

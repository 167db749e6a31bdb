/**
 * Broker configs (Kafka's `KafkaConfig` and `DynamicBrokerConfig`): the static ones a broker
 * starts with (the cluster options, under Kafka's names) and the dynamic ones set at run time by
 * AlterConfigs, per broker (`resourceName` = the id) or as the cluster-wide default
 * (`resourceName` = ''). The dynamic ones are the broker defaults of topic configs (Kafka's
 * `LogConfig` synonyms such as `log.retention.ms`), plus any custom name, which Kafka stores too.
 */
import type { ClusterConfig } from './cluster-options.js'

/** The scope of the cluster-wide dynamic default (`ConfigResource(BROKER, "")`). */
export const CLUSTER_DEFAULT = ''

/** Static broker configs that cannot change at run time ("read-only" in Kafka's docs). */
export function staticBrokerConfigs(config: ClusterConfig, brokerId: number): ReadonlyMap<string, string> {
  return new Map([
    ['broker.id', String(brokerId)],
    ['num.partitions', String(config.numPartitions)],
    ['default.replication.factor', String(config.defaultReplicationFactor)],
    ['auto.create.topics.enable', String(config.autoCreateTopics)],
    ['replica.lag.time.max.ms', String(config.replicaLagTimeMaxMs)],
    ['replica.fetch.wait.max.ms', String(config.replicaFetchWaitMaxMs)],
    ['replica.fetch.backoff.ms', String(config.replicaFetchBackoffMs)],
    ['group.initial.rebalance.delay.ms', String(config.groupInitialRebalanceDelayMs)],
    ['group.min.session.timeout.ms', String(config.groupMinSessionTimeoutMs)],
    ['group.max.session.timeout.ms', String(config.groupMaxSessionTimeoutMs)],
    ['offsets.topic.num.partitions', String(config.offsetsTopicNumPartitions)],
    ['transaction.state.log.num.partitions', String(config.transactionStateNumPartitions)],
    ['transaction.max.timeout.ms', String(config.transactionMaxTimeoutMs)],
    ['broker.session.timeout.ms', String(config.brokerSessionTimeoutMs)],
    ['offsets.retention.minutes', String(config.offsetsRetentionMinutes)],
    ['offsets.retention.check.interval.ms', String(config.offsetsRetentionCheckIntervalMs)],
    ['producer.id.expiration.ms', String(config.producerIdExpirationMs)],
    ['producer.id.expiration.check.interval.ms', String(config.producerIdExpirationCheckIntervalMs)],
    ['transactional.id.expiration.ms', String(config.transactionalIdExpirationMs)],
    ['transaction.remove.expired.transaction.cleanup.interval.ms', String(config.transactionRemoveExpiredTransactionCleanupIntervalMs)],
  ])
}

/** Dynamic broker configs by scope (a broker id, or {@link CLUSTER_DEFAULT}); the controller owns it. */
export class DynamicBrokerConfigs {
  private readonly scopes = new Map<string, ReadonlyMap<string, string>>()
  private changes = 0

  /** Counts the changes: what was read from here before is stale when it moved. */
  get version(): number {
    return this.changes
  }

  /** The dynamic value of `name` in `scope`, if one is set. */
  get(scope: string, name: string): string | undefined {
    return this.scopes.get(scope)?.get(name)
  }

  /** Every dynamic config set in `scope`. */
  entries(scope: string): ReadonlyMap<string, string> {
    return this.scopes.get(scope) ?? new Map()
  }

  /** Replaces the whole set of `scope` (AlterConfigs semantics; IncrementalAlterConfigs computes the new set first). */
  replace(scope: string, configs: ReadonlyMap<string, string>): void {
    if (configs.size === 0) this.scopes.delete(scope)
    else this.scopes.set(scope, new Map(configs))
    this.changes++
  }
}

/**
 * DescribeConfigs (API key 32): a topic's configs (its overrides, source TOPIC_CONFIG, and every
 * other known config at its default) or a broker's (the cluster options, under Kafka's names).
 * Only configs kafkalite knows are listed; `includeSynonyms` is ignored (no synonyms are returned).
 */
import { ConfigResourceType, ConfigSource, Errors, type DescribeConfigsRequest, type DescribeConfigsResponse } from '../../protocol/index.js'
import type { ClusterConfig } from '../cluster-options.js'
import { TOPIC_CONFIGS } from '../topic-config.js'
import type { HandlerContext } from './handler-context.js'

type Resource = DescribeConfigsResponse['resources'][number]
type Entry = Resource['configEntries'][number]

function brokerConfigs(config: ClusterConfig, brokerId: number): Array<[string, string]> {
  return [
    ['broker.id', String(brokerId)],
    ['num.partitions', String(config.numPartitions)],
    ['default.replication.factor', String(config.defaultReplicationFactor)],
    ['min.insync.replicas', String(config.minInsyncReplicas)],
    ['auto.create.topics.enable', String(config.autoCreateTopics)],
    ['message.max.bytes', String(config.maxMessageBytes)],
    ['replica.lag.time.max.ms', String(config.replicaLagTimeMaxMs)],
    ['replica.fetch.wait.max.ms', String(config.replicaFetchWaitMaxMs)],
    ['replica.fetch.backoff.ms', String(config.replicaFetchBackoffMs)],
    ['unclean.leader.election.enable', String(config.uncleanLeaderElection)],
    ['group.initial.rebalance.delay.ms', String(config.groupInitialRebalanceDelayMs)],
    ['group.min.session.timeout.ms', String(config.groupMinSessionTimeoutMs)],
    ['group.max.session.timeout.ms', String(config.groupMaxSessionTimeoutMs)],
    ['offsets.topic.num.partitions', String(config.offsetsTopicNumPartitions)],
    ['transaction.state.log.num.partitions', String(config.transactionStateNumPartitions)],
    ['transaction.max.timeout.ms', String(config.transactionMaxTimeoutMs)],
    ['broker.session.timeout.ms', String(config.brokerSessionTimeoutMs)],
  ]
}

function entry(configName: string, configValue: string, isDefault: boolean, configSource: number): Entry {
  return { configName, configValue, readOnly: false, isDefault, configSource, isSensitive: false }
}

/** Serves a DescribeConfigs request at a broker. */
export function handleDescribeConfigs(ctx: HandlerContext, request: DescribeConfigsRequest): DescribeConfigsResponse {
  const resources = request.resources.map((r): Resource => {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName }
    const wanted = (name: string): boolean => r.configNames === null || r.configNames.includes(name)
    if (r.resourceType === ConfigResourceType.TOPIC) {
      const topic = ctx.broker.metadata.topic(r.resourceName)
      if (topic === undefined) {
        return { ...base, errorCode: Errors.UNKNOWN_TOPIC_OR_PARTITION.code, errorMessage: `Topic ${r.resourceName} does not exist`, configEntries: [] }
      }
      const configEntries = Object.keys(TOPIC_CONFIGS)
        .filter(wanted)
        .map((name) => {
          const isDefault = topic.config.isDefault(name)
          return entry(name, topic.config.get(name), isDefault, isDefault ? ConfigSource.DEFAULT_CONFIG : ConfigSource.TOPIC_CONFIG)
        })
      return { ...base, errorCode: 0, errorMessage: null, configEntries }
    }
    if (r.resourceType === ConfigResourceType.BROKER) {
      const id = Number(r.resourceName)
      if (r.resourceName !== '' && (!Number.isInteger(id) || !ctx.cluster.controller.knowsBroker(id))) {
        return { ...base, errorCode: Errors.INVALID_REQUEST.code, errorMessage: `Unknown broker id ${r.resourceName}`, configEntries: [] }
      }
      const configEntries = brokerConfigs(ctx.cluster.config, r.resourceName === '' ? ctx.broker.id : id)
        .filter(([name]) => wanted(name))
        .map(([name, value]) => entry(name, value, false, ConfigSource.STATIC_BROKER_CONFIG))
      return { ...base, errorCode: 0, errorMessage: null, configEntries }
    }
    return { ...base, errorCode: Errors.INVALID_REQUEST.code, errorMessage: `Unsupported resource type ${r.resourceType}`, configEntries: [] }
  })
  return { resources }
}

/**
 * DescribeConfigs (API key 32), versions 0-4 in substance.
 *
 * - A TOPIC resource: every topic config kafkalite knows with its effective value and source:
 *   TOPIC_CONFIG (an override), DYNAMIC_DEFAULT_BROKER_CONFIG (a cluster-wide AlterConfigs),
 *   STATIC_BROKER_CONFIG (a cluster option such as `minInsyncReplicas`) or DEFAULT_CONFIG.
 * - A BROKER resource (an id, or '' for the cluster-wide defaults): the static broker configs
 *   (read-only), the broker-level synonyms of the topic configs (`log.retention.ms`, ...) with
 *   their sources, and any custom dynamic config.
 * - v1 `includeSynonyms`: each entry lists every source of its value, highest precedence first.
 * - Errors: UNKNOWN_TOPIC_OR_PARTITION, INVALID_REQUEST (unknown broker, unsupported type);
 *   with an authorizer DESCRIBE_CONFIGS on the topic (TOPIC_AUTHORIZATION_FAILED) or the cluster
 *   (CLUSTER_AUTHORIZATION_FAILED).
 *
 * Not modelled: sensitive configs (none are known), config documentation and types (v3).
 */
import { AclOperation, ConfigResourceType, ConfigSource, Errors, type DescribeConfigsRequest, type DescribeConfigsResponse } from '../../protocol/index.js'
import { CLUSTER_DEFAULT, staticBrokerConfigs } from '../broker-config.js'
import { brokerSynonyms, TOPIC_CONFIGS, topicConfigOfSynonym, type ConfigSynonym } from '../topic-config.js'
import { allowedOnCluster, allowedOnTopic } from './authorization.js'
import type { HandlerContext } from './handler-context.js'

type Resource = DescribeConfigsResponse['resources'][number]
type Entry = Resource['configEntries'][number]

function entry(configName: string, synonyms: readonly ConfigSynonym[], readOnly: boolean, includeSynonyms: boolean): Entry {
  const effective = synonyms[0]!
  const configSource = ConfigSource[effective.source]
  return {
    configName,
    configValue: effective.value,
    readOnly,
    isDefault: configSource === ConfigSource.DEFAULT_CONFIG,
    configSource,
    isSensitive: false,
    synonyms: includeSynonyms ? synonyms.map((s) => ({ name: s.name, value: s.value, source: ConfigSource[s.source] })) : [],
  }
}

function describeBroker(ctx: HandlerContext, scope: string, wanted: (name: string) => boolean, includeSynonyms: boolean): Entry[] {
  const config = ctx.cluster.config
  const dynamic = ctx.cluster.controller.brokerConfigs
  const brokerId = scope === CLUSTER_DEFAULT ? undefined : Number(scope)
  const entries: Entry[] = []
  for (const [name, value] of staticBrokerConfigs(config, brokerId ?? ctx.broker.id)) {
    if (wanted(name)) entries.push(entry(name, [{ name, value, source: 'STATIC_BROKER_CONFIG' }], true, includeSynonyms))
  }
  for (const topicConfig of Object.keys(TOPIC_CONFIGS)) {
    const name = TOPIC_CONFIGS[topicConfig]!.synonym
    if (wanted(name)) entries.push(entry(name, brokerSynonyms(topicConfig, config, dynamic, brokerId), false, includeSynonyms))
  }
  const custom = new Map([...dynamic.entries(CLUSTER_DEFAULT), ...(brokerId === undefined ? [] : dynamic.entries(scope))])
  for (const [name, value] of custom) {
    if (topicConfigOfSynonym(name) !== undefined || !wanted(name)) continue
    const source = brokerId !== undefined && dynamic.get(scope, name) !== undefined ? 'DYNAMIC_BROKER_CONFIG' : 'DYNAMIC_DEFAULT_BROKER_CONFIG'
    entries.push(entry(name, [{ name, value, source }], false, includeSynonyms))
  }
  return entries
}

/** Serves a DescribeConfigs request at a broker. */
export function handleDescribeConfigs(ctx: HandlerContext, request: DescribeConfigsRequest): DescribeConfigsResponse {
  const resources = request.resources.map((r): Resource => {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName }
    const wanted = (name: string): boolean => r.configNames === null || r.configNames.includes(name)
    if (r.resourceType === ConfigResourceType.TOPIC) {
      if (!allowedOnTopic(ctx, AclOperation.DESCRIBE_CONFIGS, r.resourceName)) {
        return { ...base, errorCode: Errors.TOPIC_AUTHORIZATION_FAILED.code, errorMessage: `Not authorized to DESCRIBE_CONFIGS topic ${r.resourceName}`, configEntries: [] }
      }
      const topic = ctx.broker.metadata.topic(r.resourceName)
      if (topic === undefined) {
        return { ...base, errorCode: Errors.UNKNOWN_TOPIC_OR_PARTITION.code, errorMessage: `Topic ${r.resourceName} does not exist`, configEntries: [] }
      }
      const configEntries = Object.keys(TOPIC_CONFIGS)
        .filter(wanted)
        .map((name) => entry(name, topic.config.synonyms(name), false, request.includeSynonyms))
      return { ...base, errorCode: 0, errorMessage: null, configEntries }
    }
    if (r.resourceType === ConfigResourceType.BROKER) {
      if (!allowedOnCluster(ctx, AclOperation.DESCRIBE_CONFIGS)) {
        return { ...base, errorCode: Errors.CLUSTER_AUTHORIZATION_FAILED.code, errorMessage: 'Not authorized to DESCRIBE_CONFIGS the cluster', configEntries: [] }
      }
      const id = Number(r.resourceName)
      if (r.resourceName !== CLUSTER_DEFAULT && (!/^\d+$/.test(r.resourceName) || !ctx.cluster.controller.knowsBroker(id))) {
        return { ...base, errorCode: Errors.INVALID_REQUEST.code, errorMessage: `Unknown broker id ${r.resourceName}`, configEntries: [] }
      }
      return { ...base, errorCode: 0, errorMessage: null, configEntries: describeBroker(ctx, r.resourceName, wanted, request.includeSynonyms) }
    }
    return { ...base, errorCode: Errors.INVALID_REQUEST.code, errorMessage: `Unsupported resource type ${r.resourceType}`, configEntries: [] }
  })
  return { resources }
}

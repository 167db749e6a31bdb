/** The admin's config calls (DescribeConfigs, AlterConfigs, IncrementalAlterConfigs), with KafkaJS's checks and result shapes. */
import type { ApiName, RequestOf, ResponseOf } from '../../protocol/api.js'
import type { AlterConfigsResourceResult, DescribeConfigsRequest } from '../../protocol/metadata-apis.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSNonRetriableError, protocolError } from '../errors.js'
import type { AlterConfigsResult, DescribeConfigResponse, IncrementalResourceConfig, IResourceConfig, ResourceConfigQuery } from './admin-types.js'
import { sendToController } from './metadata-lookups.js'
import { AlterConfigOpTypes, ConfigResourceTypes, ConfigSource } from './resource-types.js'

const BROKER_TYPES = new Set<number>([ConfigResourceTypes.BROKER, ConfigResourceTypes.BROKER_LOGGER])

/** KafkaJS's checks shared by describeConfigs and alterConfigs, with its messages. */
function checkTypesAndNames(resources: unknown, allowClusterDefault = false): asserts resources is Array<{ type: number; name: string } & Record<string, unknown>> {
  if (!resources || !Array.isArray(resources)) throw new KafkaJSNonRetriableError(`Invalid resources array ${String(resources)}`)
  if (resources.length === 0) throw new KafkaJSNonRetriableError('Resources array cannot be empty')
  const validTypes = Object.values(ConfigResourceTypes) as number[]
  const invalidType = resources.find((r) => !validTypes.includes(r?.type))
  if (invalidType !== undefined) throw new KafkaJSNonRetriableError(`Invalid resource type ${String(invalidType?.type)}: ${JSON.stringify(invalidType)}`)
  const clusterDefault = (r: { type: number; name?: unknown }): boolean => allowClusterDefault && r.type === ConfigResourceTypes.BROKER && r.name === ''
  const invalidName = resources.find((r) => (!r.name || typeof r.name !== 'string') && !clusterDefault(r))
  if (invalidName !== undefined) throw new KafkaJSNonRetriableError(`Invalid resource name ${String(invalidName.name)}: ${JSON.stringify(invalidName)}`)
}

function checkResources(resources: unknown): asserts resources is ResourceConfigQuery[] {
  checkTypesAndNames(resources)
  const invalidConfigs = resources.find((r) => !Array.isArray(r.configNames) && r.configNames !== undefined && r.configNames !== null)
  if (invalidConfigs !== undefined) {
    throw new KafkaJSNonRetriableError(`Invalid resource configNames ${String(invalidConfigs.configNames)}: ${JSON.stringify(invalidConfigs)}`)
  }
}

/**
 * `admin.describeConfigs`: the configs of topics (asked of the controller) and brokers (asked of
 * that broker). Rejects with the broker's error for the first resource it could not describe.
 */
export async function describeConfigs(
  client: BrokerRouter,
  options: { resources: ResourceConfigQuery[]; includeSynonyms?: boolean },
): Promise<DescribeConfigResponse> {
  const { resources, includeSynonyms = false } = options ?? ({} as never)
  checkResources(resources)
  const toRequest = (list: ResourceConfigQuery[]): DescribeConfigsRequest => ({
    resources: list.map((r) => ({ resourceType: r.type, resourceName: r.name, configNames: r.configNames ?? null })),
    includeSynonyms,
  })
  const brokerResources = resources.filter((r) => BROKER_TYPES.has(r.type))
  const otherResources = resources.filter((r) => !BROKER_TYPES.has(r.type))
  const answers = await Promise.all([
    ...(otherResources.length > 0 ? [sendToController(client, 'DescribeConfigs', toRequest(otherResources), (response) => response)] : []),
    ...brokerResources.map((r) =>
      client.retrier(async () => {
        // A broker resource is described by that broker itself, as in Kafka.
        const brokerId = Number(r.name)
        if (!Number.isInteger(brokerId)) throw new KafkaJSNonRetriableError(`Invalid broker id ${JSON.stringify(r.name)} in a BROKER resource`)
        return client.send(brokerId, 'DescribeConfigs', toRequest([r]))
      }),
    ),
  ])
  const described = answers.flatMap((a) => a.resources)
  const failed = described.find((r) => r.errorCode !== 0)
  if (failed !== undefined) throw protocolError(failed.errorCode, `describing ${failed.resourceName}`, failed.errorMessage)
  return {
    resources: described.map((r) => ({
      errorCode: r.errorCode,
      errorMessage: r.errorMessage ?? '',
      resourceType: r.resourceType as ConfigResourceTypes,
      resourceName: r.resourceName,
      configEntries: r.configEntries.map((e) => ({
        configName: e.configName,
        configValue: e.configValue as string,
        readOnly: e.readOnly,
        isDefault: e.configSource === ConfigSource.DEFAULT_CONFIG,
        configSource: e.configSource as ConfigSource,
        isSensitive: e.isSensitive,
        configSynonyms: e.synonyms.map((s) => ({ configName: s.name, configValue: s.value as string, configSource: s.source as ConfigSource })),
      })),
    })),
    throttleTime: 0,
  }
}

/**
 * KafkaJS's alterConfigs checks, in its order and with its messages; `requireValue` is false for
 * incremental DELETEs, and `incremental` also accepts the cluster-wide broker default (name '').
 */
function checkAlterResources(resources: unknown, requireValue: (entry: { value?: unknown; operation?: unknown }) => boolean, incremental: boolean): void {
  checkTypesAndNames(resources, incremental)
  const invalidConfigs = resources.find((r) => !Array.isArray(r.configEntries))
  if (invalidConfigs !== undefined) {
    const { configEntries } = invalidConfigs
    throw new KafkaJSNonRetriableError(`Invalid resource configEntries ${String(configEntries)}: ${JSON.stringify(invalidConfigs)}`)
  }
  const invalidValue = resources.find((r) =>
    (r.configEntries as Array<{ name?: unknown; value?: unknown; operation?: unknown }>).some(
      (e) => typeof e.name !== 'string' || (requireValue(e) && typeof e.value !== 'string'),
    ),
  )
  if (invalidValue !== undefined) throw new KafkaJSNonRetriableError(`Invalid resource config value: ${JSON.stringify(invalidValue)}`)
}

/**
 * Sends per-resource requests where KafkaJS does: a broker resource to that broker (the
 * cluster-wide default, name '', to the controller), every other resource to the controller;
 * rejects with the broker's error for the first resource that failed, as KafkaJS's response parser.
 */
async function alterByResource<K extends 'AlterConfigs' | 'IncrementalAlterConfigs', R extends { type: number; name: string }>(
  client: BrokerRouter,
  api: K,
  resources: R[],
  toRequest: (list: R[]) => RequestOf<K>,
): Promise<AlterConfigsResult> {
  const byBroker = (r: R): boolean => BROKER_TYPES.has(r.type) && r.name !== ''
  const check = (response: ResponseOf<ApiName & K>): AlterConfigsResourceResult[] => {
    const failed = response.resources.find((r) => r.errorCode !== 0)
    if (failed !== undefined) throw protocolError(failed.errorCode, `altering the configs of ${failed.resourceName}`, failed.errorMessage)
    return [...response.resources]
  }
  const toController = resources.filter((r) => !byBroker(r))
  const answers = await Promise.all([
    ...(toController.length > 0 ? [sendToController(client, api, toRequest(toController), check)] : []),
    ...resources.filter(byBroker).map((r) =>
      client.retrier(async (bail) => {
        const brokerId = Number(r.name)
        if (!Number.isInteger(brokerId)) return bail(new KafkaJSNonRetriableError(`Invalid broker id ${JSON.stringify(r.name)} in a BROKER resource: use a broker id, or '' for the cluster-wide default`))
        const response = await client.send(brokerId, api, toRequest([r]))
        try {
          return check(response)
        } catch (error) {
          return bail(error as Error)
        }
      }),
    ),
  ])
  return {
    resources: answers.flat().map((r) => ({
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
      resourceType: r.resourceType as ConfigResourceTypes,
      resourceName: r.resourceName,
    })),
  }
}

/**
 * `admin.alterConfigs` (AlterConfigs): each resource's dynamic configs become exactly the given
 * entries; configs not named return to their defaults, as in Kafka. Takes effect at once.
 */
export async function alterConfigs(client: BrokerRouter, options: { resources: IResourceConfig[]; validateOnly?: boolean }): Promise<AlterConfigsResult> {
  const { resources, validateOnly } = options ?? ({} as never)
  checkAlterResources(resources, () => true, false)
  return alterByResource(client, 'AlterConfigs', resources, (list) => ({
    resources: list.map((r) => ({ resourceType: r.type, resourceName: r.name, configs: r.configEntries.map((e) => ({ name: e.name, value: e.value })) })),
    validateOnly: !!validateOnly,
  }))
}

/**
 * `admin.incrementalAlterConfigs` (IncrementalAlterConfigs, KIP-339; a kafkalite extra, KafkaJS
 * 2.2.4 lacks it): SET, DELETE, APPEND or SUBTRACT single configs, leaving the others as they are.
 */
export async function incrementalAlterConfigs(
  client: BrokerRouter,
  options: { resources: IncrementalResourceConfig[]; validateOnly?: boolean },
): Promise<AlterConfigsResult> {
  const { resources, validateOnly } = options ?? ({} as never)
  const operations = Object.values(AlterConfigOpTypes) as unknown[]
  checkAlterResources(resources, (e) => e.operation !== AlterConfigOpTypes.DELETE, true)
  const badOperation = resources.find((r) => r.configEntries.some((e) => e.operation !== undefined && !operations.includes(e.operation)))
  if (badOperation !== undefined) {
    throw new KafkaJSNonRetriableError(`Invalid config operation: ${JSON.stringify(badOperation)}; use AlterConfigOpTypes SET, DELETE, APPEND or SUBTRACT`)
  }
  return alterByResource(client, 'IncrementalAlterConfigs', resources, (list) => ({
    resources: list.map((r) => ({
      resourceType: r.type,
      resourceName: r.name,
      configs: r.configEntries.map((e) => ({ name: e.name, configOperation: e.operation ?? AlterConfigOpTypes.SET, value: e.value ?? null })),
    })),
    validateOnly: !!validateOnly,
  }))
}

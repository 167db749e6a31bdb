/** The admin's DescribeConfigs, with KafkaJS's checks and result shape. */
import type { DescribeConfigsRequest } from '../../protocol/metadata-apis.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSNonRetriableError, protocolError } from '../errors.js'
import type { DescribeConfigResponse, ResourceConfigQuery } from './admin-types.js'
import { sendToController } from './metadata-lookups.js'
import { ConfigResourceTypes, ConfigSource } from './resource-types.js'

const BROKER_TYPES = new Set<number>([ConfigResourceTypes.BROKER, ConfigResourceTypes.BROKER_LOGGER])

function checkResources(resources: unknown): asserts resources is ResourceConfigQuery[] {
  if (!resources || !Array.isArray(resources)) throw new KafkaJSNonRetriableError(`Invalid resources array ${String(resources)}`)
  if (resources.length === 0) throw new KafkaJSNonRetriableError('Resources array cannot be empty')
  const validTypes = Object.values(ConfigResourceTypes) as number[]
  const invalidType = resources.find((r) => !validTypes.includes(r?.type))
  if (invalidType !== undefined) throw new KafkaJSNonRetriableError(`Invalid resource type ${String(invalidType?.type)}: ${JSON.stringify(invalidType)}`)
  const invalidName = resources.find((r) => !r.name || typeof r.name !== 'string')
  if (invalidName !== undefined) throw new KafkaJSNonRetriableError(`Invalid resource name ${String(invalidName.name)}: ${JSON.stringify(invalidName)}`)
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
        configSynonyms: [],
      })),
    })),
    throttleTime: 0,
  }
}

import { describe, expect, it } from 'vitest'
import { ConfigResourceTypes, ConfigSource } from '../../../src/client/admin/resource-types.js'
import { KafkaJSNonRetriableError, KafkaJSProtocolError } from '../../../src/client/errors.js'
import { adminSetup } from './admin-helpers.js'

describe('describeConfigs', () => {
  it('describes a topic with defaults marked as such', async () => {
    const { admin, run } = await adminSetup()
    await run(admin.createTopics({ topics: [{ topic: 't', configEntries: [{ name: 'retention.ms', value: '1000' }] }] }))
    const response = await run(admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 't' }], includeSynonyms: false }))
    expect(response.throttleTime).toBe(0)
    const [resource] = response.resources
    expect(resource).toMatchObject({ errorCode: 0, resourceName: 't', resourceType: ConfigResourceTypes.TOPIC })
    const retention = resource!.configEntries.find((e) => e.configName === 'retention.ms')
    expect(retention).toMatchObject({ configValue: '1000', isDefault: false, configSource: ConfigSource.TOPIC_CONFIG, configSynonyms: [] })
    const defaults = resource!.configEntries.filter((e) => e.isDefault)
    expect(defaults.every((e) => e.configSource === ConfigSource.DEFAULT_CONFIG)).toBe(true)
  })

  it('describes a broker by its id', async () => {
    const { admin, run } = await adminSetup({ brokers: 2 })
    const response = await run(admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.BROKER, name: '1' }], includeSynonyms: false }))
    expect(response.resources[0]).toMatchObject({ errorCode: 0, resourceName: '1', resourceType: ConfigResourceTypes.BROKER })
  })

  it('rejects an unknown topic with the broker error', async () => {
    const { admin, fail } = await adminSetup()
    const error = await fail(admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'ghost' }], includeSynonyms: false }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect((error as KafkaJSProtocolError).type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
  })

  it.each([
    ['no resources', { resources: undefined }, 'Invalid resources array undefined'],
    ['an empty array', { resources: [] }, 'Resources array cannot be empty'],
    ['an unknown type', { resources: [{ type: 99, name: 'x' }] }, 'Invalid resource type 99: {"type":99,"name":"x"}'],
    ['no name', { resources: [{ type: 2 }] }, 'Invalid resource name undefined: {"type":2}'],
    ['configNames not an array', { resources: [{ type: 2, name: 'x', configNames: 'a' }] }, 'Invalid resource configNames a: {"type":2,"name":"x","configNames":"a"}'],
  ])('rejects %s with KafkaJS message', async (_name, options, message) => {
    const { admin, fail } = await adminSetup()
    const error = await fail(admin.describeConfigs(options as never))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect((error as Error).message).toBe(message)
  })
})


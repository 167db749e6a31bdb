import { describe, expect, it } from 'vitest'
import { brokerSideOf } from '../../../src/cluster.js'
import { AlterConfigOpTypes, ConfigResourceTypes, ConfigSource } from '../../../src/client/admin/resource-types.js'
import { KafkaJSNonRetriableError, KafkaJSProtocolError } from '../../../src/client/errors.js'
import { adminSetup } from './admin-helpers.js'

const TOPIC = ConfigResourceTypes.TOPIC
const BROKER = ConfigResourceTypes.BROKER

type Setup = Awaited<ReturnType<typeof adminSetup>>

/** An error's message and broker detail, down its cause chain. */
function explain(error: unknown): string {
  const e = error as { message?: string; detail?: string; cause?: unknown } | undefined
  return e === undefined ? '' : [e.message, e.detail, explain(e.cause)].filter(Boolean).join(' / ')
}

async function topicConfig({ admin, run }: Setup, topic: string, name: string) {
  const response = await run(admin.describeConfigs({ resources: [{ type: TOPIC, name: topic, configNames: [name] }], includeSynonyms: true }))
  return response.resources[0]!.configEntries[0]!
}

async function protocolFailure(setup: Setup, call: Promise<unknown>): Promise<KafkaJSProtocolError> {
  const error = await setup.fail(call)
  expect(error).toBeInstanceOf(KafkaJSProtocolError)
  return error as KafkaJSProtocolError
}

describe('alterConfigs: KafkaJS 2.2.4 validation messages', () => {
  it.each([
    ['no resources', { resources: undefined }, 'Invalid resources array undefined'],
    ['an empty array', { resources: [] }, 'Resources array cannot be empty'],
    ['an unknown type', { resources: [{ type: 99, name: 'x', configEntries: [] }] }, 'Invalid resource type 99: {"type":99,"name":"x","configEntries":[]}'],
    ['no name', { resources: [{ type: 2, configEntries: [] }] }, 'Invalid resource name undefined: {"type":2,"configEntries":[]}'],
    ['configEntries not an array', { resources: [{ type: 2, name: 'x', configEntries: 'a' }] }, 'Invalid resource configEntries a: {"type":2,"name":"x","configEntries":"a"}'],
    [
      'a non-string value',
      { resources: [{ type: 2, name: 'x', configEntries: [{ name: 'retention.ms', value: 1 }] }] },
      'Invalid resource config value: {"type":2,"name":"x","configEntries":[{"name":"retention.ms","value":1}]}',
    ],
  ])('rejects %s', async (_case, options, message) => {
    const { admin, fail } = await adminSetup()
    const error = await fail(admin.alterConfigs(options as never))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect((error as Error).message).toBe(message)
  })
})

describe('alterConfigs on a topic', () => {
  it('sets overrides, described with source TOPIC_CONFIG, and replaces the whole set as Kafka does', async () => {
    const setup = await adminSetup()
    const { admin, run } = setup
    await run(admin.createTopics({ topics: [{ topic: 't', configEntries: [{ name: 'retention.ms', value: '1000' }] }] }))
    const result = await run(admin.alterConfigs({ resources: [{ type: TOPIC, name: 't', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] }))
    expect(result.resources).toEqual([{ errorCode: 0, errorMessage: null, resourceType: TOPIC, resourceName: 't' }])
    expect(await topicConfig(setup, 't', 'cleanup.policy')).toMatchObject({ configValue: 'compact', configSource: ConfigSource.TOPIC_CONFIG, isDefault: false })
    // retention.ms was not named: AlterConfigs resets it to its default (KIP-133).
    expect(await topicConfig(setup, 't', 'retention.ms')).toMatchObject({ configValue: '604800000', configSource: ConfigSource.DEFAULT_CONFIG, isDefault: true })
  })

  it('validateOnly checks and changes nothing', async () => {
    const setup = await adminSetup()
    await setup.run(setup.admin.createTopics({ topics: [{ topic: 't' }] }))
    await setup.run(setup.admin.alterConfigs({ validateOnly: true, resources: [{ type: TOPIC, name: 't', configEntries: [{ name: 'retention.ms', value: '5' }] }] }))
    expect(await topicConfig(setup, 't', 'retention.ms')).toMatchObject({ configValue: '604800000', isDefault: true })
    const error = await protocolFailure(setup, setup.admin.alterConfigs({ validateOnly: true, resources: [{ type: TOPIC, name: 't', configEntries: [{ name: 'retention.ms', value: 'x' }] }] }))
    expect(error.type).toBe('INVALID_CONFIG')
  })

  it.each([
    ['an unknown name', 'no.such.config', '1', 'INVALID_CONFIG', 'Unknown topic config name: no.such.config'],
    ['a wrong type', 'retention.ms', 'a week', 'INVALID_CONFIG', 'Invalid value a week for configuration retention.ms'],
    ['an impossible min.insync.replicas', 'min.insync.replicas', '2', 'INVALID_CONFIG', 'larger than the replication factor 1'],
  ])('rejects %s with the broker error and changes nothing', async (_case, name, value, type, message) => {
    const setup = await adminSetup()
    await setup.run(setup.admin.createTopics({ topics: [{ topic: 't', configEntries: [{ name: 'retention.ms', value: '1000' }] }] }))
    const error = await protocolFailure(setup, setup.admin.alterConfigs({ resources: [{ type: TOPIC, name: 't', configEntries: [{ name, value }] }] }))
    expect(error.type).toBe(type)
    expect(error.detail).toContain(message)
    expect(await topicConfig(setup, 't', 'retention.ms')).toMatchObject({ configValue: '1000' })
  })

  it('rejects an unknown topic with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const setup = await adminSetup()
    const error = await protocolFailure(setup, setup.admin.alterConfigs({ resources: [{ type: TOPIC, name: 'ghost', configEntries: [] }] }))
    expect(error.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
  })
})

describe('altered configs take effect at once', () => {
  it('max.message.bytes: a batch over the new limit fails with MESSAGE_TOO_LARGE', async () => {
    const setup = await adminSetup()
    const { admin, producer, run } = setup
    await run(admin.createTopics({ topics: [{ topic: 't' }] }))
    await run(producer.send({ topic: 't', messages: [{ value: 'x'.repeat(500) }] }))
    await run(admin.alterConfigs({ resources: [{ type: TOPIC, name: 't', configEntries: [{ name: 'max.message.bytes', value: '100' }] }] }))
    const error = await protocolFailure(setup, producer.send({ topic: 't', messages: [{ value: 'x'.repeat(500) }] }))
    expect(error.type).toBe('MESSAGE_TOO_LARGE')
  })

  it('min.insync.replicas: acks=all fails with NOT_ENOUGH_REPLICAS once the ISR is smaller', async () => {
    const setup = await adminSetup({ brokers: 2 })
    const { admin, producer, run, cluster } = setup
    await run(admin.createTopics({ topics: [{ topic: 't', replicationFactor: 2 }] }))
    await run(admin.alterConfigs({ resources: [{ type: TOPIC, name: 't', configEntries: [{ name: 'min.insync.replicas', value: '2' }] }] }))
    const [partition] = (await run(admin.fetchTopicMetadata({ topics: ['t'] }))).topics[0]!.partitions
    cluster.crashBroker(partition!.replicas.find((id) => id !== partition!.leader)!)
    const error = await setup.fail(producer.send({ topic: 't', acks: -1, messages: [{ value: 'x' }] }))
    expect(explain(error)).toContain('fewer than min.insync.replicas 2')
  })

  it('message.timestamp.type: LogAppendTime stamps records with the broker clock', async () => {
    const { admin, producer, run, clock, kafka } = await adminSetup()
    await run(admin.createTopics({ topics: [{ topic: 't' }] }))
    await run(admin.alterConfigs({ resources: [{ type: TOPIC, name: 't', configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }] }))
    await clock.advance(5000)
    await run(producer.send({ topic: 't', messages: [{ value: 'x', timestamp: '1' }] }))
    const consumer = kafka.consumer({ groupId: 'g' })
    await run(consumer.connect())
    await run(consumer.subscribe({ topics: ['t'], fromBeginning: true }))
    const timestamps: string[] = []
    await run(consumer.run({ eachMessage: async ({ message }) => void timestamps.push(message.timestamp) }))
    await clock.runUntil(() => timestamps.length === 1)
    expect(timestamps[0]).not.toBe('1')
    expect(Number(timestamps[0])).toBeGreaterThanOrEqual(5000)
    await run(consumer.disconnect())
  })

  it('unclean.leader.election.enable: a leaderless partition elects an out-of-sync replica at once', async () => {
    const { admin, run, cluster } = await adminSetup({ brokers: 2 })
    await run(admin.createTopics({ topics: [{ topic: 't', replicationFactor: 2 }] }))
    const state = () => brokerSideOf(cluster).controller.topics.get('t')!.partitions[0]!
    const { leader } = state()
    const follower = state().replicas.find((id) => id !== leader)!
    cluster.crashBroker(follower) // leaves the ISR
    cluster.crashBroker(leader) // last in the ISR: no clean leader
    cluster.restartBroker(follower)
    expect(state().leader).toBe(-1)
    await run(admin.alterConfigs({ resources: [{ type: TOPIC, name: 't', configEntries: [{ name: 'unclean.leader.election.enable', value: 'true' }] }] }))
    expect(state().leader).toBe(follower)
  })
})

describe('incrementalAlterConfigs', () => {
  it('SET and DELETE change only the named configs', async () => {
    const setup = await adminSetup()
    const { admin, run } = setup
    await run(admin.createTopics({ topics: [{ topic: 't', configEntries: [{ name: 'retention.ms', value: '1000' }, { name: 'retention.bytes', value: '2048' }] }] }))
    await run(
      admin.incrementalAlterConfigs({
        resources: [
          {
            type: TOPIC,
            name: 't',
            configEntries: [
              { name: 'segment.ms', value: '60000', operation: AlterConfigOpTypes.SET },
              { name: 'retention.bytes', operation: AlterConfigOpTypes.DELETE },
            ],
          },
        ],
      }),
    )
    expect(await topicConfig(setup, 't', 'segment.ms')).toMatchObject({ configValue: '60000', configSource: ConfigSource.TOPIC_CONFIG })
    expect(await topicConfig(setup, 't', 'retention.ms')).toMatchObject({ configValue: '1000', configSource: ConfigSource.TOPIC_CONFIG })
    expect(await topicConfig(setup, 't', 'retention.bytes')).toMatchObject({ configValue: '-1', configSource: ConfigSource.DEFAULT_CONFIG })
  })

  it('APPEND and SUBTRACT edit a list config, starting from its default', async () => {
    const setup = await adminSetup()
    const { admin, run } = setup
    await run(admin.createTopics({ topics: [{ topic: 't' }] }))
    const op = (operation: AlterConfigOpTypes, value: string) =>
      run(admin.incrementalAlterConfigs({ resources: [{ type: TOPIC, name: 't', configEntries: [{ name: 'cleanup.policy', value, operation }] }] }))
    await op(AlterConfigOpTypes.APPEND, 'compact')
    expect((await topicConfig(setup, 't', 'cleanup.policy')).configValue).toBe('delete,compact')
    await op(AlterConfigOpTypes.APPEND, 'compact')
    expect((await topicConfig(setup, 't', 'cleanup.policy')).configValue).toBe('delete,compact')
    await op(AlterConfigOpTypes.SUBTRACT, 'delete')
    expect((await topicConfig(setup, 't', 'cleanup.policy')).configValue).toBe('compact')
  })

  it('refuses APPEND on a config that is not a list, and an invalid operation', async () => {
    const setup = await adminSetup()
    await setup.run(setup.admin.createTopics({ topics: [{ topic: 't' }] }))
    const error = await protocolFailure(
      setup,
      setup.admin.incrementalAlterConfigs({ resources: [{ type: TOPIC, name: 't', configEntries: [{ name: 'retention.ms', value: '1', operation: AlterConfigOpTypes.APPEND }] }] }),
    )
    expect(error.type).toBe('INVALID_CONFIG')
    expect(error.detail).toContain('Config value append is not allowed for config key: retention.ms')
    const invalid = await setup.fail(setup.admin.incrementalAlterConfigs({ resources: [{ type: TOPIC, name: 't', configEntries: [{ name: 'retention.ms', value: '1', operation: 9 as never }] }] }))
    expect(invalid).toBeInstanceOf(KafkaJSNonRetriableError)
  })

  it('refuses duplicate keys with INVALID_REQUEST', async () => {
    const setup = await adminSetup()
    await setup.run(setup.admin.createTopics({ topics: [{ topic: 't' }] }))
    const error = await protocolFailure(
      setup,
      setup.admin.incrementalAlterConfigs({ resources: [{ type: TOPIC, name: 't', configEntries: [{ name: 'retention.ms', value: '1' }, { name: 'retention.ms', value: '2' }] }] }),
    )
    expect(error.type).toBe('INVALID_REQUEST')
  })
})

describe('broker configs', () => {
  it('a cluster-wide default applies to every topic without an override, shown with its synonyms', async () => {
    const setup = await adminSetup({ brokers: 2 })
    const { admin, run } = setup
    await run(admin.createTopics({ topics: [{ topic: 'plain' }, { topic: 'own', configEntries: [{ name: 'retention.ms', value: '1000' }] }] }))
    await run(admin.incrementalAlterConfigs({ resources: [{ type: BROKER, name: '', configEntries: [{ name: 'log.retention.ms', value: '3600000' }] }] }))
    const plain = await topicConfig(setup, 'plain', 'retention.ms')
    expect(plain).toMatchObject({ configValue: '3600000', configSource: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, isDefault: false })
    expect(plain.configSynonyms).toEqual([
      { configName: 'log.retention.ms', configValue: '3600000', configSource: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG },
      { configName: 'log.retention.ms', configValue: '604800000', configSource: ConfigSource.DEFAULT_CONFIG },
    ])
    expect(await topicConfig(setup, 'own', 'retention.ms')).toMatchObject({ configValue: '1000', configSource: ConfigSource.TOPIC_CONFIG })
    const broker = await run(admin.describeConfigs({ resources: [{ type: BROKER, name: '1', configNames: ['log.retention.ms', 'broker.id'] }], includeSynonyms: false }))
    expect(broker.resources[0]!.configEntries).toEqual([
      expect.objectContaining({ configName: 'broker.id', configValue: '1', readOnly: true, configSource: ConfigSource.STATIC_BROKER_CONFIG }),
      expect.objectContaining({ configName: 'log.retention.ms', configValue: '3600000', readOnly: false, configSource: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG }),
    ])
  })

  it("KafkaJS's alterConfigs refuses the cluster-wide default (name ''), as KafkaJS 2.2.4 does", async () => {
    const { admin, fail } = await adminSetup()
    const error = await fail(admin.alterConfigs({ resources: [{ type: BROKER, name: '', configEntries: [] }] }))
    expect((error as Error).message).toBe('Invalid resource name : {"type":4,"name":"","configEntries":[]}')
  })

  it('a per-broker value is described for that broker only', async () => {
    const { admin, run } = await adminSetup({ brokers: 2 })
    await run(admin.alterConfigs({ resources: [{ type: BROKER, name: '1', configEntries: [{ name: 'log.retention.ms', value: '7' }] }] }))
    const described = await run(
      admin.describeConfigs({ resources: [0, 1].map((id) => ({ type: BROKER, name: String(id), configNames: ['log.retention.ms'] })), includeSynonyms: false }),
    )
    const byName = new Map(described.resources.map((r) => [r.resourceName, r.configEntries[0]!]))
    expect(byName.get('0')).toMatchObject({ configValue: '604800000', configSource: ConfigSource.DEFAULT_CONFIG })
    expect(byName.get('1')).toMatchObject({ configValue: '7', configSource: ConfigSource.DYNAMIC_BROKER_CONFIG })
  })

  it('a cluster-wide min.insync.replicas takes effect on topics without an override', async () => {
    const setup = await adminSetup({ brokers: 2 })
    const { admin, run, cluster, producer } = setup
    await run(admin.createTopics({ topics: [{ topic: 't', replicationFactor: 2 }] }))
    await run(admin.incrementalAlterConfigs({ resources: [{ type: BROKER, name: '', configEntries: [{ name: 'min.insync.replicas', value: '2' }] }] }))
    const state = brokerSideOf(cluster).controller.topics.get('t')!.partitions[0]!
    cluster.crashBroker(state.replicas.find((id) => id !== state.leader)!)
    const error = await setup.fail(producer.send({ topic: 't', acks: -1, messages: [{ value: 'x' }] }))
    expect(explain(error)).toContain('fewer than min.insync.replicas 2')
  })

  it.each([
    ['a read-only config', 'num.partitions', '3', 'INVALID_REQUEST', 'Cannot update these configs dynamically: Set(num.partitions)'],
    ['a wrong type', 'log.retention.ms', 'soon', 'INVALID_CONFIG', 'Invalid value soon for configuration log.retention.ms'],
  ])('refuses %s', async (_case, name, value, type, message) => {
    const setup = await adminSetup()
    const error = await protocolFailure(setup, setup.admin.alterConfigs({ resources: [{ type: BROKER, name: '0', configEntries: [{ name, value }] }] }))
    expect(error.type).toBe(type)
    expect(error.detail).toContain(message)
  })
})

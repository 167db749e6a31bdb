import { describe, expect, it } from 'vitest'
import { KafkaJSAggregateError, KafkaJSCreateTopicError, KafkaJSNonRetriableError, KafkaJSProtocolError } from '../../../src/client/errors.js'
import { adminSetup } from './admin-helpers.js'

describe('createTopics', () => {
  it('creates topics, waits for leaders and returns true; false when they all exist', async () => {
    const { admin, run } = await adminSetup({ brokers: 3 })
    expect(await run(admin.createTopics({ topics: [{ topic: 'a', numPartitions: 3, replicationFactor: 3 }, { topic: 'b' }] }))).toBe(true)
    const { topics } = await run(admin.fetchTopicMetadata({ topics: ['a'] }))
    expect(topics[0]!.partitions.map((p) => p.partitionId)).toEqual([0, 1, 2])
    for (const p of topics[0]!.partitions) {
      expect(p.leader).toBeGreaterThanOrEqual(0)
      expect(p.replicas).toHaveLength(3)
      expect(p.isr).toHaveLength(3)
      expect(p).toEqual({ partitionErrorCode: 0, partitionId: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr, offlineReplicas: [] })
    }
    expect(await run(admin.createTopics({ topics: [{ topic: 'a' }, { topic: 'b' }] }))).toBe(false)
  })

  it('validateOnly creates nothing', async () => {
    const { admin, run } = await adminSetup()
    expect(await run(admin.createTopics({ validateOnly: true, topics: [{ topic: 'dry' }] }))).toBe(true)
    expect(await run(admin.listTopics())).not.toContain('dry')
  })

  it('applies configEntries (visible through describeConfigs)', async () => {
    const { admin, run } = await adminSetup()
    await run(admin.createTopics({ topics: [{ topic: 'c', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] }))
    const { resources } = await run(admin.describeConfigs({ resources: [{ type: 2, name: 'c', configNames: ['cleanup.policy'] }], includeSynonyms: false }))
    expect(resources[0]!.configEntries).toEqual([expect.objectContaining({ configName: 'cleanup.policy', configValue: 'compact', isDefault: false })])
  })

  const brokerRejections: Array<[string, object, string]> = [
    ['an invalid name', { topic: 'bad name' }, 'INVALID_TOPIC_EXCEPTION'],
    ['the name "."', { topic: '.' }, 'INVALID_TOPIC_EXCEPTION'],
    ['a 250-character name', { topic: 'x'.repeat(250) }, 'INVALID_TOPIC_EXCEPTION'],
    ['zero partitions', { topic: 'p0', numPartitions: 0 }, 'INVALID_PARTITIONS'],
    ['a replication factor above the live brokers', { topic: 'rf', replicationFactor: 4 }, 'INVALID_REPLICATION_FACTOR'],
  ]
  it.each(brokerRejections)('rejects %s with KafkaJSAggregateError of KafkaJSCreateTopicError and creates nothing', async (_name, topic, type) => {
    const { admin, run, fail } = await adminSetup({ brokers: 3 })
    await run(admin.createTopics({ topics: [{ topic: 'keep' }] }))
    const error = await fail(admin.createTopics({ topics: [topic as never] }))
    expect(error).toBeInstanceOf(KafkaJSAggregateError)
    const [inner] = (error as KafkaJSAggregateError).errors as KafkaJSCreateTopicError[]
    expect(inner).toBeInstanceOf(KafkaJSCreateTopicError)
    expect(inner!.type).toBe(type)
    expect(inner!.topic).toBe((topic as { topic: string }).topic)
    expect(await run(admin.listTopics())).toEqual(['keep'])
  })

  const clientRejections: Array<[string, unknown, string]> = [
    ['topics not an array', { topics: 'a' }, 'Invalid topics array a'],
    ['a non-string topic', { topics: [{ topic: 1 }] }, 'Invalid topics array, the topic names have to be a valid string'],
    ['duplicate topics', { topics: [{ topic: 'a' }, { topic: 'a' }] }, 'Invalid topics array, it cannot have multiple entries for the same topic'],
    ['configEntries not an array', { topics: [{ topic: 'a', configEntries: {} }] }, 'Invalid configEntries for topic "a", must be an array'],
    ['a config entry without value', { topics: [{ topic: 'a', configEntries: [{ name: 'x' }] }] }, 'Invalid configEntries for topic "a". Entry 0 must have a valid "value" property'],
  ]
  it.each(clientRejections)('rejects %s with KafkaJS message', async (_name, options, message) => {
    const { admin, run, fail } = await adminSetup()
    const error = await fail(admin.createTopics(options as never))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect((error as Error).message).toBe(message)
    expect(await run(admin.listTopics())).toEqual([])
  })
})

describe('deleteTopics', () => {
  it('deletes topics and their records', async () => {
    const { admin, producer, run } = await adminSetup()
    await run(admin.createTopics({ topics: [{ topic: 'gone' }, { topic: 'stay' }] }))
    await run(producer.send({ topic: 'gone', messages: [{ value: 'x' }] }))
    await run(admin.deleteTopics({ topics: ['gone'] }))
    expect(await run(admin.listTopics())).toEqual(['stay'])
  })

  it('rejects an unknown topic with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const { admin, run, fail } = await adminSetup()
    await run(admin.createTopics({ topics: [{ topic: 'stay' }] }))
    const error = await fail(admin.deleteTopics({ topics: ['ghost'] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect((error as KafkaJSProtocolError).type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(await run(admin.listTopics())).toEqual(['stay'])
  })

  it.each([
    ['not an array', { topics: 'x' }, 'Invalid topics array x'],
    ['non-string names', { topics: [1] }, 'Invalid topics array, the names must be a valid string'],
  ])('rejects %s', async (_name, options, message) => {
    const { admin, fail } = await adminSetup()
    expect(((await fail(admin.deleteTopics(options as never))) as Error).message).toBe(message)
  })
})

describe('createPartitions', () => {
  it('raises the partition count; keys keep hashing over all partitions', async () => {
    const { admin, run } = await adminSetup()
    await run(admin.createTopics({ topics: [{ topic: 'grow', numPartitions: 2 }] }))
    await run(admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 5 }] }))
    const offsets = await run(admin.fetchTopicOffsets('grow'))
    expect(offsets.map((o) => o.partition)).toEqual([0, 1, 2, 3, 4])
  })

  it('rejects a lower count with INVALID_PARTITIONS and changes nothing', async () => {
    const { admin, run, fail } = await adminSetup()
    await run(admin.createTopics({ topics: [{ topic: 'grow', numPartitions: 3 }] }))
    const error = await fail(admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 2 }] }))
    expect((error as KafkaJSProtocolError).type).toBe('INVALID_PARTITIONS')
    expect(await run(admin.fetchTopicOffsets('grow'))).toHaveLength(3)
  })

  it('rejects an unknown topic', async () => {
    const { admin, fail } = await adminSetup()
    const error = await fail(admin.createPartitions({ topicPartitions: [{ topic: 'ghost', count: 2 }] }))
    expect((error as KafkaJSProtocolError).type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
  })

  it.each([
    ['not an array', { topicPartitions: null }, 'Invalid topic partitions array null'],
    ['an empty array', { topicPartitions: [] }, 'Empty topic partitions array'],
    ['duplicates', { topicPartitions: [{ topic: 'a', count: 2 }, { topic: 'a', count: 3 }] }, 'Invalid topic partitions array, it cannot have multiple entries for the same topic'],
  ])('rejects %s', async (_name, options, message) => {
    const { admin, fail } = await adminSetup()
    expect(((await fail(admin.createPartitions(options as never))) as Error).message).toBe(message)
  })
})

describe('metadata', () => {
  it('fetchTopicMetadata rejects an unknown topic and invalid names', async () => {
    const { admin, fail } = await adminSetup()
    expect(((await fail(admin.fetchTopicMetadata({ topics: ['ghost'] }))) as KafkaJSProtocolError).type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(((await fail(admin.fetchTopicMetadata({ topics: [''] }))) as Error).message).toBe('Invalid topic ')
  })

  it('fetchTopicMetadata without topics lists every topic', async () => {
    const { admin, run } = await adminSetup()
    await run(admin.createTopics({ topics: [{ topic: 'one' }, { topic: 'two', numPartitions: 2 }] }))
    const { topics } = await run(admin.fetchTopicMetadata())
    expect(topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual([
      ['one', 1],
      ['two', 2],
    ])
  })

  it('describeCluster reports brokers, controller and cluster id', async () => {
    const { admin, run } = await adminSetup({ brokers: 3 })
    const description = await run(admin.describeCluster())
    expect(description.brokers.map((b) => b.nodeId).sort()).toEqual([0, 1, 2])
    expect(description.brokers[0]).toEqual({ nodeId: expect.any(Number), host: expect.any(String), port: expect.any(Number) })
    expect([0, 1, 2]).toContain(description.controller)
    expect(description.clusterId).toEqual(expect.any(String))
  })

  it('emits admin events', async () => {
    const { admin, run } = await adminSetup()
    const types: string[] = []
    admin.on(admin.events.REQUEST, (e) => types.push(`${e.type}:${e.payload.apiName}`))
    await run(admin.listTopics())
    expect(types).toEqual(['admin.network.request:Metadata'])
  })
})

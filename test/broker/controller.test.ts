import { describe, expect, it } from 'vitest'
import type { CreateTopicsRequest } from '../../src/protocol/index.js'
import { Errors } from '../../src/protocol/index.js'
import { CLIENT, createTopic, makeCluster } from './cluster-test-kit.js'

type TopicRequest = CreateTopicsRequest['topics'][number]

function topic(name: string, overrides: Partial<TopicRequest> = {}): TopicRequest {
  return { name, numPartitions: 1, replicationFactor: 1, replicaAssignment: [], configs: [], ...overrides }
}

async function create(cluster: ReturnType<typeof makeCluster>['cluster'], topics: TopicRequest[], validateOnly = false) {
  return (await cluster.dispatch(0, CLIENT, 'CreateTopics', { topics, timeoutMs: 1000, validateOnly })).topics
}

describe('controller: topic creation', () => {
  it.each([
    ['an empty name', topic(''), Errors.INVALID_TOPIC_EXCEPTION],
    ['"."', topic('.'), Errors.INVALID_TOPIC_EXCEPTION],
    ['".."', topic('..'), Errors.INVALID_TOPIC_EXCEPTION],
    ['a name with a space', topic('a b'), Errors.INVALID_TOPIC_EXCEPTION],
    ['a 250-character name', topic('x'.repeat(250)), Errors.INVALID_TOPIC_EXCEPTION],
    ['0 partitions', topic('t', { numPartitions: 0 }), Errors.INVALID_PARTITIONS],
    ['replication factor 0', topic('t', { replicationFactor: 0 }), Errors.INVALID_REPLICATION_FACTOR],
    ['replication factor above live brokers', topic('t', { replicationFactor: 4 }), Errors.INVALID_REPLICATION_FACTOR],
    ['an unknown config', topic('t', { configs: [{ name: 'no.such.config', value: '1' }] }), Errors.INVALID_CONFIG],
    ['a bad config value', topic('t', { configs: [{ name: 'message.timestamp.type', value: 'Later' }] }), Errors.INVALID_CONFIG],
    ['min.insync.replicas above the replication factor', topic('t', { replicationFactor: 2, configs: [{ name: 'min.insync.replicas', value: '3' }] }), Errors.INVALID_CONFIG],
    ['an assignment together with a partition count', topic('t', { replicaAssignment: [{ partition: 0, brokerIds: [0] }] }), Errors.INVALID_REQUEST],
    ['an assignment to an unknown broker', topic('t', { numPartitions: -1, replicationFactor: -1, replicaAssignment: [{ partition: 0, brokerIds: [9] }] }), Errors.INVALID_REPLICA_ASSIGNMENT],
    ['an assignment listing a broker twice', topic('t', { numPartitions: -1, replicationFactor: -1, replicaAssignment: [{ partition: 0, brokerIds: [1, 1] }] }), Errors.INVALID_REPLICA_ASSIGNMENT],
  ])('rejects %s with its Kafka error and changes nothing', async (_name, request, error) => {
    const { cluster } = makeCluster({ brokers: 3 })
    const [result] = await create(cluster, [request])
    expect(result!.errorCode).toBe(error.code)
    expect(result!.errorMessage).toBeTruthy()
    expect(cluster.controller.topics.size).toBe(0)
    // A rejected request draws nothing from the seeded random.
    const { cluster: fresh } = makeCluster({ brokers: 3 })
    expect(cluster.random.int(1 << 30)).toBe(fresh.random.int(1 << 30))
  })

  it('rejects an existing topic with TOPIC_ALREADY_EXISTS and a duplicate in one request with INVALID_REQUEST', async () => {
    const { cluster } = makeCluster()
    await createTopic(cluster, 'orders', 2)
    expect((await create(cluster, [topic('orders')]))[0]!.errorCode).toBe(Errors.TOPIC_ALREADY_EXISTS.code)
    expect(cluster.controller.topics.get('orders')!.partitions).toHaveLength(2)
    const dup = await create(cluster, [topic('x'), topic('x')])
    expect(dup.map((r) => r.errorCode)).toEqual([Errors.INVALID_REQUEST.code, Errors.INVALID_REQUEST.code])
    expect(cluster.controller.topics.has('x')).toBe(false)
  })

  it("rejects a name that collides with an existing one on '.' versus '_', as Kafka's Topic.hasCollision", async () => {
    const { cluster } = makeCluster()
    await createTopic(cluster, 'my.topic', 1)
    const [result] = await create(cluster, [topic('my_topic')])
    expect(result!.errorCode).toBe(Errors.INVALID_TOPIC_EXCEPTION.code)
    expect(result!.errorMessage).toContain('collides with existing topic: my.topic')
    expect(cluster.controller.topics.has('my_topic')).toBe(false)
  })

  it('validateOnly checks and creates nothing', async () => {
    const { cluster } = makeCluster()
    expect((await create(cluster, [topic('orders')], true))[0]!.errorCode).toBe(0)
    expect(cluster.controller.topics.has('orders')).toBe(false)
  })

  it('uses the broker defaults for -1 and honours a manual assignment', async () => {
    const { cluster } = makeCluster({ brokers: 3, numPartitions: 4, defaultReplicationFactor: 2 })
    await create(cluster, [topic('defaults', { numPartitions: -1, replicationFactor: -1 })])
    const parts = cluster.controller.topics.get('defaults')!.partitions
    expect(parts).toHaveLength(4)
    expect(parts.every((p) => p.replicas.length === 2)).toBe(true)
    await create(cluster, [topic('manual', { numPartitions: -1, replicationFactor: -1, replicaAssignment: [{ partition: 0, brokerIds: [2, 0] }, { partition: 1, brokerIds: [1, 2] }] })])
    expect(cluster.controller.topics.get('manual')!.partitions.map((p) => [p.replicas, p.leader])).toEqual([
      [[2, 0], 2],
      [[1, 2], 1],
    ])
  })
})

describe('controller: deletion and new partitions', () => {
  it('deletes a topic everywhere, and answers UNKNOWN_TOPIC_OR_PARTITION for an unknown one', async () => {
    const { cluster } = makeCluster({ brokers: 2 })
    await createTopic(cluster, 'orders', 1, 2)
    const response = await cluster.dispatch(1, CLIENT, 'DeleteTopics', { topicNames: ['orders', 'ghost'], timeoutMs: 1000 })
    expect(response.topics.map((t) => t.errorCode)).toEqual([0, Errors.UNKNOWN_TOPIC_OR_PARTITION.code])
    expect(cluster.controller.topics.has('orders')).toBe(false)
    expect(cluster.broker(0).replica('orders', 0)).toBeUndefined()
    expect(cluster.broker(1).metadata.topic('orders')).toBeUndefined()
  })

  it('re-creating a deleted topic starts from an empty log', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 'orders')
    await clock.run(cluster.dispatch(0, CLIENT, 'Produce', { acks: 1, timeoutMs: 100, transactionalId: null, topics: [{ topic: 'orders', partitions: [{ partition: 0, batch: { producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false, records: [{ key: null, value: null, headers: [], timestamp: 0 }] } }] }] }))
    await cluster.dispatch(0, CLIENT, 'DeleteTopics', { topicNames: ['orders'], timeoutMs: 1000 })
    await createTopic(cluster, 'orders')
    expect(cluster.broker(0).replica('orders', 0)!.logEndOffset).toBe(0)
  })

  it('grows a topic with CreatePartitions and rejects a count that is not an increase', async () => {
    const { cluster } = makeCluster({ brokers: 3 })
    await createTopic(cluster, 'orders', 2, 2)
    const grow = async (count: number, validateOnly = false, assignments: number[][] | null = null) =>
      (await cluster.dispatch(0, CLIENT, 'CreatePartitions', { topics: [{ name: 'orders', count, assignments }], timeoutMs: 1000, validateOnly })).results[0]!
    expect((await grow(2)).errorCode).toBe(Errors.INVALID_PARTITIONS.code)
    expect((await grow(1)).errorCode).toBe(Errors.INVALID_PARTITIONS.code)
    expect((await grow(5, true)).errorCode).toBe(0)
    expect(cluster.controller.topics.get('orders')!.partitions).toHaveLength(2)
    expect((await grow(4, false, [[0, 0]])).errorCode).toBe(Errors.INVALID_REPLICA_ASSIGNMENT.code)
    expect((await grow(4)).errorCode).toBe(0)
    const parts = cluster.controller.topics.get('orders')!.partitions
    expect(parts.map((p) => p.partition)).toEqual([0, 1, 2, 3])
    expect(parts.every((p) => new Set(p.replicas).size === 2)).toBe(true)
    const missing = await cluster.dispatch(0, CLIENT, 'CreatePartitions', { topics: [{ name: 'ghost', count: 3, assignments: null }], timeoutMs: 1000, validateOnly: false })
    expect(missing.results[0]!.errorCode).toBe(Errors.UNKNOWN_TOPIC_OR_PARTITION.code)
  })

  it('an isolated broker cannot reach the controller: admin requests time out after timeoutMs', async () => {
    const { clock, cluster } = makeCluster({ brokers: 2 })
    cluster.isolateBroker(1)
    const start = clock.now()
    const response = await clock.run(cluster.dispatch(1, CLIENT, 'CreateTopics', { topics: [topic('t')], timeoutMs: 700, validateOnly: false }))
    expect(response.topics[0]!.errorCode).toBe(Errors.REQUEST_TIMED_OUT.code)
    expect(clock.now() - start).toBe(700)
    expect(cluster.controller.topics.has('t')).toBe(false)
  })
})

describe('DescribeConfigs', () => {
  it('describes topic overrides and defaults, and broker configs', async () => {
    const { cluster } = makeCluster({ minInsyncReplicas: 1 })
    await createTopic(cluster, 'orders', 1, 1, [{ name: 'retention.ms', value: '1000' }])
    const response = await cluster.dispatch(0, CLIENT, 'DescribeConfigs', {
      resources: [
        { resourceType: 2, resourceName: 'orders', configNames: ['retention.ms', 'min.insync.replicas'] },
        { resourceType: 2, resourceName: 'ghost', configNames: null },
        { resourceType: 4, resourceName: '0', configNames: ['num.partitions'] },
      ],
      includeSynonyms: false,
    })
    const [orders, ghost, broker] = response.resources
    expect(orders!.configEntries.map((e) => [e.configName, e.configValue, e.isDefault])).toEqual([
      ['min.insync.replicas', '1', true],
      ['retention.ms', '1000', false],
    ])
    expect(ghost!.errorCode).toBe(Errors.UNKNOWN_TOPIC_OR_PARTITION.code)
    expect(broker!.configEntries).toMatchObject([{ configName: 'num.partitions', configValue: '1' }])
  })
})

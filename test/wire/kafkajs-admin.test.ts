/** KafkaJS's admin client over TCP: topics, partitions, configs, offsets, groups and the cluster description. */
import { afterEach, describe, expect, it } from 'vitest'
import { tcpKafka, type TcpKafka } from './tcp-kafka.js'

let env: TcpKafka | undefined

afterEach(async () => {
  await env?.close()
  env = undefined
})

describe('KafkaJS over TCP: admin', () => {
  it('creates, describes, grows and deletes topics, reads configs and offsets, and lists, describes and deletes groups', async () => {
    env = await tcpKafka()
    const admin = env.kafka.admin()
    await admin.connect()
    const cluster = await admin.describeCluster()
    expect(cluster.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...env.listener.brokers].sort())
    expect(cluster.clusterId).toBe(env.cluster.clusterId)

    expect(await admin.createTopics({ topics: [{ topic: 'admin-t', numPartitions: 2, replicationFactor: 3, configEntries: [{ name: 'retention.ms', value: '60000' }] }] })).toBe(true)
    expect(await admin.createTopics({ topics: [{ topic: 'admin-t' }] })).toBe(false)
    expect(await admin.listTopics()).toContain('admin-t')
    await admin.createPartitions({ topicPartitions: [{ topic: 'admin-t', count: 4 }] })
    const metadata = await admin.fetchTopicMetadata({ topics: ['admin-t'] })
    expect(metadata.topics[0]!.partitions).toHaveLength(4)
    expect(metadata.topics[0]!.partitions.every((p) => p.replicas.length === 3 && p.isr.length === 3)).toBe(true)

    const configs = await admin.describeConfigs({ resources: [{ type: 2, name: 'admin-t', configNames: ['retention.ms'] }], includeSynonyms: false })
    expect(configs.resources[0]!.configEntries).toEqual([expect.objectContaining({ configName: 'retention.ms', configValue: '60000' })])

    const producer = env.kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'admin-t', acks: -1, messages: [{ value: 'one', partition: 0 }, { value: 'two', partition: 0 }] })
    await producer.disconnect()
    const offsets = await admin.fetchTopicOffsets('admin-t')
    expect(offsets.find((o) => o.partition === 0)).toMatchObject({ high: '2', low: '0' })

    await admin.setOffsets({ groupId: 'admin-g', topic: 'admin-t', partitions: [{ partition: 0, offset: '1' }] })
    expect((await admin.fetchOffsets({ groupId: 'admin-g', topics: ['admin-t'] }))[0]!.partitions.find((p) => p.partition === 0)!.offset).toBe('1')
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain('admin-g')
    const described = await admin.describeGroups(['admin-g'])
    expect(described.groups[0]).toMatchObject({ groupId: 'admin-g', state: 'Empty' })
    const deleted = await admin.deleteGroups(['admin-g'])
    expect(deleted[0]).toMatchObject({ groupId: 'admin-g', errorCode: 0 })

    await admin.deleteTopics({ topics: ['admin-t'] })
    expect(await admin.listTopics()).not.toContain('admin-t')
    await admin.disconnect()
  }, 60_000)
})

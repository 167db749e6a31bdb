/**
 * KafkaJS's admin client over TCP for the log-lifecycle and security admin calls: deleteTopicRecords
 * (DeleteRecords), createAcls / describeAcls / deleteAcls, alterConfigs, and alterPartitionReassignments /
 * listPartitionReassignments (flexible-only APIs: KIP-482 from v0).
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ConfigResourceTypes, ResourcePatternTypes } from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'
import { tcpKafka, type TcpKafka } from './tcp-kafka.js'

let env: TcpKafka | undefined

afterEach(async () => {
  await env?.close()
  env = undefined
})

describe('KafkaJS over TCP: log lifecycle and security admin', () => {
  it('deleteTopicRecords moves the log start offset up to the high watermark, and rejects an offset past it', async () => {
    env = await tcpKafka()
    const admin = env.kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'trimmed', numPartitions: 2, replicationFactor: 3 }] })
    const producer = env.kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'trimmed', acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}`, partition: 0 })) })
    await producer.disconnect()

    // KafkaJS looks the leaders up in its metadata cache only: a topic it has not targeted yet (as fetchTopicOffsets
    // does) has none there, and deleteTopicRecords would reject with "Could not find the leader".
    expect((await admin.fetchTopicOffsets('trimmed')).find((o) => o.partition === 0)).toMatchObject({ low: '0', high: '10' })
    await admin.deleteTopicRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: '4' }] })
    expect((await admin.fetchTopicOffsets('trimmed')).find((o) => o.partition === 0)).toMatchObject({ low: '4', high: '10' })
    await admin.deleteTopicRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: '-1' }] })
    expect((await admin.fetchTopicOffsets('trimmed')).find((o) => o.partition === 0)).toMatchObject({ low: '10', high: '10' })
    await expect(admin.deleteTopicRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: '11' }] })).rejects.toMatchObject({
      name: 'KafkaJSNonRetriableError',
      cause: { name: 'KafkaJSDeleteTopicRecordsError', partitions: [expect.objectContaining({ partition: 0, error: expect.objectContaining({ type: 'OFFSET_OUT_OF_RANGE' }) })] },
    })
    await admin.disconnect()
  }, 60_000)

  it('createAcls, describeAcls and deleteAcls round-trip literal and prefixed ACLs', async () => {
    // Without an authorizer Kafka answers SECURITY_DISABLED; a plaintext connection is User:ANONYMOUS.
    env = await tcpKafka({ authorizer: { superUsers: ['User:ANONYMOUS'] } })
    const admin = env.kafka.admin()
    await admin.connect()
    const readOrders = {
      resourceType: AclResourceTypes.TOPIC,
      resourceName: 'orders',
      resourcePatternType: ResourcePatternTypes.LITERAL,
      principal: 'User:alice',
      host: '*',
      operation: AclOperationTypes.READ,
      permissionType: AclPermissionTypes.ALLOW,
    }
    const writePrefixed = { ...readOrders, resourceName: 'audit.', resourcePatternType: ResourcePatternTypes.PREFIXED, operation: AclOperationTypes.WRITE }
    expect(await admin.createAcls({ acl: [readOrders, writePrefixed] })).toBe(true)

    const anyTopic = {
      resourceType: AclResourceTypes.TOPIC,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    }
    const described = await admin.describeAcls(anyTopic)
    expect(described.resources).toEqual(
      expect.arrayContaining([
        { resourceType: AclResourceTypes.TOPIC, resourceName: 'orders', resourcePatternType: ResourcePatternTypes.LITERAL, acls: [{ principal: 'User:alice', host: '*', operation: AclOperationTypes.READ, permissionType: AclPermissionTypes.ALLOW }] },
        { resourceType: AclResourceTypes.TOPIC, resourceName: 'audit.', resourcePatternType: ResourcePatternTypes.PREFIXED, acls: [{ principal: 'User:alice', host: '*', operation: AclOperationTypes.WRITE, permissionType: AclPermissionTypes.ALLOW }] },
      ]),
    )
    // MATCH finds the prefixed ACL that applies to a topic name (KIP-290).
    const matching = await admin.describeAcls({ ...anyTopic, resourceName: 'audit.log', resourcePatternType: ResourcePatternTypes.MATCH })
    expect(matching.resources.map((r) => r.resourceName)).toEqual(['audit.'])

    const deleted = await admin.deleteAcls({ filters: [{ ...anyTopic, resourceName: 'orders', resourcePatternType: ResourcePatternTypes.LITERAL }] })
    expect(deleted.filterResponses[0]!.matchingAcls).toEqual([expect.objectContaining({ resourceName: 'orders', operation: AclOperationTypes.READ, errorCode: 0 })])
    expect((await admin.describeAcls(anyTopic)).resources.map((r) => r.resourceName)).toEqual(['audit.'])
    await admin.disconnect()
  }, 60_000)

  it('alterConfigs replaces a topic’s dynamic configs; validateOnly changes nothing; a bad value gets INVALID_CONFIG', async () => {
    env = await tcpKafka()
    const admin = env.kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'tuned', configEntries: [{ name: 'retention.ms', value: '60000' }] }] })
    const read = async () =>
      Object.fromEntries(
        (await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'tuned', configNames: ['retention.ms', 'segment.bytes'] }], includeSynonyms: false })).resources[0]!.configEntries.map((c) => [c.configName, c.configValue]),
      )
    await admin.alterConfigs({ validateOnly: true, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'tuned', configEntries: [{ name: 'segment.bytes', value: '2048' }] }] })
    expect((await read())['retention.ms']).toBe('60000')
    const altered = await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'tuned', configEntries: [{ name: 'segment.bytes', value: '2048' }] }] })
    expect(altered.resources).toEqual([expect.objectContaining({ errorCode: 0, resourceName: 'tuned' })])
    const after = await read()
    expect(after['segment.bytes']).toBe('2048')
    // AlterConfigs replaces the whole set: retention.ms, not named, is back to its default.
    expect(after['retention.ms']).not.toBe('60000')
    await expect(admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'tuned', configEntries: [{ name: 'retention.ms', value: 'soon' }] }] })).rejects.toMatchObject({
      type: 'INVALID_CONFIG',
    })
    await admin.disconnect()
  }, 60_000)

  it('alterPartitionReassignments moves a partition to new brokers; listPartitionReassignments shows the move while it lasts', async () => {
    env = await tcpKafka({ brokers: 4 })
    const { cluster, kafka } = env
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'moving', replicaAssignment: [{ partition: 0, replicas: [0, 1] }] }] })
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'moving', acks: -1, messages: Array.from({ length: 5 }, (_, i) => ({ value: `v${i}` })) })
    await producer.disconnect()

    cluster.isolateBroker(2) // the new replica cannot catch up yet: the move stays listed
    await admin.alterPartitionReassignments({ topics: [{ topic: 'moving', partitionAssignment: [{ partition: 0, replicas: [2, 3] }] }] })
    // KafkaJS 2.2.4 hands back the decoded wire entry (name, partition), not the names its types declare (semantics.md).
    expect((await admin.listPartitionReassignments({})).topics).toEqual([
      { name: 'moving', partitions: [{ partition: 0, replicas: [2, 3, 0, 1], addingReplicas: [2, 3], removingReplicas: [0, 1] }] },
    ])
    cluster.heal()
    let replicas: number[] = []
    for (let polls = 0; polls < 200 && replicas.join() !== '2,3'; polls++) {
      replicas = (await admin.fetchTopicMetadata({ topics: ['moving'] })).topics[0]!.partitions[0]!.replicas
    }
    expect(replicas).toEqual([2, 3])
    expect((await admin.listPartitionReassignments({})).topics).toEqual([])
    expect((await admin.fetchTopicOffsets('moving'))[0]).toMatchObject({ high: '5' })
    await admin.disconnect()
  }, 60_000)
})

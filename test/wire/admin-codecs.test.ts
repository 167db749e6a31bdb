/**
 * The admin APIs KafkaJS does not send (IncrementalAlterConfigs, ElectLeaders) and the flexible versions of the
 * ones it sends at classic versions (DeleteRecords v2, the ACL APIs v2-3), over a raw socket: what modern clients
 * (librdkafka, @platformatic/kafka, the Java admin) negotiate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { brokerSideOf, Cluster } from '../../src/cluster.js'
import { Errors } from '../../src/protocol/index.js'
import { createAclsCodec } from '../../src/wire/apis/30-create-acls.js'
import { describeAclsCodec } from '../../src/wire/apis/29-describe-acls.js'
import { deleteAclsCodec } from '../../src/wire/apis/31-delete-acls.js'
import { deleteRecordsCodec } from '../../src/wire/apis/21-delete-records.js'
import { describeConfigsCodec } from '../../src/wire/apis/32-describe-configs.js'
import { electLeadersCodec } from '../../src/wire/apis/43-elect-leaders.js'
import { incrementalAlterConfigsCodec } from '../../src/wire/apis/44-incremental-alter-configs.js'
import type { WireListener } from '../../src/wire/listener.js'
import { RawClient } from './raw-client.js'

let cluster: Cluster
let listener: WireListener
let client: RawClient

beforeAll(async () => {
  cluster = new Cluster({ brokers: 1, authorizer: { superUsers: ['User:ANONYMOUS'] } })
  listener = await cluster.listen({ port: 0, log: () => undefined })
  await brokerSideOf(cluster).controller.createTopic({ name: 'admin', numPartitions: 1, replicationFactor: 1, replicaAssignment: [], configs: [] }, false)
  client = await RawClient.open(listener.brokers[0]!)
})

afterAll(async () => {
  client.close()
  await cluster.close()
})

const TOPIC = 2

describe('admin codecs at flexible versions', () => {
  it('IncrementalAlterConfigs v0 and v1 SET and DELETE one config, leaving the others', async () => {
    const alter = (version: number, configs: unknown[]) =>
      client.request(incrementalAlterConfigsCodec, version, { resources: [{ resourceType: TOPIC, resourceName: 'admin', configs }], validateOnly: false })
    expect(await alter(1, [{ name: 'retention.ms', configOperation: 0, value: '5000' }, { name: 'segment.ms', configOperation: 0, value: '7000' }])).toMatchObject({
      responses: [{ errorCode: 0, resourceName: 'admin', resourceType: TOPIC }],
    })
    expect(await alter(0, [{ name: 'segment.ms', configOperation: 1, value: null }])).toMatchObject({ responses: [{ errorCode: 0 }] })
    const described = (await client.request(describeConfigsCodec, 2, { resources: [{ resourceType: TOPIC, resourceName: 'admin', configurationKeys: ['retention.ms', 'segment.ms'] }] })) as {
      results: Array<{ configs: Array<{ name: string; value: string; configSource: number }> }>
    }
    const byName = new Map(described.results[0]!.configs.map((c) => [c.name, c]))
    expect(byName.get('retention.ms')!.value).toBe('5000')
    expect(byName.get('segment.ms')!.value).not.toBe('7000')
    expect(await alter(1, [{ name: 'retention.ms', configOperation: 0, value: 'never' }])).toMatchObject({ responses: [{ errorCode: Errors.INVALID_CONFIG.code }] })
  })

  it('ElectLeaders v2 answers ELECTION_NOT_NEEDED for a partition its preferred leader leads; v0 carries a top-level error on each partition', async () => {
    expect(await client.request(electLeadersCodec, 2, { electionType: 0, topicPartitions: [{ topic: 'admin', partitions: [0] }], timeoutMs: 1000 })).toMatchObject({
      errorCode: 0,
      replicaElectionResults: [{ topic: 'admin', partitionResult: [{ partitionId: 0, errorCode: Errors.ELECTION_NOT_NEEDED.code }] }],
    })
    const guarded = new Cluster({ brokers: 1, authorizer: {} })
    try {
      const [address] = (await guarded.listen({ port: 0, log: () => undefined })).brokers
      const anonymous = await RawClient.open(address!)
      expect(await anonymous.request(electLeadersCodec, 0, { topicPartitions: [{ topic: 'x', partitions: [0, 1] }], timeoutMs: 1000 })).toEqual({
        throttleTimeMs: 0,
        errorCode: 0,
        replicaElectionResults: [
          {
            topic: 'x',
            partitionResult: [
              { partitionId: 0, errorCode: Errors.CLUSTER_AUTHORIZATION_FAILED.code, errorMessage: null },
              { partitionId: 1, errorCode: Errors.CLUSTER_AUTHORIZATION_FAILED.code, errorMessage: null },
            ],
          },
        ],
      })
      anonymous.close()
    } finally {
      await guarded.close()
    }
  })

  it('DeleteRecords v2 moves the low watermark; the ACL APIs v3 create, describe and delete a prefixed ACL', async () => {
    const acl = { resourceType: TOPIC, resourceName: 'adm', resourcePatternType: 4, principal: 'User:bob', host: '*', operation: 3, permissionType: 3 }
    expect(await client.request(createAclsCodec, 3, { creations: [acl] })).toMatchObject({ results: [{ errorCode: 0 }] })
    const filter = { resourceTypeFilter: TOPIC, resourceNameFilter: 'admin', patternTypeFilter: 2, principalFilter: null, hostFilter: null, operation: 1, permissionType: 1 }
    expect(await client.request(describeAclsCodec, 3, filter)).toMatchObject({
      errorCode: 0,
      resources: [{ resourceType: TOPIC, resourceName: 'adm', patternType: 4, acls: [{ principal: 'User:bob', host: '*', operation: 3, permissionType: 3 }] }],
    })
    expect(await client.request(deleteAclsCodec, 2, { filters: [filter] })).toMatchObject({ filterResults: [{ errorCode: 0, matchingAcls: [{ resourceName: 'adm', principal: 'User:bob', errorCode: 0 }] }] })
    expect(await client.request(describeAclsCodec, 0, { ...filter, resourceNameFilter: null })).toMatchObject({ errorCode: 0, resources: [] })
    expect(await client.request(deleteRecordsCodec, 2, { topics: [{ name: 'admin', partitions: [{ partitionIndex: 0, offset: 0 }, { partitionIndex: 9, offset: 0 }] }], timeoutMs: 1000 })).toMatchObject({
      topics: [{ name: 'admin', partitions: [{ partitionIndex: 0, lowWatermark: 0, errorCode: 0 }, { partitionIndex: 9, lowWatermark: -1, errorCode: Errors.UNKNOWN_TOPIC_OR_PARTITION.code }] }],
    })
  })
})

/**
 * Every served API at every served version, over a real socket: a request with default fields gets an answer that
 * decodes at that version with the request's correlation id, on one connection that stays open throughout (bad
 * field values get Kafka error codes, not a closed connection). SaslAuthenticate without a handshake is the
 * exception: Kafka closes the connection after a failed authentication, and so does kafkalite.
 */
import { brokerSideOf } from '../../src/cluster.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Cluster } from '../../src/cluster.js'
import { Errors } from '../../src/protocol/index.js'
import { API_CODECS } from '../../src/wire/api-table.js'
import { findCoordinatorCodec } from '../../src/wire/apis/10-find-coordinator.js'
import { joinGroupCodec } from '../../src/wire/apis/11-join-group.js'
import { listOffsetsCodec } from '../../src/wire/apis/02-list-offsets.js'
import { describeClusterCodec } from '../../src/wire/apis/60-describe-cluster.js'
import { offsetForLeaderEpochCodec } from '../../src/wire/apis/23-offset-for-leader-epoch.js'
import type { WireListener } from '../../src/wire/listener.js'
import type { Message } from '../../src/wire/schema.js'
import { RawClient } from './raw-client.js'

let cluster: Cluster
let listener: WireListener

beforeAll(async () => {
  cluster = new Cluster({ brokers: 1 })
  listener = await cluster.listen({ port: 0, log: () => undefined })
})

afterAll(() => cluster.close())

/** Fields a default request needs to be answered at all: Produce with acks=0 gets no response, by design. */
const OVERRIDES: Record<string, Message> = { Produce: { acks: 1 } }

describe('every served API over TCP', () => {
  it('answers a default request of every API at every version on one connection', async () => {
    const client = await RawClient.open(listener.brokers[0]!)
    let answered = 0
    for (const codec of API_CODECS) {
      if (codec.name === 'SaslAuthenticate') continue
      for (let version = codec.minVersion; version <= codec.maxVersion; version++) {
        const body = await client.request(codec, version, OVERRIDES[codec.name] ?? {})
        expect(body, `${codec.name} v${version}`).toBeTypeOf('object')
        answered++
      }
    }
    expect(answered).toBe(API_CODECS.filter((c) => c.name !== 'SaslAuthenticate').reduce((n, c) => n + c.maxVersion - c.minVersion + 1, 0))
    client.close()
  })

  it('closes the connection after a SaslAuthenticate without a handshake, answering ILLEGAL_SASL_STATE first', async () => {
    const client = await RawClient.open(listener.brokers[0]!)
    const codec = API_CODECS.find((c) => c.name === 'SaslAuthenticate')!
    const body = await client.request(codec, 1, { authBytes: Buffer.from('\u0000alice\u0000secret') })
    expect(body['errorCode']).toBe(Errors.ILLEGAL_SASL_STATE.code)
    await client.closed
  })

  it('joins a JoinGroup v3 member that sends no member id at once (before KIP-394), and answers v5 MEMBER_ID_REQUIRED', async () => {
    const client = await RawClient.open(listener.brokers[0]!)
    const join = { groupId: 'old-clients', sessionTimeoutMs: 10000, rebalanceTimeoutMs: 10000, memberId: '', protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }] }
    expect(await client.request(findCoordinatorCodec, 2, { key: 'old-clients', keyType: 0 })).toMatchObject({ errorCode: 0, nodeId: 0 })
    const old = await client.request(joinGroupCodec, 3, join)
    expect(old).toMatchObject({ errorCode: 0, generationId: 1 })
    expect(old['memberId']).not.toBe('')
    await client.request(findCoordinatorCodec, 2, { key: 'new-clients', keyType: 0 })
    const modern = await client.request(joinGroupCodec, 5, { ...join, groupId: 'new-clients' })
    expect(modern['errorCode']).toBe(Errors.MEMBER_ID_REQUIRED.code)
    client.close()
  })

  it('DescribeCluster gives the cluster id, controller and brokers at their listeners; OffsetForLeaderEpoch the end of an epoch; ListOffsets v4+ checks the current leader epoch (KIP-320)', async () => {
    const client = await RawClient.open(listener.brokers[0]!)
    const described = await client.request(describeClusterCodec, 0, {})
    expect(described).toMatchObject({ errorCode: 0, clusterId: cluster.clusterId, controllerId: 0, brokers: [{ brokerId: 0, host: '127.0.0.1', port: Number(listener.brokers[0]!.split(':')[1]), rack: null }] })
    await brokerSideOf(cluster).controller.createTopic({ name: 'epochs', numPartitions: 1, replicationFactor: 1, replicaAssignment: [], configs: [] }, false)
    const epochs = (await client.request(offsetForLeaderEpochCodec, 3, { replicaId: -1, topics: [{ topic: 'epochs', partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] }] })) as {
      topics: Array<{ partitions: Array<{ errorCode: number; leaderEpoch: number; endOffset: number }> }>
    }
    expect(epochs.topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, leaderEpoch: 0, endOffset: 0 })
    const listOffsets = (currentLeaderEpoch: number) =>
      client.request(listOffsetsCodec, 5, { replicaId: -1, topics: [{ name: 'epochs', partitions: [{ partitionIndex: 0, currentLeaderEpoch, timestamp: -1 }] }] }) as Promise<{
        topics: Array<{ partitions: Array<{ errorCode: number; offset: number; leaderEpoch: number }> }>
      }>
    expect((await listOffsets(0)).topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset: 0, leaderEpoch: 0 })
    expect((await listOffsets(7)).topics[0]!.partitions[0]!.errorCode).toBe(Errors.UNKNOWN_LEADER_EPOCH.code)
    client.close()
  })
})

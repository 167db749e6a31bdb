import { describe, expect, it } from 'vitest'
import { coordinatorPartition, javaStringHashCode } from '../../src/broker/coordinator-placement.js'
import { Errors } from '../../src/protocol/index.js'
import { CLIENT, makeCluster, produce } from './cluster-test-kit.js'

describe('coordinator placement', () => {
  it("matches Java's String.hashCode", () => {
    expect(javaStringHashCode('')).toBe(0)
    expect(javaStringHashCode('a')).toBe(97)
    expect(javaStringHashCode('hello')).toBe(99162322)
    expect(javaStringHashCode('my-group-with-a-long-name')).toBe(1977297176)
    expect(javaStringHashCode('inventory')).toBe(-2020599460)
  })

  it("uses Kafka's Utils.abs(hashCode) % partitions", () => {
    expect(coordinatorPartition('hello', 50)).toBe(99162322 % 50)
    // A negative hash: abs gives 10, where toPositive (hash & 0x7fffffff) would give 38.
    expect(coordinatorPartition('inventory', 50)).toBe(10)
    // "polygenelubricants" hashes to Integer.MIN_VALUE, which Utils.abs maps to 0.
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648)
    expect(coordinatorPartition('polygenelubricants', 50)).toBe(0)
  })
})

describe('FindCoordinator and group routing', () => {
  it('creates __consumer_offsets on first use and names the leader of the group partition', async () => {
    const { cluster } = makeCluster({ brokers: 3, offsetsTopicNumPartitions: 6 })
    const found = await cluster.dispatch(0, CLIENT, 'FindCoordinator', { key: 'shop', keyType: 0 })
    const offsets = cluster.controller.topics.get('__consumer_offsets')!
    expect(offsets.partitions).toHaveLength(6)
    expect(offsets.partitions[0]!.replicas).toHaveLength(3)
    expect(offsets.internal).toBe(true)
    const leader = offsets.partitions[coordinatorPartition('shop', 6)]!.leader
    expect(found).toMatchObject({ errorCode: 0, nodeId: leader, host: 'localhost', port: 9092 + leader })
  })

  it('answers NOT_COORDINATOR at other brokers and serves the group at its coordinator', async () => {
    const { cluster } = makeCluster({ brokers: 3, offsetsTopicNumPartitions: 6 })
    const { nodeId } = await cluster.dispatch(0, CLIENT, 'FindCoordinator', { key: 'shop', keyType: 0 })
    const other = [0, 1, 2].find((id) => id !== nodeId)!
    const request = { groupId: 'shop', generationId: -1, memberId: '', groupInstanceId: null }
    expect((await cluster.dispatch(other, CLIENT, 'Heartbeat', request)).errorCode).toBe(Errors.NOT_COORDINATOR.code)
    expect((await cluster.dispatch(nodeId, CLIENT, 'Heartbeat', request)).errorCode).not.toBe(Errors.NOT_COORDINATOR.code)
    const fetched = await cluster.dispatch(nodeId, CLIENT, 'OffsetFetch', { groupId: 'shop', topics: null, requireStable: false })
    expect(fetched.errorCode).toBe(0)
  })

  it('answers NOT_COORDINATOR before the offsets topic exists, and moves the coordinator when its broker crashes', async () => {
    const { cluster } = makeCluster({ brokers: 3, offsetsTopicNumPartitions: 6 })
    const heartbeat = { groupId: 'shop', generationId: -1, memberId: '', groupInstanceId: null }
    expect((await cluster.dispatch(0, CLIENT, 'Heartbeat', heartbeat)).errorCode).toBe(Errors.NOT_COORDINATOR.code)
    const first = await cluster.dispatch(0, CLIENT, 'FindCoordinator', { key: 'shop', keyType: 0 })
    const survivor = [0, 1, 2].find((id) => id !== first.nodeId)!
    cluster.crashBroker(first.nodeId)
    const second = await cluster.dispatch(survivor, CLIENT, 'FindCoordinator', { key: 'shop', keyType: 0 })
    expect(second.errorCode).toBe(0)
    expect(second.nodeId).not.toBe(first.nodeId)
  })

  it('answers COORDINATOR_NOT_AVAILABLE while the group partition has no leader', async () => {
    const { clock, cluster } = makeCluster({ brokers: 1, offsetsTopicNumPartitions: 1 })
    await cluster.dispatch(0, CLIENT, 'FindCoordinator', { key: 'shop', keyType: 0 })
    cluster.isolateBroker(0)
    await clock.advance(cluster.config.brokerSessionTimeoutMs)
    const found = await cluster.dispatch(0, CLIENT, 'FindCoordinator', { key: 'shop', keyType: 0 })
    expect(found.errorCode).toBe(Errors.COORDINATOR_NOT_AVAILABLE.code)
  })

  it('refuses client writes to __consumer_offsets', async () => {
    const { clock, cluster } = makeCluster({ offsetsTopicNumPartitions: 1 })
    await cluster.dispatch(0, CLIENT, 'FindCoordinator', { key: 'shop', keyType: 0 })
    const produced = await produce(clock, cluster, '__consumer_offsets', ['x'])
    expect(produced.errorCode).toBe(Errors.INVALID_TOPIC_EXCEPTION.code)
  })

  it('locates transaction coordinators in __transaction_state', async () => {
    const { cluster } = makeCluster({ brokers: 2, transactionStateNumPartitions: 4 })
    const found = await cluster.dispatch(0, CLIENT, 'FindCoordinator', { key: 'tx-1', keyType: 1 })
    expect(found.errorCode).toBe(0)
    expect(cluster.controller.topics.get('__transaction_state')!.partitions).toHaveLength(4)
  })

  it('answers InitProducerId without transactional id at any broker', async () => {
    const { cluster } = makeCluster()
    const response = await cluster.dispatch(0, CLIENT, 'InitProducerId', { transactionalId: null, transactionTimeoutMs: 1000 })
    expect(response).toEqual({ errorCode: 0, producerId: 0, producerEpoch: 0 })
  })
})

import { describe, expect, it } from 'vitest'
import { Errors } from '../../src/protocol/index.js'
import { CLIENT, createTopic, fetch, leaderOf, makeCluster, produce, values } from './cluster-test-kit.js'

describe('replication', () => {
  it('acks=all completes once every ISR member has the batch, without any timer firing', async () => {
    const { clock, cluster } = makeCluster({ brokers: 3 })
    await createTopic(cluster, 'orders', 1, 3)
    await clock.advance(1) // followers send their first fetch
    const start = clock.now()
    const produced = await produce(clock, cluster, 'orders', ['a', 'b'])
    expect(produced).toMatchObject({ errorCode: 0, baseOffset: 0 })
    expect(clock.now()).toBe(start)
    const d = cluster.describe().partitions[0]!
    expect(d.highWatermark).toBe(2)
    expect(d.replicaStates.map((r) => r.logEndOffset)).toEqual([2, 2, 2])
  })

  it('acks=all to any partition of a new topic completes without waiting out a follower long-poll', async () => {
    // A follower's first fetch names every partition of the topic the controller just applied, not only the first
    // one added: otherwise a send to another partition waits for that fetch's replica.fetch.wait.max.ms (500 ms).
    const { clock, cluster } = makeCluster({ brokers: 3 })
    await createTopic(cluster, 'orders', 30, 3)
    await clock.advance(1) // followers send their first fetch
    for (const partition of [29, 17, 3]) {
      const start = clock.now()
      const produced = await produce(clock, cluster, 'orders', ['a'], { partition })
      expect(produced.errorCode).toBe(0)
      expect(clock.now() - start).toBe(0)
    }
  })

  it('consumers only see records below the high watermark', async () => {
    const { clock, cluster } = makeCluster({ brokers: 2 })
    await createTopic(cluster, 'orders', 1, 2)
    const follower = cluster.controller.topics.get('orders')!.partitions[0]!.replicas.find((id) => id !== leaderOf(cluster, 'orders'))!
    cluster.isolateBroker(follower)
    const produced = await produce(clock, cluster, 'orders', ['a'], { acks: 1 })
    expect(produced.errorCode).toBe(0)
    const fetched = await fetch(clock, cluster, 'orders', 0)
    expect(fetched.records).toEqual([])
    expect(fetched.highWatermark).toBe(0)
    cluster.heal()
    await clock.runUntil(() => cluster.describe().partitions[0]!.highWatermark === 1)
    expect(values((await fetch(clock, cluster, 'orders', 0)).records)).toEqual(['a'])
  })

  it('places replicas so that leaders spread and no broker holds a partition twice', async () => {
    const { cluster } = makeCluster({ brokers: 3 })
    await createTopic(cluster, 'orders', 6, 3)
    const partitions = cluster.controller.topics.get('orders')!.partitions
    for (const p of partitions) expect(new Set(p.replicas).size).toBe(3)
    const leaders = partitions.map((p) => p.leader)
    expect([0, 1, 2].map((id) => leaders.filter((l) => l === id).length)).toEqual([2, 2, 2])
  })

  it('rejects acks=all with NOT_ENOUGH_REPLICAS when the ISR is below min.insync.replicas, leaving the log unchanged', async () => {
    const { clock, cluster } = makeCluster({ brokers: 3, minInsyncReplicas: 2 })
    await createTopic(cluster, 'orders', 1, 3)
    const [leader, ...followers] = cluster.controller.topics.get('orders')!.partitions[0]!.replicas
    for (const id of followers) cluster.crashBroker(id!)
    expect(cluster.controller.topics.get('orders')!.partitions[0]!.isr).toEqual([leader])
    const produced = await produce(clock, cluster, 'orders', ['a'])
    expect(produced.errorCode).toBe(Errors.NOT_ENOUGH_REPLICAS.code)
    expect(cluster.broker(leader!).replica('orders', 0)!.logEndOffset).toBe(0)
    expect((await produce(clock, cluster, 'orders', ['b'], { acks: 1 })).errorCode).toBe(0)
  })

  it('times out acks=all with REQUEST_TIMED_OUT when an ISR follower cannot fetch', async () => {
    const { clock, cluster } = makeCluster({ brokers: 2 })
    await createTopic(cluster, 'orders', 1, 2)
    const leader = leaderOf(cluster, 'orders')
    cluster.isolateBroker(1 - leader)
    const start = clock.now()
    const produced = await produce(clock, cluster, 'orders', ['a'], { timeoutMs: 1000 })
    expect(produced.errorCode).toBe(Errors.REQUEST_TIMED_OUT.code)
    expect(clock.now() - start).toBe(1000)
  })

  it('shrinks the ISR after replica.lag.time.max.ms and expands it when the follower catches up', async () => {
    const { clock, cluster } = makeCluster({ brokers: 2, replicaLagTimeMaxMs: 10000, brokerSessionTimeoutMs: 1_000_000 })
    await createTopic(cluster, 'orders', 1, 2)
    const leader = leaderOf(cluster, 'orders')
    cluster.isolateBroker(1 - leader)
    await produce(clock, cluster, 'orders', ['a'], { acks: 1 })
    await clock.advance(9000)
    expect(cluster.controller.topics.get('orders')!.partitions[0]!.isr).toHaveLength(2)
    await clock.advance(6000)
    expect(cluster.controller.topics.get('orders')!.partitions[0]!.isr).toEqual([leader])
    expect(cluster.describe().partitions[0]!.highWatermark).toBe(1)
    cluster.heal()
    await clock.runUntil(() => cluster.controller.topics.get('orders')!.partitions[0]!.isr.length === 2)
    expect(cluster.describe().partitions[0]!.replicaStates.map((r) => r.logEndOffset)).toEqual([1, 1])
  })

  it('holds the high watermark while the ISR is below min.insync.replicas (strict min ISR), so a waiting acks=all times out and consumers see the record only once the ISR regrows', async () => {
    const { clock, cluster } = makeCluster({ brokers: 2, minInsyncReplicas: 2, replicaLagTimeMaxMs: 2000, brokerSessionTimeoutMs: 1_000_000 })
    await createTopic(cluster, 'orders', 1, 2)
    const leader = leaderOf(cluster, 'orders')
    cluster.isolateBroker(1 - leader)
    const produced = await produce(clock, cluster, 'orders', ['a'], { timeoutMs: 30000 })
    expect(produced.errorCode).toBe(Errors.REQUEST_TIMED_OUT.code)
    expect(cluster.controller.topics.get('orders')!.partitions[0]!.isr).toEqual([leader])
    // The leader alone holds 'a': under the classic rule its HW would be 1 and a consumer could read what a power cut takes back.
    expect(cluster.describe().partitions[0]!.highWatermark).toBe(0)
    expect((await fetch(clock, cluster, 'orders', 0)).records).toEqual([])
    cluster.heal()
    await clock.runUntil(() => cluster.describe().partitions[0]!.highWatermark === 1)
    expect(cluster.controller.topics.get('orders')!.partitions[0]!.isr).toHaveLength(2)
    expect(values((await fetch(clock, cluster, 'orders', 0)).records)).toEqual(['a'])
  })

  it('caps min.insync.replicas at the replica count (Kafka 3.7+, KAFKA-15583): a raised cluster default or a reassignment to fewer replicas does not refuse every acks=all write', async () => {
    const { clock, cluster } = makeCluster({ brokers: 3 })
    await createTopic(cluster, 'solo', 1, 1)
    await createTopic(cluster, 'moved', 1, 3)
    const setDefault = await clock.run(
      cluster.dispatch(0, CLIENT, 'IncrementalAlterConfigs', { resources: [{ resourceType: 4, resourceName: '', configs: [{ name: 'min.insync.replicas', configOperation: 0, value: '3' }] }], validateOnly: false }),
    )
    expect(setDefault.resources[0]!.errorCode).toBe(0)
    expect(await produce(clock, cluster, 'solo', ['a'])).toMatchObject({ errorCode: 0, baseOffset: 0 })
    const leader = leaderOf(cluster, 'moved')
    const moved = await clock.run(cluster.dispatch(0, CLIENT, 'AlterPartitionReassignments', { timeoutMs: 1000, topics: [{ name: 'moved', partitions: [{ partitionIndex: 0, replicas: [leader] }] }] }))
    expect(moved.responses[0]!.partitions[0]!.errorCode).toBe(0)
    await clock.runUntil(() => cluster.controller.topics.get('moved')!.partitions[0]!.replicas.length === 1)
    expect(await produce(clock, cluster, 'moved', ['b'])).toMatchObject({ errorCode: 0, baseOffset: 0 })
    expect(values((await fetch(clock, cluster, 'moved', 0)).records)).toEqual(['b'])
  })

  it('answers NOT_LEADER_OR_FOLLOWER at a follower', async () => {
    const { clock, cluster } = makeCluster({ brokers: 2 })
    await createTopic(cluster, 'orders', 1, 2)
    const follower = 1 - leaderOf(cluster, 'orders')
    expect((await produce(clock, cluster, 'orders', ['a'], { brokerId: follower })).errorCode).toBe(Errors.NOT_LEADER_OR_FOLLOWER.code)
    expect((await fetch(clock, cluster, 'orders', 0, { brokerId: follower })).errorCode).toBe(Errors.NOT_LEADER_OR_FOLLOWER.code)
  })
})

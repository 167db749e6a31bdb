import { describe, expect, it } from 'vitest'
import { BrokerStateError, UnknownBrokerError } from '../../src/broker/cluster-errors.js'
import { Errors } from '../../src/protocol/index.js'
import { CLIENT, createTopic, fetch, leaderOf, makeCluster, produce, values } from './cluster-test-kit.js'

const partitionOf = (cluster: ReturnType<typeof makeCluster>['cluster'], topic = 'orders') => cluster.controller.topics.get(topic)!.partitions[0]!

describe('broker faults', () => {
  it('elects a new leader from the ISR when the leader crashes, bumping the leader epoch', async () => {
    const { clock, cluster } = makeCluster({ brokers: 3, minInsyncReplicas: 2 })
    await createTopic(cluster, 'orders', 1, 3)
    await clock.advance(1)
    await produce(clock, cluster, 'orders', ['a', 'b'])
    const old = partitionOf(cluster)
    cluster.crashBroker(old.leader)
    const now = partitionOf(cluster)
    expect(now.leader).not.toBe(old.leader)
    expect(now.leaderEpoch).toBe(old.leaderEpoch + 1)
    expect(now.isr).not.toContain(old.leader)
    // As in Kafka, the new leader's high watermark catches up once its followers fetch from it.
    await clock.runUntil(() => cluster.describe().partitions[0]!.highWatermark === 2)
    expect(values((await fetch(clock, cluster, 'orders', 0)).records)).toEqual(['a', 'b'])
    expect((await produce(clock, cluster, 'orders', ['c'])).errorCode).toBe(0)
  })

  it('a restarted broker truncates its divergent suffix, catches up and rejoins the ISR', async () => {
    const { clock, cluster } = makeCluster({ brokers: 3, replicaLagTimeMaxMs: 1_000_000 })
    await createTopic(cluster, 'orders', 1, 3)
    await clock.advance(1)
    await produce(clock, cluster, 'orders', ['a'])
    const oldLeader = leaderOf(cluster, 'orders')
    // Cut the leader off; it takes an acks=1 write no follower will ever see.
    cluster.isolateBroker(oldLeader)
    expect((await produce(clock, cluster, 'orders', ['doomed'], { acks: 1, brokerId: oldLeader })).errorCode).toBe(0)
    await clock.advance(cluster.config.brokerSessionTimeoutMs)
    const newLeader = leaderOf(cluster, 'orders')
    expect(newLeader).not.toBe(oldLeader)
    // The isolated broker still believes it leads and still accepts acks=1 writes.
    expect(cluster.broker(oldLeader).replica('orders', 0)!.isLeader).toBe(true)
    expect((await produce(clock, cluster, 'orders', ['doomed too'], { acks: 1, brokerId: oldLeader })).errorCode).toBe(0)
    // Its metadata cache is stale too: it still names itself leader, while the others know better.
    const stale = await cluster.dispatch(oldLeader, CLIENT, 'Metadata', { topics: ['orders'], allowAutoTopicCreation: false })
    expect(stale.topics[0]!.partitions[0]!.leader).toBe(oldLeader)
    const fresh = await cluster.dispatch(newLeader, CLIENT, 'Metadata', { topics: ['orders'], allowAutoTopicCreation: false })
    expect(fresh.topics[0]!.partitions[0]!.leader).toBe(newLeader)
    expect(fresh.brokers.map((b) => b.nodeId)).not.toContain(oldLeader)
    await produce(clock, cluster, 'orders', ['b', 'c'])
    cluster.crashBroker(oldLeader)
    cluster.heal()
    cluster.restartBroker(oldLeader)
    await clock.runUntil(() => partitionOf(cluster).isr.length === 3)
    const replica = cluster.broker(oldLeader).replica('orders', 0)!
    expect(replica.isLeader).toBe(false)
    expect(replica.log.read(0, 1 << 20, Infinity).map((r) => r.value!.toString())).toEqual(['a', 'b', 'c'])
  })

  it('an isolated leader cannot complete acks=all writes, and its acks=1 writes are truncated on heal', async () => {
    const { clock, cluster } = makeCluster({ brokers: 3 })
    await createTopic(cluster, 'orders', 1, 3)
    await clock.advance(1)
    const oldLeader = leaderOf(cluster, 'orders')
    cluster.isolateBroker(oldLeader)
    const all = await produce(clock, cluster, 'orders', ['x'], { brokerId: oldLeader, timeoutMs: 2000 })
    expect(all.errorCode).toBe(Errors.REQUEST_TIMED_OUT.code)
    await clock.advance(cluster.config.brokerSessionTimeoutMs)
    await produce(clock, cluster, 'orders', ['y'])
    cluster.heal()
    await clock.runUntil(() => partitionOf(cluster).isr.length === 3)
    const d = cluster.describe().partitions[0]!
    expect(d.replicaStates.every((r) => r.logEndOffset === 1)).toBe(true)
    expect(values((await fetch(clock, cluster, 'orders', 0)).records)).toEqual(['y'])
  })

  it('with acks=1 an acknowledged record is lost when the leader crashes before replicating it (Kafka trade-off)', async () => {
    const { clock, cluster } = makeCluster({ brokers: 2, replicaLagTimeMaxMs: 1_000_000 })
    await createTopic(cluster, 'orders', 1, 2)
    await clock.advance(1)
    const leader = leaderOf(cluster, 'orders')
    // The follower is cut off but not yet fenced: it stays in the ISR and misses the next write.
    cluster.isolateBroker(1 - leader)
    const produced = await produce(clock, cluster, 'orders', ['lost'], { acks: 1 })
    expect(produced.errorCode).toBe(0)
    cluster.crashBroker(leader)
    expect(leaderOf(cluster, 'orders')).toBe(1 - leader)
    cluster.heal()
    cluster.restartBroker(leader)
    await clock.runUntil(() => partitionOf(cluster).isr.length === 2)
    expect((await fetch(clock, cluster, 'orders', 0)).records).toEqual([])
    expect(cluster.broker(leader).replica('orders', 0)!.logEndOffset).toBe(0)
  })

  it('leaves a partition leaderless when its whole ISR is down, and re-elects the last ISR member when it returns', async () => {
    const { clock, cluster } = makeCluster({ brokers: 2 })
    await createTopic(cluster, 'orders', 1, 2)
    await clock.advance(1)
    await produce(clock, cluster, 'orders', ['a'])
    const leader = leaderOf(cluster, 'orders')
    cluster.crashBroker(1 - leader)
    cluster.crashBroker(leader)
    expect(partitionOf(cluster)).toMatchObject({ leader: -1, isr: [leader] })
    const metadata = await cluster.dispatch(0, { kind: 'client', clientId: 't' }, 'Metadata', { topics: ['orders'], allowAutoTopicCreation: false }).catch((e: Error) => e)
    expect(metadata).toBeInstanceOf(Error) // every broker is down
    cluster.restartBroker(1 - leader)
    expect(partitionOf(cluster).leader).toBe(-1) // not in the ISR: no unclean election by default
    const md = await cluster.dispatch(1 - leader, CLIENT, 'Metadata', { topics: ['orders'], allowAutoTopicCreation: false })
    expect(md.topics[0]!.partitions[0]).toMatchObject({ leader: -1, errorCode: Errors.LEADER_NOT_AVAILABLE.code, offlineReplicas: [leader] })
    cluster.restartBroker(leader)
    expect(partitionOf(cluster).leader).toBe(leader)
    expect(values((await fetch(clock, cluster, 'orders', 0)).records)).toEqual(['a'])
  })

  it('unclean leader election elects an out-of-sync replica, losing what it lacked', async () => {
    const { clock, cluster } = makeCluster({ brokers: 2, uncleanLeaderElection: true, replicaLagTimeMaxMs: 1000, brokerSessionTimeoutMs: 1_000_000 })
    await createTopic(cluster, 'orders', 1, 2)
    await clock.advance(1)
    const leader = leaderOf(cluster, 'orders')
    cluster.isolateBroker(1 - leader)
    await produce(clock, cluster, 'orders', ['a'], { acks: 1 })
    await clock.advance(2000)
    expect(partitionOf(cluster).isr).toEqual([leader])
    cluster.heal()
    cluster.crashBroker(1 - leader) // make sure it cannot catch up before the leader goes
    cluster.restartBroker(1 - leader)
    cluster.crashBroker(leader)
    expect(partitionOf(cluster)).toMatchObject({ leader: 1 - leader, isr: [1 - leader] })
    expect((await fetch(clock, cluster, 'orders', 0)).records).toEqual([])
  })

  it('loseUnflushed drops what the broker had not flushed (flush.messages)', async () => {
    const { clock, cluster } = makeCluster({ brokers: 1 })
    await createTopic(cluster, 'orders', 1, 1, [{ name: 'flush.messages', value: '2' }])
    await produce(clock, cluster, 'orders', ['a', 'b'])
    await produce(clock, cluster, 'orders', ['c'])
    cluster.crashBroker(0, { loseUnflushed: true })
    cluster.restartBroker(0)
    expect(values((await fetch(clock, cluster, 'orders', 0)).records)).toEqual(['a', 'b'])
  })

  it('a plain crash keeps every record, as the page cache survives a process crash', async () => {
    const { clock, cluster } = makeCluster({ brokers: 1 })
    await createTopic(cluster, 'orders')
    await produce(clock, cluster, 'orders', ['a', 'b'])
    cluster.crashBroker(0)
    await expect(cluster.dispatch(0, CLIENT, 'Metadata', { topics: null, allowAutoTopicCreation: false })).rejects.toThrow(/down/)
    cluster.restartBroker(0)
    expect(values((await fetch(clock, cluster, 'orders', 0)).records)).toEqual(['a', 'b'])
  })

  it('fails parked requests when their broker crashes', async () => {
    const { clock, cluster } = makeCluster({ brokers: 1 })
    await createTopic(cluster, 'orders')
    const pending = cluster.dispatch(0, CLIENT, 'Fetch', {
      replicaId: -1,
      maxWaitMs: 10000,
      minBytes: 1,
      maxBytes: 1000,
      isolationLevel: 0,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1000, currentLeaderEpoch: -1 }] }],
    })
    await clock.advance(10)
    cluster.crashBroker(0)
    await expect(pending).rejects.toThrow(/crashed/)
  })

  it('throws typed errors for impossible faults and changes nothing', () => {
    const { cluster } = makeCluster({ brokers: 2 })
    expect(() => cluster.crashBroker(5)).toThrow(UnknownBrokerError)
    expect(() => cluster.restartBroker(0)).toThrow(BrokerStateError)
    cluster.crashBroker(1)
    const before = cluster.describeText()
    expect(() => cluster.crashBroker(1)).toThrow(BrokerStateError)
    cluster.isolateBroker(0)
    expect(() => cluster.isolateBroker(0)).toThrow(BrokerStateError)
    expect(() => cluster.isolateBroker(-1)).toThrow(UnknownBrokerError)
    // A string id (from an environment variable, say) is named as such, not as a broker the cluster lacks.
    expect(() => cluster.crashBroker('1' as unknown as number)).toThrow('A broker id is a number, not string "1": this cluster has brokers 0, 1')
    cluster.heal()
    expect(cluster.describeText()).toBe(before)
  })

  it('describes brokers and partitions as a plain object and as text', async () => {
    const { clock, cluster } = makeCluster({ brokers: 3 })
    await createTopic(cluster, 'orders', 2, 3)
    await clock.advance(1)
    await produce(clock, cluster, 'orders', ['a'])
    cluster.crashBroker(2)
    cluster.isolateBroker(1)
    const d = cluster.describe()
    expect(d.brokers.map((b) => [b.id, b.status, b.isolated])).toEqual([
      [0, 'up', false],
      [1, 'up', true],
      [2, 'down', false],
    ])
    expect(d.controllerId).toBe(0)
    expect(d.partitions).toHaveLength(2)
    expect(d.partitions[0]).toMatchObject({ topic: 'orders', partition: 0, highWatermark: 1, logEndOffset: 1 })
    const text = cluster.describeText()
    expect(text).toContain('orders-0:')
    expect(text).toContain('2 (down)')
    expect(text).toContain('1 (up, isolated)')
  })
})

import { describe, expect, it } from 'vitest'
import { Cluster, brokerSideOf } from '../../src/cluster.js'
import { VirtualClock } from '../../src/time/index.js'
import { CLIENT, createTopic, fetch, leaderOf, produce, values } from './cluster-test-kit.js'

/**
 * 3 brokers, `orders` with RF 3 and min.insync.replicas 2, 'a' and 'b' committed on all three; then both followers'
 * replication fetches vanish (alive, connected, just not fetching), so the leader drops them from the ISR and is left
 * alone in it, below min.insync.replicas.
 */
async function leaderAloneInIsr() {
  const clock = new VirtualClock()
  const outer = new Cluster({ brokers: 3, clock, seed: 7, checkInvariants: true, minInsyncReplicas: 2, replicaLagTimeMaxMs: 2000, brokerSessionTimeoutMs: 1_000_000 })
  const cluster = brokerSideOf(outer)
  await createTopic(cluster, 'orders', 1, 3)
  await clock.advance(1)
  expect((await produce(clock, cluster, 'orders', ['a', 'b'])).errorCode).toBe(0)
  const leader = leaderOf(cluster, 'orders')
  const followers = [0, 1, 2].filter((b) => b !== leader)
  const lost = outer.transport.hooks.add({ api: 'Fetch', from: 'broker', action: { type: 'drop' } })
  const partition = () => cluster.controller.topics.get('orders')!.partitions[0]!
  await clock.runUntil(() => partition().isr.length === 1)
  return { clock, outer, cluster, leader, followers, partition, restoreReplication: () => lost.remove() }
}

describe('eligible leader replicas (KIP-966)', () => {
  it('replicas that leave the ISR below min.insync.replicas stay eligible; the ISR regrowing clears them', async () => {
    const { clock, cluster, followers, partition, restoreReplication } = await leaderAloneInIsr()
    expect([...partition().elr].sort()).toEqual([...followers].sort())
    expect(cluster.describe().partitions[0]!.eligibleLeaderReplicas).toEqual(partition().elr)
    restoreReplication()
    await clock.runUntil(() => partition().isr.length === 3, { maxMs: 120_000 })
    expect(partition().elr).toEqual([])
  })

  it("the lone leader's power cut elects an eligible replica, and no committed record is lost", async () => {
    const { clock, outer, cluster, leader, followers, partition, restoreReplication } = await leaderAloneInIsr()
    outer.crashBroker(leader, { loseUnflushed: true })
    // Before ELR (Kafka < 4.1) the partition would wait for the leader, whose log the power cut emptied.
    expect(followers).toContain(partition().leader)
    expect(partition().elr).toContain(leader)
    restoreReplication()
    await clock.runUntil(() => cluster.describe().partitions[0]!.highWatermark === 2, { maxMs: 120_000 })
    expect(values((await fetch(clock, cluster, 'orders', 0)).records)).toEqual(['a', 'b'])
    // Restarted after an unclean shutdown, the old leader may have lost what it held: no longer eligible.
    outer.restartBroker(leader)
    expect(partition().elr).not.toContain(leader)
    await clock.runUntil(() => partition().isr.length === 3, { maxMs: 120_000 })
    expect(cluster.broker(leader).replica('orders', 0)!.logEndOffset).toBe(2)
  })

  it('an eligible replica that restarted after a crash is not elected; a change of min.insync.replicas clears the list, another config does not', async () => {
    const { clock, outer, cluster, leader, followers, partition } = await leaderAloneInIsr()
    const [first, second] = followers as [number, number]
    outer.crashBroker(first)
    outer.restartBroker(first)
    expect(partition().elr).toEqual([second])
    const alter = async (name: string, value: string) => {
      const resources = [{ resourceType: 2, resourceName: 'orders', configs: [{ name, configOperation: 0, value }] }]
      expect((await clock.run(cluster.dispatch(0, CLIENT, 'IncrementalAlterConfigs', { resources, validateOnly: false }))).resources[0]!.errorCode).toBe(0)
    }
    await alter('retention.ms', '3600000')
    expect(partition().elr).toEqual([second])
    await alter('min.insync.replicas', '3')
    expect(partition().elr).toEqual([])
    // With none eligible, the lone leader's loss leaves the partition waiting for it, as before KIP-966.
    outer.crashBroker(leader)
    expect(partition()).toMatchObject({ leader: -1, isr: [leader] })
  })

  it('a lone leader back from a power cut is not elected while eligible replicas are down; once they too came back from crashes, it is, as the last known leader', async () => {
    const { clock, outer, cluster, leader, followers, partition, restoreReplication } = await leaderAloneInIsr()
    for (const f of followers) outer.crashBroker(f)
    outer.crashBroker(leader, { loseUnflushed: true })
    outer.restartBroker(leader)
    // It left the ISR (an unclean shutdown) and is only the last known leader now.
    expect(partition()).toMatchObject({ leader: -1, isr: [], lastKnownLeader: leader })
    restoreReplication()
    outer.heal()
    for (const f of followers) outer.restartBroker(f)
    // The followers restarted too, so they are no longer eligible: only the last known leader is left, as in Kafka.
    expect(partition().leader).toBe(leader)
  })

  it('eligible replicas fenced by isolation, not restarted, are elected over a lone leader back from a power cut: nothing committed is lost', async () => {
    const { clock, outer, cluster, leader, followers, partition, restoreReplication } = await leaderAloneInIsr()
    // The session timeout below is long, and the test records' timestamps are old: keep retention out of it.
    const keep = [{ resourceType: 2, resourceName: 'orders', configs: [{ name: 'retention.ms', configOperation: 0, value: '-1' }] }]
    await clock.run(cluster.dispatch(0, CLIENT, 'IncrementalAlterConfigs', { resources: keep, validateOnly: false }))
    for (const f of followers) outer.isolateBroker(f)
    await clock.advance(1_000_001)
    outer.crashBroker(leader, { loseUnflushed: true })
    outer.restartBroker(leader)
    expect(partition().leader).toBe(-1)
    restoreReplication()
    outer.heal()
    expect(followers).toContain(partition().leader)
    await clock.runUntil(() => cluster.describe().partitions[0]!.highWatermark === 2, { maxMs: 120_000 })
    expect(values((await fetch(clock, cluster, 'orders', 0)).records)).toEqual(['a', 'b'])
  })

  it('an unclean ElectLeaders gives up on the eligible replicas: the list empties', async () => {
    const { clock, outer, cluster, leader, followers, partition } = await leaderAloneInIsr()
    const [isolated, elected] = followers as [number, number]
    outer.isolateBroker(isolated)
    await clock.advance(1_000_001)
    outer.crashBroker(elected)
    outer.restartBroker(elected)
    outer.crashBroker(leader)
    expect(partition().leader).toBe(-1)
    const unclean = await clock.run(cluster.dispatch(elected, CLIENT, 'ElectLeaders', { electionType: 1, topicPartitions: [{ topic: 'orders', partitions: [0] }], timeoutMs: 1000 }))
    expect(unclean.replicaElectionResults[0]!.partitionResult[0]!.errorCode).toBe(0)
    expect(partition()).toMatchObject({ leader: elected, elr: [] })
  })
  it('a change of min.insync.replicas that empties the ELR elects a live last known leader at once', async () => {
    const { clock, outer, cluster, leader, followers, partition } = await leaderAloneInIsr()
    for (const f of followers) outer.crashBroker(f)
    outer.crashBroker(leader, { loseUnflushed: true })
    outer.restartBroker(leader)
    expect(partition()).toMatchObject({ leader: -1, isr: [], lastKnownLeader: leader })
    const resources = [{ resourceType: 2, resourceName: 'orders', configs: [{ name: 'min.insync.replicas', configOperation: 0, value: '1' }] }]
    await clock.run(cluster.dispatch(leader, CLIENT, 'IncrementalAlterConfigs', { resources, validateOnly: false }))
    expect(partition()).toMatchObject({ leader, elr: [] })
  })

  it('lowering min.insync.replicas releases a high watermark it held, without waiting for the next append', async () => {
    const { clock, outer, cluster, leader, followers, partition } = await leaderAloneInIsr()
    for (const f of followers) {
      outer.crashBroker(f)
      outer.restartBroker(f)
    }
    expect((await produce(clock, cluster, 'orders', ['c'], { acks: 1 })).errorCode).toBe(0)
    expect(cluster.describe().partitions[0]!.highWatermark).toBe(2)
    const resources = [{ resourceType: 2, resourceName: 'orders', configs: [{ name: 'min.insync.replicas', configOperation: 0, value: '1' }] }]
    await clock.run(cluster.dispatch(leader, CLIENT, 'IncrementalAlterConfigs', { resources, validateOnly: false }))
    expect(partition().isr).toEqual([leader])
    expect(cluster.describe().partitions[0]!.highWatermark).toBe(3)
  })
})

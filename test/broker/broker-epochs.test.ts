/**
 * Broker epochs (KIP-380, KIP-903): a replica Fetch sent by a broker incarnation that has since
 * lost power and restarted must not count as the new incarnation's progress.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, brokerSideOf } from '../../src/cluster.js'
import { Errors, type FetchRequest } from '../../src/protocol/index.js'
import { VirtualClock } from '../../src/time/index.js'
import { batch, CLIENT } from './cluster-test-kit.js'

async function setup() {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: 3, clock, seed: 11, checkInvariants: true, replicaLagTimeMaxMs: 1_000_000 })
  await cluster.transport.send(CLIENT, 0, 'CreateTopics', {
    topics: [{ name: 'orders', numPartitions: 1, replicationFactor: 3, replicaAssignment: [], configs: [{ name: 'min.insync.replicas', value: '2' }] }],
    timeoutMs: 1000,
    validateOnly: false,
  })
  await clock.advance(1)
  const state = () => brokerSideOf(cluster).controller.topics.get('orders')!.partitions[0]!
  const leader = state().leader
  const produce = async (value: string) =>
    (
      await clock.run(
        cluster.transport.send(CLIENT, state().leader, 'Produce', {
          acks: -1,
          timeoutMs: 2000,
          transactionalId: null,
          topics: [{ topic: 'orders', partitions: [{ partition: 0, batch: batch([value]) }] }],
        }),
      )
    ).topics[0]!.partitions[0]!.errorCode
  return { clock, cluster, state, leader, produce }
}

describe('broker epochs fence replica fetches of an earlier incarnation', () => {
  it('a replica Fetch delayed across a power-loss restart does not put the empty replica back in the ISR', async () => {
    const { clock, cluster, state, leader, produce } = await setup()
    expect(await produce('a')).toBe(0)
    expect(await produce('b')).toBe(0)
    const victim = state().replicas.find((id) => id !== leader)!
    const fromVictim = (request: unknown) => (request as FetchRequest).replicaId === victim
    // The victim's next replica fetch (at its log end, 2) is held in the network for 5 s.
    const delayed = cluster.transport.hooks.add({ api: 'Fetch', from: 'broker', brokerId: leader, when: fromVictim, action: { type: 'delay', ms: 5000 }, times: 1 })
    await clock.runUntil(() => delayed.fired === 1)
    cluster.crashBroker(victim, { loseUnflushed: true })
    // The new incarnation starts empty and cannot fetch for now.
    cluster.transport.hooks.add({ api: 'Fetch', from: 'broker', brokerId: leader, when: fromVictim, action: { type: 'drop' } })
    cluster.restartBroker(victim)
    expect(brokerSideOf(cluster).broker(victim).replica('orders', 0)!.logEndOffset).toBe(0)
    await clock.advance(6000)
    // The old incarnation's fetch landed; the leader must not take it for the new one's log end.
    expect(state().isr).not.toContain(victim)
    // So the last in-sync replicas failing can never elect the empty one.
    const other = state().isr.find((id) => id !== leader)!
    cluster.crashBroker(other)
    cluster.crashBroker(leader)
    expect(state().leader).not.toBe(victim)
  })

  it('every restart registers the broker with a new, higher broker epoch', async () => {
    const { cluster } = await setup()
    const before = brokerSideOf(cluster).controller.brokerEpoch(1)
    cluster.crashBroker(1)
    cluster.restartBroker(1)
    expect(brokerSideOf(cluster).controller.brokerEpoch(1)).toBeGreaterThan(before)
    expect(brokerSideOf(cluster).controller.brokerEpoch(1)).toBeGreaterThan(brokerSideOf(cluster).controller.brokerEpoch(2))
  })

  it('AlterPartition adding a member with an earlier incarnation\'s epoch is INELIGIBLE_REPLICA (KIP-903)', async () => {
    const { cluster, state, leader } = await setup()
    const victim = state().replicas.find((id) => id !== leader)!
    const oldEpoch = brokerSideOf(cluster).controller.brokerEpoch(victim)
    cluster.crashBroker(victim)
    cluster.transport.hooks.add({ api: 'Fetch', from: 'broker', action: { type: 'drop' } })
    cluster.restartBroker(victim)
    const members = (epochOfVictim: number) => [...state().isr, victim].map((id) => ({ brokerId: id, brokerEpoch: id === victim ? epochOfVictim : -1 }))
    const stale = brokerSideOf(cluster).controller.alterPartition(leader, 'orders', 0, state().leaderEpoch, members(oldEpoch))
    expect(stale.errorCode).toBe(Errors.INELIGIBLE_REPLICA.code)
    expect(state().isr).not.toContain(victim)
    const current = brokerSideOf(cluster).controller.alterPartition(leader, 'orders', 0, state().leaderEpoch, members(brokerSideOf(cluster).controller.brokerEpoch(victim)))
    expect(current.errorCode).toBe(0)
  })
})

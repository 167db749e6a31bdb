/**
 * A consumer group rides through broker failures: a partition leader crashes, then the broker
 * hosting the group coordinator; fetches move to the new leaders, the coordinator moves, the
 * group carries on, and no record is lost.
 */
import { describe, expect, it } from 'vitest'
import { createBrokerRouter } from '../../src/client/client-context.js'
import { harness, type Received } from '../client/consumer/harness.js'

function perPartitionOrdered(received: readonly Received[]): boolean {
  const last = new Map<number, number>()
  for (const r of received) {
    if ((last.get(r.partition) ?? -1) >= r.offset) return false
    last.set(r.partition, r.offset)
  }
  return true
}

describe('consumer failover', () => {
  it('keeps consuming, in order and without loss, when the leader of a partition crashes', async () => {
    const h = harness({ brokers: 3, defaultReplicationFactor: 3, minInsyncReplicas: 2 })
    await h.createTopic('t', 3)
    await h.produce('t', 30, 'before')
    const m = await h.start({ groupId: 'g', topics: ['t'] })
    await h.clock.runUntil(() => m.received.length === 30)

    const leader = h.cluster.describe().partitions.find((p) => p.topic === 't' && p.partition === 0)!.leader
    h.cluster.crashBroker(leader)
    await h.produce('t', 30, 'after')
    await h.clock.runUntil(() => m.received.length >= 60)
    await h.clock.advance(20_000)
    expect(m.received).toHaveLength(60)
    expect(new Set(m.received.map((r) => r.value)).size).toBe(60)
    expect(perPartitionOrdered(m.received)).toBe(true)
    await h.clock.run(m.consumer.disconnect())
  })

  it('finds the new group coordinator when the broker hosting it crashes, and loses nothing', async () => {
    const h = harness({ brokers: 3, defaultReplicationFactor: 3, minInsyncReplicas: 2 })
    await h.createTopic('t', 2)
    const a = await h.start({ groupId: 'g', topics: ['t'], clientId: 'a' })
    const b = await h.start({ groupId: 'g', topics: ['t'], clientId: 'b' })
    await h.produce('t', 20, 'before')
    await h.clock.runUntil(() => a.received.length + b.received.length === 20)

    const client = createBrokerRouter(h.context)
    const coordinator = await h.clock.run(client.findCoordinator('g'))
    h.cluster.crashBroker(coordinator)
    await h.produce('t', 20, 'after')
    const values = () => new Set([...a.received, ...b.received].map((r) => r.value))
    await h.clock.runUntil(() => values().size === 40)
    const moved = await h.clock.run(client.findCoordinator('g'))
    expect(moved).not.toBe(coordinator)
    // The group is alive at its new coordinator, with both members.
    await h.clock.advance(10_000)
    const group = await h.clock.run(a.consumer.describeGroup())
    expect(group.state).toBe('Stable')
    expect(group.members).toHaveLength(2)
    await h.clock.run(Promise.all([a.consumer.disconnect(), b.consumer.disconnect()]))
  })
})

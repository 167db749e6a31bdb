import { describe, expect, it } from 'vitest'
import { PartitionAssigners } from '../../../src/client/assigners/index.js'
import { createBrokerRouter } from '../../../src/client/client-context.js'
import type { Consumer } from '../../../src/client/consumer/consumer.js'
import { harness, type Harness, type Member } from './harness.js'

async function describeOwners(h: Harness, consumer: Consumer): Promise<{ state: string; members: number }> {
  const group = await h.clock.run(consumer.describeGroup())
  return { state: group.state, members: group.members.length }
}

function owners(groups: Array<Member['group']>, topic: string): number[] {
  return groups.flatMap((g) => g.assignment[topic] ?? []).sort((a, b) => a - b)
}

describe('consumer groups: rebalancing', () => {
  it('two members split the partitions, each owned by exactly one member', async () => {
    const h = harness()
    await h.createTopic('orders', 4)
    await h.produce('orders', 40)
    const a = await h.start({ groupId: 'g', topics: ['orders'], clientId: 'a' })
    const b = await h.start({ groupId: 'g', topics: ['orders'], clientId: 'b' })
    await h.clock.runUntil(() => a.group.joins > 0 && b.group.joins > 0 && owners([a.group, b.group], 'orders').length === 4)
    expect(owners([a.group, b.group], 'orders')).toEqual([0, 1, 2, 3])
    expect(a.group.assignment.orders).toHaveLength(2)
    await h.clock.runUntil(() => a.received.length + b.received.length >= 40)
    await h.clock.advance(10_000)
    expect(new Set([...a.received, ...b.received].map((r) => r.value)).size).toBe(40)
    expect(await describeOwners(h, a.consumer)).toEqual({ state: 'Stable', members: 2 })
    await h.clock.run(Promise.all([a.consumer.disconnect(), b.consumer.disconnect()]))
  })

  it('rebalances when a member leaves (disconnect sends LeaveGroup) and the rest takes over its partitions', async () => {
    const h = harness()
    await h.createTopic('orders', 4)
    const a = await h.start({ groupId: 'g', topics: ['orders'], clientId: 'a' })
    const b = await h.start({ groupId: 'g', topics: ['orders'], clientId: 'b' })
    await h.clock.runUntil(() => a.group.joins > 0 && (a.group.assignment.orders?.length ?? 0) === 2)
    const leftAt = h.clock.now()
    await h.clock.run(b.consumer.disconnect())
    await h.clock.runUntil(() => (a.group.assignment.orders?.length ?? 0) === 4)
    // LeaveGroup: far sooner than the 30 s session timeout.
    expect(h.clock.now() - leftAt).toBeLessThan(15_000)
    await h.produce('orders', 20)
    await h.clock.runUntil(() => a.received.length === 20)
    await h.clock.run(a.consumer.disconnect())
  })

  it('rebalances when a member stops heartbeating (session timeout) and its partitions move', async () => {
    const h = harness()
    await h.createTopic('orders', 2)
    let stuck = false
    const never = new Promise<void>(() => undefined)
    const a = await h.start({ groupId: 'g', topics: ['orders'], clientId: 'a', sessionTimeout: 10_000 })
    const b = await h.start({
      groupId: 'g',
      topics: ['orders'],
      clientId: 'b',
      sessionTimeout: 10_000,
      onMessage: () => (stuck ? never : undefined),
    })
    await h.clock.runUntil(() => a.group.joins > 0 && (a.group.assignment.orders?.length ?? 0) === 1)
    stuck = true
    await h.produce('orders', 20)
    // b blocks forever in eachMessage and stops heartbeating; after its session timeout a owns both partitions.
    const stuckAt = h.clock.now()
    await h.clock.runUntil(() => (a.group.assignment.orders?.length ?? 0) === 2)
    expect(h.clock.now() - stuckAt).toBeGreaterThanOrEqual(10_000 - 5_000)
    await h.clock.runUntil(() => new Set([...a.received, ...b.received].map((r) => r.value)).size === 20)
    await h.clock.run(a.consumer.disconnect())
  })

  it('three members: every partition has exactly one owner once stable, also after one joins later', async () => {
    const h = harness()
    await h.createTopic('orders', 6)
    const members: Member[] = []
    const tracks: Array<Member['group']> = []
    for (const id of ['a', 'b', 'c']) {
      const m = await h.start({ groupId: 'g', topics: ['orders'], clientId: id })
      members.push(m)
      tracks.push(m.group)
      await h.clock.runUntil(() => owners(tracks, 'orders').length === 6 && tracks.every((t) => (t.assignment.orders?.length ?? 0) === 6 / tracks.length))
      expect(owners(tracks, 'orders')).toEqual([0, 1, 2, 3, 4, 5])
    }
    await h.produce('orders', 60)
    await h.clock.runUntil(() => members.reduce((n, m) => n + m.received.length, 0) >= 60)
    await h.clock.advance(10_000)
    const all = members.flatMap((m) => m.received.map((r) => r.value))
    expect(all).toHaveLength(60)
    expect(new Set(all).size).toBe(60)
    await h.clock.run(Promise.all(members.map((m) => m.consumer.disconnect())))
  })

  it('range assignor splits partitions by ranges', async () => {
    const h = harness()
    await h.createTopic('orders', 4)
    const a = await h.start({ groupId: 'g', topics: ['orders'], clientId: 'a', partitionAssigners: [PartitionAssigners.range] })
    const b = await h.start({ groupId: 'g', topics: ['orders'], clientId: 'b', partitionAssigners: [PartitionAssigners.range] })
    await h.clock.runUntil(() => a.group.joins > 0 && b.group.joins > 0 && owners([a.group, b.group], 'orders').length === 4)
    const ranges = [a.group.assignment.orders, b.group.assignment.orders].map((p) => p!.join(',')).sort()
    expect(ranges).toEqual(['0,1', '2,3'])
    const group = await h.clock.run(a.consumer.describeGroup())
    expect(group.protocol).toBe('range')
    await h.clock.run(Promise.all([a.consumer.disconnect(), b.consumer.disconnect()]))
  })

  it('cooperative-sticky: a joining member takes partitions over without the others giving up the rest (KIP-429)', async () => {
    const h = harness()
    await h.createTopic('orders', 4)
    const assigners = [PartitionAssigners.cooperativeSticky]
    const a = await h.start({ groupId: 'g', topics: ['orders'], clientId: 'a', partitionAssigners: assigners })
    await h.clock.runUntil(() => (a.group.assignment.orders?.length ?? 0) === 4)
    const before = [...a.group.assignment.orders!]
    const b = await h.start({ groupId: 'g', topics: ['orders'], clientId: 'b', partitionAssigners: assigners })
    await h.clock.runUntil(() => (b.group.assignment.orders?.length ?? 0) === 2 && (a.group.assignment.orders?.length ?? 0) === 2)
    // a kept two of its own partitions; b got the other two; nobody holds a partition twice.
    expect(a.group.assignment.orders!.every((p) => before.includes(p))).toBe(true)
    expect(owners([a.group, b.group], 'orders')).toEqual([0, 1, 2, 3])
    expect((await h.clock.run(a.consumer.describeGroup())).protocol).toBe('cooperative-sticky')
    await h.produce('orders', 20)
    await h.clock.runUntil(() => a.received.length + b.received.length >= 20)
    await h.clock.advance(10_000)
    expect(new Set([...a.received, ...b.received].map((r) => r.value)).size).toBe(20)
    expect(a.received.length + b.received.length).toBe(20)
    await h.clock.run(Promise.all([a.consumer.disconnect(), b.consumer.disconnect()]))
  })

  for (const [name, assigner, batches] of [
    ['cooperative-sticky', PartitionAssigners.cooperativeSticky, 1],
    ['round-robin (eager)', PartitionAssigners.roundRobin, 2],
  ] as const) {
    it(`${name}: a member that keeps its partition ${batches === 1 ? 'goes on with its batch through the rebalance' : 'stops its batch at the rebalance and fetches again'}`, async () => {
      const h = harness()
      await h.createTopic('t', 1)
      await h.produce('t', 10)
      let batchStarts = 0
      let rebalancedAt = -1
      const a = await h.start({
        groupId: 'g',
        topics: ['t'],
        clientId: 'a',
        partitionAssigners: [assigner],
        heartbeatInterval: 500,
        onMessage: () => h.clock.sleep(1_000),
        setup: (c) => {
          c.on(c.events.START_BATCH_PROCESS, () => batchStarts++)
          c.on(c.events.REBALANCING, () => (rebalancedAt = a.received.length))
        },
      })
      await h.clock.runUntil(() => a.received.length === 3)
      const b = await h.start({ groupId: 'g', topics: ['t'], clientId: 'b', partitionAssigners: [assigner] })
      await h.clock.runUntil(() => a.received.length === 10)
      await h.clock.advance(10_000)
      expect(rebalancedAt).toBeGreaterThanOrEqual(3)
      expect(rebalancedAt).toBeLessThan(10)
      expect(batchStarts).toBe(batches)
      // Either way, each message once and in order.
      expect(a.received.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
      expect(b.received).toEqual([])
      await h.clock.run(Promise.all([a.consumer.disconnect(), b.consumer.disconnect()]))
    })
  }

  it('when a subscribed topic gains partitions, the group rebalances and the new ones are consumed', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    const m = await h.start({ groupId: 'g', topics: ['t'], metadataMaxAge: 1_000 })
    await h.clock.runUntil(() => m.group.joins === 1)
    const client = createBrokerRouter(h.context)
    const grown = await h.clock.run(client.sendToAny('CreatePartitions', { topics: [{ name: 't', count: 3, assignments: null }], timeoutMs: 1000, validateOnly: false }))
    expect(grown.results[0]!.errorCode).toBe(0)
    await h.clock.runUntil(() => (m.group.assignment.t?.length ?? 0) === 3)
    const producer = h.producer()
    await h.clock.run(producer.connect())
    await h.clock.run(producer.send({ topic: 't', messages: [{ value: 'p2', partition: 2 }] }))
    await h.clock.runUntil(() => m.received.length === 1)
    expect(m.received[0]).toMatchObject({ partition: 2, value: 'p2' })
    await h.clock.run(m.consumer.disconnect())
  })
})

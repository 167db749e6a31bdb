import { describe, expect, it } from 'vitest'
import { createBrokerRouter } from '../../../src/client/client-context.js'
import { Errors } from '../../../src/protocol/error-codes.js'
import { harness } from './harness.js'

describe('consumer: broker errors', () => {
  it('NOT_LEADER_OR_FOLLOWER and UNKNOWN_TOPIC_OR_PARTITION on fetch: refresh metadata and carry on', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 5)
    const notLeader = h.cluster.transport.hooks.add({ api: 'Fetch', from: 'client', action: { type: 'fail', errorCode: Errors.NOT_LEADER_OR_FOLLOWER.code }, times: 3 })
    const unknown = h.cluster.transport.hooks.add({ api: 'Fetch', from: 'client', action: { type: 'fail', errorCode: Errors.UNKNOWN_TOPIC_OR_PARTITION.code }, times: 2 })
    const m = await h.start({ groupId: 'g', topics: ['t'] })
    await h.clock.runUntil(() => m.received.length === 5)
    expect(notLeader.fired + unknown.fired).toBe(5)
    expect(m.received.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4])
    await h.clock.run(m.consumer.disconnect())
  })

  it('a fetch that times out (dropped request) is retried', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 3)
    const drop = h.cluster.transport.hooks.add({ api: 'Fetch', from: 'client', action: { type: 'drop' }, times: 1 })
    const m = await h.start({ groupId: 'g', topics: ['t'] })
    await h.clock.runUntil(() => m.received.length === 3)
    expect(drop.fired).toBe(1)
    await h.clock.run(m.consumer.disconnect())
  })

  it('OFFSET_OUT_OF_RANGE resets the position per fromBeginning (auto.offset.reset=earliest)', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 4)
    // A committed offset past the end of the log, as after a topic was recreated.
    const client = createBrokerRouter(h.context)
    const coordinator = await h.clock.run(client.findCoordinator('g'))
    await h.clock.run(
      client.send(coordinator, 'OffsetCommit', {
        groupId: 'g',
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [{ topic: 't', partitions: [{ partition: 0, offset: 1000, metadata: null }] }],
      }),
    )
    expect((await h.committed('g', 't')).get(0)).toBe(1000)
    const m = await h.start({ groupId: 'g', topics: ['t'], fromBeginning: true })
    await h.clock.runUntil(() => m.received.length === 4)
    expect(m.received.map((r) => r.offset)).toEqual([0, 1, 2, 3])
    await h.clock.advance(100)
    expect((await h.committed('g', 't')).get(0)).toBe(4)
    await h.clock.run(m.consumer.disconnect())
  })

  it('a member that lost its membership (UNKNOWN_MEMBER_ID on heartbeat) rejoins as a new member', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    const joins: string[] = []
    const m = await h.start({ groupId: 'g', topics: ['t'], setup: (c) => c.on(c.events.GROUP_JOIN, (e) => joins.push(e.payload.memberId)) })
    h.cluster.transport.hooks.add({ api: 'Heartbeat', action: { type: 'fail', errorCode: Errors.UNKNOWN_MEMBER_ID.code }, times: 1 })
    await h.clock.runUntil(() => joins.length === 2)
    expect(joins[1]).not.toBe(joins[0])
    await h.produce('t', 2)
    await h.clock.runUntil(() => m.received.length === 2)
    await h.clock.run(m.consumer.disconnect())
  })

  it('a heartbeat answered COORDINATOR_NOT_AVAILABLE is retried at the next beat, without a rebalance', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    const joins: string[] = []
    const m = await h.start({ groupId: 'g', topics: ['t'], setup: (c) => c.on(c.events.GROUP_JOIN, (e) => joins.push(e.payload.memberId)) })
    const hook = h.cluster.transport.hooks.add({ api: 'Heartbeat', action: { type: 'fail', errorCode: Errors.COORDINATOR_NOT_AVAILABLE.code }, times: 2 })
    await h.clock.advance(20_000)
    await h.produce('t', 2)
    await h.clock.runUntil(() => m.received.length === 2)
    expect(hook.fired).toBe(2)
    expect(joins).toHaveLength(1)
    await h.clock.run(m.consumer.disconnect())
  })
})

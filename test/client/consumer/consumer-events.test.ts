import { describe, expect, it } from 'vitest'
import type { InstrumentationEvent } from '../../../src/client/instrumentation/instrumentation-emitter.js'
import { ConsumerEvents } from '../../../src/client/consumer/consumer-events.js'
import { MemberAssignment, MemberMetadata, type PartitionAssigner } from '../../../src/client/assigners/index.js'
import { harness } from './harness.js'

describe('consumer: instrumentation events', () => {
  it('emits KafkaJS events with KafkaJS payloads', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 3)
    const events: InstrumentationEvent<any>[] = []
    const m = await h.start({
      groupId: 'g',
      topics: ['t'],
      setup: (consumer) => {
        for (const name of Object.values(consumer.events)) consumer.on(name, (e) => events.push(e))
      },
    })
    await h.clock.runUntil(() => m.received.length === 3)
    await h.clock.advance(10_000)
    await h.clock.run(m.consumer.disconnect())
    const first = (type: string) => events.find((e) => e.type === type)

    expect(m.consumer.events).toBe(ConsumerEvents)
    expect(first('consumer.connect')).toBeDefined()
    expect(first('consumer.group_join')!.payload).toEqual({
      duration: expect.any(Number),
      groupId: 'g',
      isLeader: true,
      leaderId: expect.stringMatching(/^test-/),
      groupProtocol: 'RoundRobinAssigner',
      memberId: first('consumer.group_join')!.payload.leaderId,
      // Not in KafkaJS's payload: the generation, for kafkalite/testing's recordConsumer (a row in docs/semantics.md).
      generationId: 1,
      memberAssignment: { t: [0] },
    })
    expect(first('consumer.fetch_start')!.payload).toEqual({ nodeId: '0' })
    expect(first('consumer.fetch')!.payload).toEqual({ numberOfBatches: expect.any(Number), duration: expect.any(Number), nodeId: '0' })
    expect(first('consumer.start_batch_process')!.payload).toEqual({
      topic: 't',
      partition: 0,
      highWatermark: '3',
      offsetLag: '0',
      offsetLagLow: '2',
      batchSize: 3,
      firstOffset: '0',
      lastOffset: '2',
    })
    expect(first('consumer.end_batch_process')!.payload).toMatchObject({ topic: 't', partition: 0, batchSize: 3, duration: expect.any(Number) })
    expect(first('consumer.commit_offsets')!.payload).toEqual({
      groupId: 'g',
      memberId: expect.any(String),
      groupGenerationId: expect.any(Number),
      topics: [{ topic: 't', partitions: [{ partition: '0', offset: '3' }] }],
    })
    expect(first('consumer.heartbeat')!.payload).toEqual({ groupId: 'g', memberId: expect.any(String), groupGenerationId: expect.any(Number) })
    expect(first('consumer.network.request')!.payload).toMatchObject({ apiName: expect.any(String), broker: expect.any(String) })
    expect(first('consumer.stop')).toBeDefined()
    expect(first('consumer.disconnect')).toBeDefined()
    const order = events.map((e) => e.type).filter((t) => t === 'consumer.stop' || t === 'consumer.disconnect')
    expect(order).toEqual(['consumer.stop', 'consumer.disconnect'])
    for (const e of events) expect(typeof e.timestamp).toBe('number')
  })

  it('emits REBALANCING when a rebalance makes the member rejoin', async () => {
    const h = harness()
    await h.createTopic('t', 2)
    const rebalancing: unknown[] = []
    const a = await h.start({ groupId: 'g', topics: ['t'], clientId: 'a', setup: (c) => c.on(c.events.REBALANCING, (e) => rebalancing.push(e.payload)) })
    const b = await h.start({ groupId: 'g', topics: ['t'], clientId: 'b' })
    await h.clock.runUntil(() => rebalancing.length > 0)
    expect(rebalancing[0]).toEqual({ groupId: 'g', memberId: expect.stringMatching(/^a-/) })
    await h.clock.run(Promise.all([a.consumer.disconnect(), b.consumer.disconnect()]))
  })

  it('a listener that throws does not break the consumer', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 2)
    const thrown = { sync: 0, async: 0 }
    const crashes: unknown[] = []
    const m = await h.start({
      groupId: 'g',
      topics: ['t'],
      setup: (c) => {
        c.on(c.events.START_BATCH_PROCESS, () => {
          thrown.sync++
          throw new Error('listener bug')
        })
        c.on(c.events.END_BATCH_PROCESS, async () => {
          thrown.async++
          throw new Error('async listener bug')
        })
        c.on(c.events.CRASH, (e) => crashes.push(e.payload))
      },
    })
    await h.clock.runUntil(() => m.received.length === 2 && thrown.async > 0)
    expect(m.received.map((r) => r.offset)).toEqual([0, 1])
    // Both listeners ran and threw, the synchronous one and the one whose promise rejects.
    expect(thrown.sync).toBeGreaterThan(0)
    expect(crashes).toEqual([])
    await h.clock.run(m.consumer.disconnect())
  })

  it('RECEIVED_UNSUBSCRIBED_TOPICS when the leader assigns a topic this member did not subscribe to', async () => {
    const h = harness()
    await h.createTopic('a', 2)
    await h.createTopic('b', 2)
    const unsubscribed: Array<Record<string, unknown>> = []
    // A custom assigner that, like KafkaJS's round-robin, deals every topic of the group to every member.
    const everythingToEveryone: PartitionAssigner = ({ cluster }) => ({
      name: 'EverythingToEveryone',
      version: 0,
      async assign({ members, topics }) {
        const assignment = Object.fromEntries(topics.map((topic) => [topic, cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId)]))
        return members.map(({ memberId }) => ({ memberId, memberAssignment: MemberAssignment.encode({ version: 0, assignment, userData: Buffer.alloc(0) }) }))
      },
      protocol: ({ topics }) => ({ name: 'EverythingToEveryone', metadata: MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) }),
    })
    const partitionAssigners = [everythingToEveryone]
    const onlyA = await h.start({
      groupId: 'g',
      topics: ['a'],
      clientId: 'x',
      partitionAssigners,
      setup: (c) => c.on(c.events.RECEIVED_UNSUBSCRIBED_TOPICS, (e) => unsubscribed.push(e.payload)),
    })
    const both = await h.start({ groupId: 'g', topics: ['a', 'b'], clientId: 'y', partitionAssigners })
    await h.clock.runUntil(() => unsubscribed.length > 0)
    expect(unsubscribed[0]).toMatchObject({ groupId: 'g', topicsSubscribed: ['a'], topicsNotSubscribed: ['b'], assignedTopics: expect.arrayContaining(['b']) })
    // Only the subscribed topic is consumed.
    expect(Object.keys(onlyA.group.assignment)).toEqual(['a'])
    await h.clock.run(Promise.all([onlyA.consumer.disconnect(), both.consumer.disconnect()]))
  })
})

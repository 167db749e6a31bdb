/**
 * Failover with no user code, through the public API: a producer and a consumer group keep working when a partition
 * leader's broker crashes (the clients learn the new leader from Metadata after NOT_LEADER_OR_FOLLOWER or a refused
 * connection, as KafkaJS does), and when the broker hosting the group coordinator crashes (the coordinator moves with
 * the leadership of its `__consumer_offsets` partition, and the group carries on from its committed offsets, which
 * Kafka keeps in that replicated topic). Every send, read, rebalance and commit is checked with the history checker.
 */
import { checkHistory, formatReport, type Producer } from 'kafkalite'
import { describe, expect, it } from 'vitest'
import { virtualKafka, type RecordedMember, type VirtualKafka } from '../support/virtual-kafka.js'

const TOPIC = 'orders'
const GROUP = 'billing'

async function shop(): Promise<{ vk: VirtualKafka; producer: Producer; members: RecordedMember[] }> {
  // One __consumer_offsets partition, so that the coordinator is its leader, visible in describe().
  const vk = virtualKafka({ brokers: 3, seed: 11, checkInvariants: true, defaultReplicationFactor: 3, minInsyncReplicas: 2, offsetsTopicNumPartitions: 1 })
  await vk.createTopics({ topic: TOPIC, numPartitions: 3, replicationFactor: 3 })
  const producer = await vk.recordedProducer('producer')
  const members = [
    await vk.startRecordedConsumer({ groupId: GROUP, topics: [TOPIC], process: 'billing-a' }),
    await vk.startRecordedConsumer({ groupId: GROUP, topics: [TOPIC], process: 'billing-b' }),
  ]
  return { vk, producer, members }
}

/** Sends `count` keyed orders one by one; every send must succeed, with no error handling in the caller. */
async function placeOrders(vk: VirtualKafka, producer: Producer, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) await vk.run(producer.send({ topic: TOPIC, messages: [{ key: `order-${i}`, value: `order-${i}` }] }))
}

function valuesRead(members: readonly RecordedMember[]): Set<string> {
  return new Set(members.flatMap((m) => m.reads().map((r) => r.value)))
}

function leaderOf(vk: VirtualKafka, topic: string, partition: number): number {
  return vk.cluster.describe({ includeInternal: true }).partitions.find((p) => p.topic === topic && p.partition === partition)!.leader
}

describe('failover with no user code', () => {
  it('producer and group carry on across a leader crash; a stale leader answers NOT_LEADER_OR_FOLLOWER and the clients refresh their metadata', async () => {
    const { vk, producer, members } = await shop()
    await placeOrders(vk, producer, 0, 15)
    await vk.clock.runUntil(() => valuesRead(members).size === 15)

    const metadataRequests: number[] = []
    producer.on(producer.events.REQUEST, (event) => {
      if (event.payload.apiName === 'Metadata') metadataRequests.push(event.payload.broker)
    })
    // The leader of partition 0 crashes and comes straight back as a follower: the clients' metadata still names it.
    const oldLeader = leaderOf(vk, TOPIC, 0)
    vk.cluster.crashBroker(oldLeader)
    vk.recording.fault(`crash broker ${oldLeader}`)
    vk.cluster.restartBroker(oldLeader)
    vk.recording.fault(`restart broker ${oldLeader}`)
    const newLeader = leaderOf(vk, TOPIC, 0)
    expect(newLeader).not.toBe(oldLeader)

    await placeOrders(vk, producer, 15, 15)
    await vk.clock.runUntil(() => valuesRead(members).size === 30)

    // Some send went to the old leader, was refused, and went to the new one after a metadata refresh.
    const redirected = Array.from({ length: 15 }, (_, i) => vk.tap.attempts(TOPIC, `order-${15 + i}`)).find((a) => a.length > 1)
    expect(redirected).toEqual([
      { fate: 'unknown', brokerId: oldLeader, reason: 'NOT_LEADER_OR_FOLLOWER' },
      expect.objectContaining({ fate: 'appended', brokerId: newLeader, partition: 0 }),
    ])
    expect(metadataRequests.length).toBeGreaterThan(0)
    expect(members.every((m) => m.crashes === 0)).toBe(true)

    const report = checkHistory(vk.recording.history)
    expect(report.valid, formatReport(report)).toBe(true)
    expect(report.stats.unseen).toBe(0)
    await vk.run(Promise.all(members.map((m) => m.consumer.disconnect())))
  })

  it('the group coordinator moves when its broker crashes; the group goes on consuming and committing, and a new member resumes from the committed offsets', async () => {
    const { vk, producer, members } = await shop()
    await placeOrders(vk, producer, 0, 15)
    await vk.clock.runUntil(() => valuesRead(members).size === 15)

    const coordinator = leaderOf(vk, '__consumer_offsets', 0)
    vk.cluster.crashBroker(coordinator)
    vk.recording.fault(`crash broker ${coordinator} (group coordinator)`)
    expect(leaderOf(vk, '__consumer_offsets', 0)).not.toBe(coordinator)
    const commitsBefore = vk.recording.history.operations().filter((op) => op.type === 'commit').length

    await placeOrders(vk, producer, 15, 15)
    await vk.clock.runUntil(() => valuesRead(members).size === 30)
    await vk.clock.advance(10_000)
    // Both members still in the group, now served by the new coordinator, and still committing.
    const admin = await vk.admin()
    const { groups } = await vk.run(admin.describeGroups([GROUP]))
    expect(groups[0]!.state).toBe('Stable')
    expect(groups[0]!.members).toHaveLength(2)
    expect(vk.recording.history.operations().filter((op) => op.type === 'commit').length).toBeGreaterThan(commitsBefore)

    // The committed offsets survived the crash: every partition committed to its end.
    const ends = await vk.run(admin.fetchTopicOffsets(TOPIC))
    const [committed] = await vk.run(admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }))
    expect(committed!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual(ends.map((e) => [e.partition, e.high]).sort())

    // The members leave; a new one joins (fromBeginning) and starts at the committed offsets: it reads only new orders.
    await vk.run(Promise.all(members.map((m) => m.consumer.disconnect())))
    const late = await vk.startRecordedConsumer({ groupId: GROUP, topics: [TOPIC], process: 'billing-c' })
    await placeOrders(vk, producer, 30, 5)
    await vk.clock.runUntil(() => late.reads().length >= 5)
    await vk.clock.advance(5000)
    expect(late.reads().map((r) => r.value).sort()).toEqual(['order-30', 'order-31', 'order-32', 'order-33', 'order-34'])

    const report = checkHistory(vk.recording.history)
    expect(report.valid, formatReport(report)).toBe(true)
    await vk.run(late.consumer.disconnect())
  })
})

/**
 * Offsets retention (KIP-211) through the public API on virtual time: the committed offsets of a
 * group expire `offsets.retention.minutes` after it became empty (never while a member is in it);
 * a consumer of the expired group then starts where `fromBeginning` (auto.offset.reset) says.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, VirtualClock, logLevel } from 'kafkalite'
import type { EachMessagePayload } from 'kafkalite'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

async function setup(options: { offsetsRetentionMinutes?: number; offsetsRetentionCheckIntervalMs?: number } = {}) {
  const clock = new VirtualClock()
  // Hourly checks keep a week of virtual time to a few hundred timer firings (the ISR check runs every replica.lag.time.max.ms / 2);
  // the log cleaner's at its default 15 s fired 40,000 times here, most of the file's CPU, for no compacted topic.
  const hourly = {
    offsetsRetentionCheckIntervalMs: 60 * MINUTE,
    logRetentionCheckIntervalMs: 60 * MINUTE,
    replicaLagTimeMaxMs: 120 * MINUTE,
    producerIdExpirationCheckIntervalMs: 60 * MINUTE,
    logCleanerBackoffMs: 60 * MINUTE,
  }
  const cluster = new Cluster({ clock, seed: 5, ...hourly, ...options })
  const kafka = new Kafka({ clientId: 'shop', cluster, logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await clock.run(admin.connect())
  // The log keeps every record (retention.ms -1), so only the group's offsets age.
  await clock.run(admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '-1' }] }] }))
  const producer = kafka.producer()
  await clock.run(producer.connect())
  const send = (from: number, count: number) =>
    clock.run(producer.send({ topic: 'orders', messages: Array.from({ length: count }, (_, i) => ({ key: `o${from + i}`, value: `${from + i}` })) }))
  /** Runs a consumer of group `billing` until it has seen `until` messages; returns what it saw and the consumer. */
  const consume = async (fromBeginning: boolean, until: number) => {
    const seen: string[] = []
    const consumer = kafka.consumer({ groupId: 'billing' })
    await clock.run(consumer.connect())
    await clock.run(consumer.subscribe({ topics: ['orders'], fromBeginning }))
    await clock.run(consumer.run({ eachMessage: async ({ message }: EachMessagePayload) => void seen.push(message.value!.toString()) }))
    await clock.runUntil(() => seen.length >= until)
    return { seen, consumer }
  }
  const committed = async () => {
    const [topic] = await clock.run(admin.fetchOffsets({ groupId: 'billing', topics: ['orders'] }))
    return topic!.partitions.map((p) => Number(p.offset)).reduce((a, b) => a + b, 0)
  }
  const state = async () => (await clock.run(admin.describeGroups(['billing']))).groups[0]!.state
  return { clock, admin, producer, send, consume, committed, state }
}

describe('offsets retention (offsets.retention.minutes, KIP-211)', () => {
  it("an empty group's offsets expire 7 days after it became empty, and a consumer then follows fromBeginning", async () => {
    const t = await setup()
    await t.send(0, 10)
    const first = await t.consume(true, 10)
    await t.clock.run(first.consumer.disconnect())
    expect(await t.committed()).toBe(10)
    expect(await t.state()).toBe('Empty')

    await t.clock.advance(7 * DAY - 61 * MINUTE)
    expect(await t.committed()).toBe(10)
    await t.clock.advance(121 * MINUTE)
    // fetchOffsets reports -1 per partition without a committed offset.
    expect(await t.committed()).toBe(-2)
    expect(await t.state()).toBe('Dead')

    await t.send(10, 5)
    const again = await t.consume(true, 15)
    expect(again.seen.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i))
    await t.clock.run(again.consumer.disconnect())
  })

  it('offsets do not expire while the group has members; retention counts from when it became empty, not from the last commit', async () => {
    const t = await setup({ offsetsRetentionMinutes: 1, offsetsRetentionCheckIntervalMs: 10_000 })
    await t.send(0, 4)
    const member = await t.consume(true, 4)
    // The last commit is now; the member stays three retention periods.
    await t.clock.advance(3 * MINUTE)
    expect(await t.committed()).toBe(4)
    await t.clock.run(member.consumer.disconnect())
    await t.clock.advance(45_000)
    expect(await t.committed()).toBe(4)
    await t.clock.advance(30_000)
    expect(await t.committed()).toBe(-2)
  })

  it('a group that only stores offsets (admin setOffsets, no member ever) expires each offset by its commit time', async () => {
    const t = await setup({ offsetsRetentionMinutes: 10, offsetsRetentionCheckIntervalMs: MINUTE })
    await t.send(0, 6)
    await t.clock.run(t.admin.setOffsets({ groupId: 'billing', topic: 'orders', partitions: [{ partition: 0, offset: '1' }] }))
    await t.clock.advance(5 * MINUTE)
    await t.clock.run(t.admin.setOffsets({ groupId: 'billing', topic: 'orders', partitions: [{ partition: 1, offset: '2' }] }))
    await t.clock.advance(6 * MINUTE)
    // Partition 0's offset is 11 minutes old and gone; partition 1's is 6 minutes old and stays.
    const [topic] = await t.clock.run(t.admin.fetchOffsets({ groupId: 'billing', topics: ['orders'] }))
    expect(topic!.partitions.map((p) => [p.partition, p.offset])).toEqual([[0, '-1'], [1, '2']])
    await t.clock.advance(10 * MINUTE)
    expect(await t.state()).toBe('Dead')
  })

  it('rejects a retention that is not a positive integer', () => {
    expect(() => new Cluster({ clock: new VirtualClock(), offsetsRetentionMinutes: 0 })).toThrow(/offsetsRetentionMinutes must be an integer >= 1/)
  })
})

/** A compacted topic through the KafkaJS-compatible client: what producers are refused, what consumers read back, configs that take effect. */
import { describe, expect, it } from 'vitest'
import { KafkaJSProtocolError } from '../../../src/client/errors.js'
import type { EachMessagePayload } from '../../../src/client/consumer/index.js'
import { brokerSideOf } from '../../../src/cluster.js'
import { adminSetup } from './admin-helpers.js'

const COMPACT = [
  { name: 'cleanup.policy', value: 'compact' },
  // A segment per send, so every send but the last is in a closed segment.
  { name: 'segment.ms', value: '1' },
  { name: 'delete.retention.ms', value: '60000' },
]

async function compactedSetup(configEntries = COMPACT, brokers = 3) {
  const setup = await adminSetup({ brokers })
  await setup.run(setup.admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 1, replicationFactor: brokers, configEntries }] }))
  return setup
}

type Setup = Awaited<ReturnType<typeof compactedSetup>>

async function send(setup: Setup, key: string, value: string | null): Promise<void> {
  await setup.run(setup.producer.send({ topic: 'orders', messages: [{ key, value, partition: 0 }] }))
  await setup.clock.advance(10)
}

/** Reads the topic from the beginning with a fresh group: [offset, key, value] of every message. */
async function readAll(setup: Setup, groupId: string): Promise<Array<[number, string, string | null]>> {
  const consumer = setup.kafka.consumer({ groupId })
  const seen: Array<[number, string, string | null]> = []
  await setup.run(consumer.connect())
  await setup.run(consumer.subscribe({ topics: ['orders'], fromBeginning: true }))
  await setup.run(consumer.run({ eachMessage: async ({ message }: EachMessagePayload) => void seen.push([Number(message.offset), message.key!.toString(), message.value?.toString() ?? null]) }))
  await setup.clock.advance(5000)
  await setup.run(consumer.disconnect())
  return seen
}

describe('a compacted topic (cleanup.policy=compact)', () => {
  it('refuses a message without a key with INVALID_RECORD (error code 87), as KafkaJS surfaces it, and appends nothing', async () => {
    const setup = await compactedSetup()
    const error = await setup.fail(setup.producer.send({ topic: 'orders', messages: [{ value: 'no key' }] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect((error as KafkaJSProtocolError).type).toBe('INVALID_RECORD')
    expect((error as KafkaJSProtocolError).code).toBe(87)
    expect((error as KafkaJSProtocolError).retriable).toBe(false)
    expect((await setup.run(setup.admin.fetchTopicOffsets('orders')))[0]!.high).toBe('0')
  })

  it('a consumer from the beginning reads the newest value of every key, at their original offsets, on every replica', async () => {
    const setup = await compactedSetup()
    await send(setup, 'o1', 'created')
    await send(setup, 'o2', 'created')
    await send(setup, 'o1', 'paid')
    await send(setup, 'o2', 'cancelled')
    await send(setup, 'o1', 'shipped')
    await send(setup, 'o3', 'created')
    await setup.clock.advance(30_000)
    expect(await readAll(setup, 'g1')).toEqual([
      [3, 'o2', 'cancelled'],
      [4, 'o1', 'shipped'],
      [5, 'o3', 'created'],
    ])
    // Each replica cleaned its own log (as Kafka's brokers do): they hold the same records.
    const fleet = brokerSideOf(setup.cluster)
    const held = [0, 1, 2].map((id) => fleet.broker(id).replica('orders', 0)!.log.read(0, Infinity, Infinity).map((r) => r.offset))
    expect(held).toEqual([
      [3, 4, 5],
      [3, 4, 5],
      [3, 4, 5],
    ])
    // ListOffsets: the earliest offset stays 0 (compaction never moves the log start offset).
    expect(await setup.run(setup.admin.fetchTopicOffsetsByTimestamp('orders', 0))).toEqual([{ partition: 0, offset: '3' }])
    expect((await setup.run(setup.admin.fetchTopicOffsets('orders')))[0]).toMatchObject({ low: '0', high: '6' })
  })

  it('a tombstone deletes its key: read for delete.retention.ms, then gone', async () => {
    const setup = await compactedSetup()
    await send(setup, 'o1', 'created')
    await send(setup, 'o2', 'created')
    await send(setup, 'o1', null)
    await send(setup, 'o3', 'created')
    await setup.clock.advance(30_000)
    expect(await readAll(setup, 'g1')).toEqual([
      [1, 'o2', 'created'],
      [2, 'o1', null],
      [3, 'o3', 'created'],
    ])
    await setup.clock.advance(60_000)
    expect(await readAll(setup, 'g2')).toEqual([
      [1, 'o2', 'created'],
      [3, 'o3', 'created'],
    ])
  })

  it('alterConfigs to compact takes effect: keyless sends are refused from then on, and the cleaner compacts', async () => {
    const setup = await compactedSetup([{ name: 'segment.ms', value: '1' }], 1)
    await send(setup, 'k', 'v1')
    await send(setup, 'k', 'v2')
    await send(setup, 'z', 'v1')
    await setup.clock.advance(30_000)
    expect((await readAll(setup, 'g1')).map(([o]) => o)).toEqual([0, 1, 2])
    await setup.run(setup.admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 'orders', configEntries: COMPACT }] }))
    const error = await setup.fail(setup.producer.send({ topic: 'orders', messages: [{ value: 'no key' }] }))
    expect((error as KafkaJSProtocolError).type).toBe('INVALID_RECORD')
    await setup.clock.advance(30_000)
    expect((await readAll(setup, 'g2')).map(([o]) => o)).toEqual([1, 2])
    // Back to delete: the cleaner leaves new duplicates alone.
    await setup.run(setup.admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 'orders', configEntries: [{ name: 'cleanup.policy', value: 'delete' }, { name: 'segment.ms', value: '1' }] }] }))
    await send(setup, 'z', 'v2')
    await send(setup, 'y', 'v1')
    await setup.clock.advance(30_000)
    expect((await readAll(setup, 'g3')).map(([o]) => o)).toEqual([1, 2, 3, 4])
  })
})

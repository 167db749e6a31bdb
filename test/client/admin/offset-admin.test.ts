import { describe, expect, it } from 'vitest'
import { KafkaJSNonRetriableError, KafkaJSProtocolError } from '../../../src/client/errors.js'
import { adminSetup } from './admin-helpers.js'

async function withRecords(counts: number[]) {
  const setup = await adminSetup()
  const { admin, producer, run } = setup
  await run(admin.createTopics({ topics: [{ topic: 't', numPartitions: counts.length }] }))
  for (const [partition, count] of counts.entries()) {
    for (let i = 0; i < count; i++) {
      await run(producer.send({ topic: 't', messages: [{ value: `${partition}-${i}`, partition }] }))
      await setup.clock.advance(1000)
    }
  }
  return setup
}

describe('topic offsets', () => {
  it('fetchTopicOffsets gives high and low watermarks as strings', async () => {
    const { admin, run } = await withRecords([3, 0])
    expect(await run(admin.fetchTopicOffsets('t'))).toEqual([
      { partition: 0, offset: '3', high: '3', low: '0' },
      { partition: 1, offset: '0', high: '0', low: '0' },
    ])
  })

  it('fetchTopicOffsetsByTimestamp finds the first offset at or after the time, else the high watermark', async () => {
    const { admin, run, clock } = await withRecords([3, 1])
    const start = clock.now() - 4000
    const all = await run(admin.fetchTopicOffsetsByTimestamp('t', start))
    expect(all).toEqual([
      { partition: 0, offset: '0' },
      { partition: 1, offset: '0' },
    ])
    const later = await run(admin.fetchTopicOffsetsByTimestamp('t', start + 1500))
    expect(later).toEqual([
      { partition: 0, offset: '2' },
      { partition: 1, offset: '0' },
    ])
    const future = await run(admin.fetchTopicOffsetsByTimestamp('t', clock.now() + 10_000))
    expect(future).toEqual([
      { partition: 0, offset: '3' },
      { partition: 1, offset: '1' },
    ])
    expect(await run(admin.fetchTopicOffsetsByTimestamp('t'))).toEqual(future)
  })

  it('rejects bad topics', async () => {
    const { admin, fail } = await adminSetup()
    expect(((await fail(admin.fetchTopicOffsets(''))) as Error).message).toBe('Invalid topic ')
    expect(((await fail(admin.fetchTopicOffsets('ghost'))) as KafkaJSProtocolError).type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(((await fail(admin.fetchTopicOffsetsByTimestamp(42 as never))) as Error).message).toBe('Invalid topic 42')
  })
})

describe('group offsets', () => {
  it('setOffsets commits for an empty group; fetchOffsets reads them back, -1 where none', async () => {
    const { admin, run } = await withRecords([3, 2])
    await run(admin.setOffsets({ groupId: 'g', topic: 't', partitions: [{ partition: 0, offset: '2' }] }))
    expect(await run(admin.fetchOffsets({ groupId: 'g', topics: ['t'] }))).toEqual([
      {
        topic: 't',
        partitions: [
          { partition: 0, offset: '2', metadata: null },
          { partition: 1, offset: '-1', metadata: null },
        ],
      },
    ])
    expect(await run(admin.fetchOffsets({ groupId: 'g' }))).toEqual([{ topic: 't', partitions: [{ partition: 0, offset: '2', metadata: null }] }])
  })

  it('resetOffsets moves the group to the earliest or latest offsets', async () => {
    const { admin, run } = await withRecords([3, 2])
    await run(admin.resetOffsets({ groupId: 'g', topic: 't' }))
    const latest = await run(admin.fetchOffsets({ groupId: 'g', topics: ['t'] }))
    expect(latest[0]!.partitions.map((p) => p.offset)).toEqual(['3', '2'])
    await run(admin.resetOffsets({ groupId: 'g', topic: 't', earliest: true }))
    const earliest = await run(admin.fetchOffsets({ groupId: 'g', topics: ['t'] }))
    expect(earliest[0]!.partitions.map((p) => p.offset)).toEqual(['0', '0'])
  })

  it('fetchOffsets with resolveOffsets commits the high watermark where nothing was committed', async () => {
    const { admin, run } = await withRecords([3, 2])
    await run(admin.setOffsets({ groupId: 'g', topic: 't', partitions: [{ partition: 0, offset: '1' }] }))
    const resolved = await run(admin.fetchOffsets({ groupId: 'g', topics: ['t'], resolveOffsets: true }))
    expect(resolved[0]!.partitions.map((p) => p.offset)).toEqual(['1', '2'])
    const again = await run(admin.fetchOffsets({ groupId: 'g', topics: ['t'] }))
    expect(again[0]!.partitions.map((p) => p.offset)).toEqual(['1', '2'])
  })

  it('refuses to set offsets while the group has a running member', async () => {
    const setup = await withRecords([1])
    const { admin, kafka, clock, run, fail } = setup
    const consumer = kafka.consumer({ groupId: 'busy' })
    await run(consumer.connect())
    await run(consumer.subscribe({ topics: ['t'], fromBeginning: true }))
    let seen = 0
    void consumer.run({ eachMessage: async () => void seen++ })
    await clock.runUntil(() => seen === 1)
    const before = await run(admin.fetchOffsets({ groupId: 'busy', topics: ['t'] }))
    const error = await fail(admin.setOffsets({ groupId: 'busy', topic: 't', partitions: [{ partition: 0, offset: '0' }] }))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect((error as Error).message).toMatch(/^The consumer group must have no running instances, current state: (Stable|CompletingRebalance|PreparingRebalance)$/)
    expect(((await fail(admin.resetOffsets({ groupId: 'busy', topic: 't', earliest: true }))) as Error).message).toMatch(/no running instances/)
    expect(await run(admin.fetchOffsets({ groupId: 'busy', topics: ['t'] }))).toEqual(before)
    await run(consumer.disconnect())
  })

  const bad: Array<[string, object, RegExp | string]> = [
    ['no group id', { topic: 't', partitions: [{ partition: 0, offset: '0' }] }, 'Invalid groupId undefined'],
    ['no topic', { groupId: 'g', partitions: [{ partition: 0, offset: '0' }] }, 'Invalid topic undefined'],
    ['no partitions', { groupId: 'g', topic: 't', partitions: [] }, 'Invalid partitions'],
    ['a non-numeric offset', { groupId: 'g', topic: 't', partitions: [{ partition: 0, offset: 'abc' }] }, /Invalid offset "abc"/],
    ['a negative offset other than -1/-2', { groupId: 'g', topic: 't', partitions: [{ partition: 0, offset: '-5' }] }, /offsets must be >= 0/],
  ]
  it.each(bad)('setOffsets rejects %s and commits nothing', async (_name, options, message) => {
    const { admin, run, fail } = await withRecords([1, 1])
    const error = await fail(admin.setOffsets(options as never))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    if (typeof message === 'string') expect((error as Error).message).toBe(message)
    else expect((error as Error).message).toMatch(message)
    expect(await run(admin.fetchOffsets({ groupId: 'g' }))).toEqual([])
  })

  it('setOffsets rejects an unknown partition with UNKNOWN_TOPIC_OR_PARTITION and commits none of the others', async () => {
    const { admin, run, fail } = await withRecords([1, 1])
    const error = await fail(admin.setOffsets({ groupId: 'g', topic: 't', partitions: [{ partition: 0, offset: '1' }, { partition: 9, offset: '0' }] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect((error as KafkaJSProtocolError).type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(await run(admin.fetchOffsets({ groupId: 'g' }))).toEqual([])
  })

  it('fetchOffsets rejects bad arguments', async () => {
    const { admin, fail } = await adminSetup()
    expect(((await fail(admin.fetchOffsets({} as never))) as Error).message).toBe('Invalid groupId undefined')
    expect(((await fail(admin.fetchOffsets({ groupId: 'g', topics: 't' as never }))) as Error).message).toBe('Expected topics array to be set')
    expect(((await fail(admin.fetchOffsets({ groupId: 'g', topics: ['ghost'] }))) as KafkaJSProtocolError).type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
  })
})

import { describe, expect, it } from 'vitest'
import { KafkaJSDeleteTopicRecordsError, KafkaJSNonRetriableError, KafkaJSProtocolError } from '../../../src/client/errors.js'
import type { EachMessagePayload } from '../../../src/client/consumer/index.js'
import { adminSetup } from './admin-helpers.js'

async function withRecords(count: number, numPartitions = 1) {
  const setup = await adminSetup({ brokers: 3 })
  const { admin, producer, run } = setup
  await run(admin.createTopics({ topics: [{ topic: 't', numPartitions, replicationFactor: 3 }] }))
  await run(producer.send({ topic: 't', messages: Array.from({ length: count }, (_, i) => ({ value: `v${i}`, partition: 0 })) }))
  return setup
}

describe('admin.deleteTopicRecords', () => {
  it('moves the low watermark (fetchTopicOffsets low) to the offset asked for, and -1 to the high watermark', async () => {
    const { admin, run } = await withRecords(5, 2)
    await run(admin.deleteTopicRecords({ topic: 't', partitions: [{ partition: 0, offset: '3' }] }))
    expect(await run(admin.fetchTopicOffsets('t'))).toEqual([
      { partition: 0, offset: '5', high: '5', low: '3' },
      { partition: 1, offset: '0', high: '0', low: '0' },
    ])
    await run(admin.deleteTopicRecords({ topic: 't', partitions: [{ partition: 0, offset: '-1' }] }))
    expect((await run(admin.fetchTopicOffsets('t')))[0]!.low).toBe('5')
  })

  it.each([
    ['no topic', { partitions: [{ partition: 0, offset: '1' }] }, 'Invalid topic "undefined"'],
    ['a numeric topic', { topic: 3, partitions: [{ partition: 0, offset: '1' }] }, 'Invalid topic "3"'],
    ['no partitions', { topic: 't' }, 'Invalid partitions'],
    ['empty partitions', { topic: 't', partitions: [] }, 'Invalid partitions'],
  ])('rejects %s with the KafkaJS message', async (_name, options, message) => {
    const { admin, fail } = await withRecords(1)
    const error = await fail(admin.deleteTopicRecords(options as never))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect((error as Error).message).toBe(message)
  })

  it('an offset above the high watermark fails that partition with OFFSET_OUT_OF_RANGE in KafkaJSDeleteTopicRecordsError, wrapped as by the KafkaJS retrier', async () => {
    const { admin, fail } = await withRecords(2)
    // KafkaJS's retrier wraps the non-retriable error: a KafkaJSNonRetriableError whose cause is the KafkaJSDeleteTopicRecordsError.
    const wrapped = (await fail(admin.deleteTopicRecords({ topic: 't', partitions: [{ partition: 0, offset: '9' }] }))) as KafkaJSNonRetriableError
    expect(wrapped).toBeInstanceOf(KafkaJSNonRetriableError)
    expect(wrapped.message).toBe('Error while deleting records')
    const error = wrapped.cause as KafkaJSDeleteTopicRecordsError
    expect(error).toBeInstanceOf(KafkaJSDeleteTopicRecordsError)
    expect(error.partitions).toHaveLength(1)
    expect(error.partitions[0]).toMatchObject({ partition: 0, offset: '9' })
    expect((error.partitions[0]!.error as KafkaJSProtocolError).type).toBe('OFFSET_OUT_OF_RANGE')
  })

  it('a partition without a leader fails with KafkaJSBrokerNotFound, as KafkaJS', async () => {
    const { admin, fail } = await withRecords(1)
    const error = (await fail(admin.deleteTopicRecords({ topic: 't', partitions: [{ partition: 7, offset: '0' }] }))) as KafkaJSDeleteTopicRecordsError
    expect(error).toBeInstanceOf(KafkaJSDeleteTopicRecordsError)
    expect(error.partitions[0]!.error.name).toBe('KafkaJSBrokerNotFound')
    expect(error.partitions[0]!.error.message).toBe('Could not find the leader for the partition')
  })

  it('a consumer whose committed position was deleted gets OFFSET_OUT_OF_RANGE and resets to the new earliest (fromBeginning)', async () => {
    const { admin, kafka, producer, run, clock } = await withRecords(3)
    const consumer = kafka.consumer({ groupId: 'g' })
    await run(consumer.connect())
    const seen: string[] = []
    await run(consumer.subscribe({ topics: ['t'], fromBeginning: true }))
    await run(consumer.run({ eachMessage: async ({ message }: EachMessagePayload) => void seen.push(message.value!.toString()) }))
    await clock.advance(5000)
    expect(seen).toEqual(['v0', 'v1', 'v2'])
    await run(consumer.stop())
    await run(producer.send({ topic: 't', messages: ['v3', 'v4', 'v5'].map((value) => ({ value, partition: 0 })) }))
    await run(admin.deleteTopicRecords({ topic: 't', partitions: [{ partition: 0, offset: '5' }] }))
    await run(consumer.run({ eachMessage: async ({ message }: EachMessagePayload) => void seen.push(message.value!.toString()) }))
    await clock.advance(5000)
    expect(seen).toEqual(['v0', 'v1', 'v2', 'v5'])
    await run(consumer.disconnect())
  })
})

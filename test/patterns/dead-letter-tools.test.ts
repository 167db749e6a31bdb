import { describe, expect, it } from 'vitest'
import type { OffsetCommitRequest } from '../../src/protocol/index.js'
import { deadLetterMessage } from '../../src/client/dead-letter/dead-letter-headers.js'
import type { KafkaMessage } from '../../src/client/message-types.js'
import { readDeadLetters, replayDeadLetters } from '../../src/patterns/dead-letter-tools.js'
import { InvalidListenerError, TopicReadError } from '../../src/patterns/errors.js'
import { RetryTopicHeaders } from '../../src/patterns/retry-topics.js'
import { patternsHarness, type PatternsHarness } from './harness.js'

class InvalidAddress extends Error {}

/** Puts `count` dead letters of `orders` (partition i % 3, offset i) into `orders-dlt`. */
async function fillDeadLetters(h: PatternsHarness, count: number, from = 0): Promise<void> {
  const producer = await h.producer()
  const messages = Array.from({ length: count }, (_, n) => {
    const i = from + n
    const original = { key: Buffer.from(`order-${i}`), value: Buffer.from(`{"i":${i}}`), timestamp: '5', offset: String(i), attributes: 0, headers: { trace: Buffer.from(`t${i}`) } } as KafkaMessage
    const message = deadLetterMessage({ topic: 'orders', partition: i % 3, message: original, groupId: 'invoice', error: new InvalidAddress(`bad address ${i}`) })
    return { ...message, headers: { ...message.headers, [RetryTopicHeaders.attempts]: Buffer.from([3]) } }
  })
  await h.run(producer.send({ topic: 'orders-dlt', messages }))
}

describe('dead-letter tools', () => {
  it('reads every dead letter with its reason decoded', async () => {
    const h = patternsHarness()
    await h.createTopic('orders', 3)
    await h.createTopic('orders-dlt', 1)
    expect(await h.run(readDeadLetters(h.kafka, 'orders-dlt'))).toEqual([])
    await fillDeadLetters(h, 3)
    const letters = await h.run(readDeadLetters(h.kafka, 'orders-dlt'))
    expect(letters.map((l) => [l.offset, String(l.key), l.deadLetter?.originalPartition, l.deadLetter?.exceptionFqcn, l.deadLetter?.exceptionMessage])).toEqual([
      ['0', 'order-0', 0, 'InvalidAddress', 'bad address 0'],
      ['1', 'order-1', 1, 'InvalidAddress', 'bad address 1'],
      ['2', 'order-2', 2, 'InvalidAddress', 'bad address 2'],
    ])
    expect(letters[0]?.deadLetter).toMatchObject({ originalTopic: 'orders', originalConsumerGroup: 'invoice', originalOffset: '0' })
    // A read leaves no consumer group behind.
    const admin = h.kafka.admin()
    await h.run(admin.connect())
    expect((await h.run(admin.listGroups())).groups).toEqual([])
    await h.run(admin.disconnect())
  })

  it('replays dead letters to their original topic and partition, with their own headers only', async () => {
    const h = patternsHarness()
    await h.createTopic('orders', 3)
    await h.createTopic('orders-dlt', 1)
    await fillDeadLetters(h, 3)
    const result = await h.run(replayDeadLetters(h.kafka, { from: 'orders-dlt', filter: (l) => l.deadLetter?.exceptionMessage !== 'bad address 1' }))
    expect(result.replayed.map((l) => l.offset)).toEqual(['0', '2'])
    expect(result.skipped.map((l) => l.offset)).toEqual(['1'])
    const replayed = await h.read('orders')
    expect(replayed.map((r) => [r.partition, String(r.message.key), String(r.message.value)])).toEqual([
      [0, 'order-0', '{"i":0}'],
      [2, 'order-2', '{"i":2}'],
    ])
    expect(Object.keys(replayed[0]!.message.headers ?? {})).toEqual(['trace'])
  })

  it('with a groupId, replays each dead letter once across calls', async () => {
    const h = patternsHarness()
    await h.createTopic('orders', 3)
    await h.createTopic('orders-dlt', 1)
    await h.createTopic('orders-fixed', 1)
    await fillDeadLetters(h, 2)
    const first = await h.run(replayDeadLetters(h.kafka, { from: 'orders-dlt', to: 'orders-fixed', groupId: 'replayer' }))
    expect(first.replayed.map((l) => l.offset)).toEqual(['0', '1'])
    expect((await h.run(replayDeadLetters(h.kafka, { from: 'orders-dlt', to: 'orders-fixed', groupId: 'replayer' }))).replayed).toEqual([])
    await fillDeadLetters(h, 1, 2)
    const third = await h.run(replayDeadLetters(h.kafka, { from: 'orders-dlt', to: 'orders-fixed', groupId: 'replayer' }))
    expect(third.replayed.map((l) => l.offset)).toEqual(['2'])
    expect((await h.read('orders-fixed')).map((r) => String(r.message.key))).toEqual(['order-0', 'order-1', 'order-2'])
  })

  it('settles when the commit of a partition\'s last replayed record fails: rejects with a typed error, and a later call resumes from what the group holds', async () => {
    const h = patternsHarness()
    await h.createTopic('orders', 3)
    await h.createTopic('orders-dlt', 1)
    await h.createTopic('orders-fixed', 1)
    await fillDeadLetters(h, 2)
    // Every answer to the commit of the last record (offset 2) is lost: the broker commits it, the client never hears.
    const lost = h.cluster.transport.hooks.add({
      api: 'OffsetCommit',
      action: { type: 'dropResponse' },
      when: (request) => (request as OffsetCommitRequest).topics.some((t) => t.partitions.some((p) => p.offset === 2)),
    })
    const failed = await h.run(replayDeadLetters(h.kafka, { from: 'orders-dlt', to: 'orders-fixed', groupId: 'replayer' }).then(
      () => undefined,
      (error: unknown) => error,
    ))
    expect(failed).toBeInstanceOf(TopicReadError)
    expect((failed as Error).message).toMatch(/orders-dlt.*partition 0.*offset 1/)
    lost.remove()
    expect((await h.run(replayDeadLetters(h.kafka, { from: 'orders-dlt', to: 'orders-fixed', groupId: 'replayer' }))).replayed).toEqual([])
    expect((await h.read('orders-fixed')).map((r) => String(r.message.key))).toEqual(['order-0', 'order-1'])
  })

  it('skips records that do not say where they came from, and rejects bad input', async () => {
    const h = patternsHarness()
    await h.createTopic('orders-dlt', 1)
    await h.run((await h.producer()).send({ topic: 'orders-dlt', messages: [{ value: 'no headers' }] }))
    const result = await h.run(replayDeadLetters(h.kafka, { from: 'orders-dlt' }))
    expect(result.replayed).toEqual([])
    expect(result.skipped.map((l) => l.deadLetter)).toEqual([undefined])
    await expect(replayDeadLetters(h.kafka, { from: '' })).rejects.toThrow(InvalidListenerError)
    await expect(replayDeadLetters(h.kafka, { from: 'orders-dlt', to: 'orders-dlt' })).rejects.toThrow(/replayed into it again/)
    await expect(readDeadLetters(h.kafka, '')).rejects.toThrow(InvalidListenerError)
  })
})

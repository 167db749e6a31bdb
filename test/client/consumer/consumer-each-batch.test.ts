import { describe, expect, it } from 'vitest'
import type { EachBatchPayload } from '../../../src/client/consumer/handler-payloads.js'
import { harness } from './harness.js'

async function batchConsumer(h: ReturnType<typeof harness>, eachBatch: (p: EachBatchPayload) => Promise<void>, run: { eachBatchAutoResolve?: boolean; autoCommit?: boolean } = {}) {
  const consumer = h.consumer({ groupId: 'g' })
  await h.clock.run(consumer.connect())
  await h.clock.run(consumer.subscribe({ topic: 't', fromBeginning: true }))
  await h.clock.run(consumer.run({ ...run, eachBatch }))
  return consumer
}

describe('consumer: eachBatch', () => {
  it('hands a batch with KafkaJS helpers: offsets, lag, high watermark', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 5)
    const seen: Array<{ first: string | null; last: string; hw: string; lag: string; lagLow: string; size: number; empty: boolean }> = []
    const consumer = await batchConsumer(h, async ({ batch }) => {
      seen.push({
        first: batch.firstOffset(),
        last: batch.lastOffset(),
        hw: batch.highWatermark,
        lag: batch.offsetLag(),
        lagLow: batch.offsetLagLow(),
        size: batch.messages.length,
        empty: batch.isEmpty(),
      })
    })
    await h.clock.runUntil(() => seen.length === 1)
    expect(seen[0]).toEqual({ first: '0', last: '4', hw: '5', lag: '0', lagLow: '4', size: 5, empty: false })
    await h.clock.advance(100)
    expect((await h.committed('g', 't')).get(0)).toBe(5)
    await h.clock.run(consumer.disconnect())
  })

  it('with eachBatchAutoResolve off, only resolved offsets are committed, and the rest is fetched again', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 6)
    const deliveries: string[][] = []
    const consumer = await batchConsumer(
      h,
      async ({ batch, resolveOffset, uncommittedOffsets }) => {
        deliveries.push(batch.messages.map((m) => m.offset))
        for (const message of batch.messages.slice(0, 3)) resolveOffset(message.offset)
        expect(uncommittedOffsets().topics[0]?.partitions[0]?.offset).toBe(String(Number(batch.messages[0]!.offset) + 3))
      },
      { eachBatchAutoResolve: false },
    )
    await h.clock.runUntil(() => deliveries.length >= 2)
    expect(deliveries[0]).toEqual(['0', '1', '2', '3', '4', '5'])
    expect(deliveries[1]).toEqual(['3', '4', '5'])
    await h.clock.run(consumer.disconnect())
    expect((await h.committed('g', 't')).get(0)).toBe(6)
  })

  it('commitOffsetsIfNecessary commits explicit offsets; isRunning turns false on stop', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 3)
    let running: (() => boolean) | undefined
    const consumer = await batchConsumer(
      h,
      async ({ commitOffsetsIfNecessary, isRunning }) => {
        running = isRunning
        await commitOffsetsIfNecessary({ topics: [{ topic: 't', partitions: [{ partition: 0, offset: '2' }] }] })
      },
      { autoCommit: false, eachBatchAutoResolve: false },
    )
    await h.clock.runUntil(() => running !== undefined)
    await h.clock.advance(10)
    expect((await h.committed('g', 't')).get(0)).toBe(2)
    expect(running!()).toBe(true)
    await h.clock.run(consumer.stop())
    expect(running!()).toBe(false)
  })
})

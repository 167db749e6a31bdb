import { describe, expect, it } from 'vitest'
import type { Consumer } from '../../../src/client/consumer/consumer.js'
import { harness } from './harness.js'

/** Records each COMMIT_OFFSETS of partition 0 with the offset being processed when it happened. */
function recordCommits(consumer: Consumer, commits: Array<{ offset: string; at: number }>): void {
  consumer.on(consumer.events.COMMIT_OFFSETS, (e) => {
    const partition = e.payload.topics[0]?.partitions.find((p: { partition: string }) => p.partition === '0')
    if (partition !== undefined) commits.push({ offset: partition.offset, at: e.timestamp })
  })
}

describe('consumer: auto-commit', () => {
  it('autoCommitThreshold commits inside a batch every N resolved messages', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 10)
    const commits: Array<{ offset: string; at: number }> = []
    const m = await h.start({ groupId: 'g', topics: ['t'], run: { autoCommitThreshold: 4 }, setup: (c) => recordCommits(c, commits) })
    await h.clock.runUntil(() => m.received.length === 10)
    await h.clock.advance(10)
    expect(commits.map((c) => c.offset)).toEqual(['4', '8', '10'])
    expect((await h.committed('g', 't')).get(0)).toBe(10)
    await h.clock.run(m.consumer.disconnect())
  })

  it('autoCommitInterval commits while a long batch is processed', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 10)
    const commits: Array<{ offset: string; at: number }> = []
    const m = await h.start({
      groupId: 'g',
      topics: ['t'],
      run: { autoCommitInterval: 2_500 },
      onMessage: () => h.clock.sleep(1_000),
      setup: (c) => recordCommits(c, commits),
    })
    const start = h.clock.now()
    await h.clock.runUntil(() => m.received.length === 10)
    await h.clock.advance(10)
    // One message a second, a commit once 2.5 s have passed since the last: after offsets 2, 5 and 8, then at the end of the batch.
    expect(commits.map((c) => c.offset)).toEqual(['3', '6', '9', '10'])
    expect(commits[0]!.at - start).toBeGreaterThanOrEqual(2_500)
    await h.clock.run(m.consumer.disconnect())
  })

  it('without autoCommitInterval or threshold, commits happen once per batch', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 10)
    const commits: Array<{ offset: string; at: number }> = []
    const m = await h.start({ groupId: 'g', topics: ['t'], setup: (c) => recordCommits(c, commits) })
    await h.clock.runUntil(() => m.received.length === 10)
    await h.clock.advance(10)
    expect(commits.map((c) => c.offset)).toEqual(['10'])
    await h.clock.run(m.consumer.disconnect())
  })

  it('with autoCommit off nothing is committed until commitOffsets, which commits the next offset given', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 4)
    const m = await h.start({ groupId: 'g', topics: ['t'], run: { autoCommit: false } })
    await h.clock.runUntil(() => m.received.length === 4)
    await h.clock.advance(10_000)
    expect((await h.committed('g', 't')).size).toBe(0)
    await h.clock.run(m.consumer.commitOffsets([{ topic: 't', partition: 0, offset: '3' }]))
    expect((await h.committed('g', 't')).get(0)).toBe(3)
    await h.clock.run(m.consumer.disconnect())

    // The next run of the group starts from the committed offset: offset 3 again.
    const again = await h.start({ groupId: 'g', topics: ['t'] })
    await h.clock.runUntil(() => again.received.length === 1)
    await h.clock.advance(10_000)
    expect(again.received.map((r) => r.offset)).toEqual([3])
    await h.clock.run(again.consumer.disconnect())
  })
})

/**
 * KIP-320 in the consumer (defect 3 of issue 8): a broker cut off from the controller still names
 * itself leader in an older leader epoch. A consumer must not follow it, must not take its shorter
 * log for a truncation, and the group's committed offset must never move backwards.
 */
import { describe, expect, it } from 'vitest'
import { harness } from './harness.js'
import { brokerSideOf } from '../../../src/cluster.js'

async function staleLeaderStory(fromBeginning: boolean) {
  const h = harness({ brokers: 3, defaultReplicationFactor: 3 })
  const { clock, cluster } = h
  await h.createTopic('orders', 1)
  await clock.advance(1)
  const partition = () => brokerSideOf(cluster).controller.topics.get('orders')!.partitions[0]!
  await h.produce('orders', 5, 'a')
  // What the consumer itself commits, in order (its COMMIT_OFFSETS events).
  const commits: number[] = []
  const member = await h.start({
    groupId: 'g',
    topics: ['orders'],
    fromBeginning,
    metadataMaxAge: 5000,
    setup: (consumer) =>
      consumer.on(consumer.events.COMMIT_OFFSETS, (event) => {
        for (const t of event.payload.topics) for (const p of t.partitions) commits.push(Number(p.offset))
      }),
  })
  if (!fromBeginning) await h.produce('orders', 5, 'b')
  await clock.runUntil(() => commits.at(-1) === (fromBeginning ? 5 : 10))
  const stale = partition().leader
  cluster.isolateBroker(stale)
  await clock.advance(cluster.config.brokerSessionTimeoutMs + 1000)
  expect(partition().leader).not.toBe(stale)
  // The first of these may also land on the isolated broker (its acks=all times out there); the rest do not.
  await h.produce('orders', 5, 'c')
  await h.produce('orders', 10, 'e')
  const target = fromBeginning ? 20 : 25
  await clock.runUntil(() => commits.at(-1) === target)
  const seenBefore = member.received.length
  // From now on only the isolated broker answers Metadata: it names itself leader in the old epoch.
  const onlyStale = cluster.transport.hooks.add({ api: 'Metadata', when: (_r, _from, brokerId) => brokerId !== stale, action: { type: 'drop' } })
  await clock.advance(180_000)
  onlyStale.remove()
  cluster.heal()
  await h.produce('orders', 5, 'd')
  await clock.runUntil(() => commits.at(-1) === target + 5)
  // Committed offsets only move forward, nothing below the committed offset comes again, nothing is skipped.
  expect(commits.every((c, i) => i === 0 || c >= commits[i - 1]!)).toBe(true)
  const later = member.received.slice(seenBefore).map((r) => r.offset)
  expect(later.every((offset) => offset >= target)).toBe(true)
  expect(new Set(later)).toEqual(new Set([target, target + 1, target + 2, target + 3, target + 4]))
  await clock.run(member.consumer.disconnect())
}

describe('a consumer and a stale leader (KIP-320)', () => {
  it('never follows an isolated broker\'s older-epoch metadata back to an earlier offset (fromBeginning: true)', async () => {
    await staleLeaderStory(true)
  })

  it('never skips to the latest offset because a stale leader\'s log is shorter (fromBeginning: false)', async () => {
    await staleLeaderStory(false)
  })
})

describe('the leader epoch committed with an offset (KIP-320)', () => {
  it('is the epoch of the last record consumed, not a newer one the metadata learnt after a leader change', async () => {
    const h = harness({ brokers: 3, defaultReplicationFactor: 3 })
    const { clock, cluster } = h
    await h.createTopic('orders', 1)
    await clock.advance(1)
    const partition = () => brokerSideOf(cluster).controller.topics.get('orders')!.partitions[0]!
    await h.produce('orders', 5, 'a')
    const firstEpoch = partition().leaderEpoch
    // What each OffsetCommit carries, read off the wire (the hook never matches).
    const sent: Array<{ offset: number; epoch: number | undefined }> = []
    cluster.transport.hooks.add({
      api: 'OffsetCommit',
      when: (request) => {
        const commit = request as { topics: Array<{ partitions: Array<{ offset: number; committedLeaderEpoch?: number }> }> }
        for (const t of commit.topics) for (const p of t.partitions) sent.push({ offset: p.offset, epoch: p.committedLeaderEpoch })
        return false
      },
      action: { type: 'drop' },
    })
    const member = await h.start({ groupId: 'g', topics: ['orders'], fromBeginning: true, run: { autoCommit: false } })
    await clock.runUntil(() => member.received.length === 5)
    // The leader moves and the consumer learns it (its next fetch fails over), but reads nothing new.
    cluster.crashBroker(partition().leader)
    await clock.advance(2000)
    expect(partition().leaderEpoch).toBeGreaterThan(firstEpoch)
    await clock.run(member.consumer.commitOffsets([{ topic: 'orders', partition: 0, offset: '5' }]))
    expect(sent).toEqual([{ offset: 5, epoch: firstEpoch }])
    await clock.run(member.consumer.disconnect())
  })
})

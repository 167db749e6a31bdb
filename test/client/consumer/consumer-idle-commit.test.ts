/**
 * Issue 8, defect 5: offsets a cooperative member resolves while its rebalance is in flight are held back (the
 * generation is in flux); once the rebalance is over they must be committed even if no record ever arrives again,
 * as auto-commit runs on its interval whether or not records arrive (Java's `auto.commit.interval.ms`, checked on
 * every poll), and `stop()` commits what was processed.
 */
import { describe, expect, it } from 'vitest'
import { PartitionAssigners } from '../../../src/client/assigners/index.js'
import { harness } from './harness.js'

async function memberInFlight(autoCommitInterval: number | null, maxWaitTimeInMs?: number) {
  const h = harness()
  await h.createTopic('t', 1)
  await h.produce('t', 10)
  const assigners = [PartitionAssigners.cooperativeSticky]
  let rebalancing = false
  let resolvedDuringRebalance = 0
  const a = await h.start({
    groupId: 'g',
    topics: ['t'],
    clientId: 'a',
    partitionAssigners: assigners,
    heartbeatInterval: 200,
    maxWaitTimeInMs,
    run: { autoCommitInterval },
    onMessage: async () => {
      await h.clock.sleep(100)
      if (rebalancing) resolvedDuringRebalance++
    },
    setup: (c) => c.on(c.events.REBALANCING, () => (rebalancing = true)),
  })
  await h.clock.runUntil(() => a.received.length === 3)
  // a's SyncGroup of the coming rebalance is answered only after 5 s: its batch ends while the rebalance is in flight.
  h.cluster.transport.hooks.add({ api: 'SyncGroup', from: 'client', when: (_r, from) => from.kind === 'client' && from.clientId === 'a', action: { type: 'delay', ms: 5_000 }, times: 1 })
  const b = await h.start({ groupId: 'g', topics: ['t'], clientId: 'b', partitionAssigners: assigners })
  await h.clock.runUntil(() => a.received.length === 10)
  return { h, a, b, resolvedDuringRebalance: () => resolvedDuringRebalance }
}

describe('consumer: offsets processed during a cooperative rebalance', () => {
  for (const interval of [null, 1_000]) {
    it(`are committed after it without any new record (autoCommitInterval ${interval})`, async () => {
      const { h, a, b, resolvedDuringRebalance } = await memberInFlight(interval)
      expect(resolvedDuringRebalance()).toBeGreaterThan(0)
      await h.clock.advance(180_000)
      expect(a.group.assignment.t).toEqual([0])
      expect((await h.committed('g', 't')).get(0)).toBe(10)
      await h.clock.run(Promise.all([a.consumer.disconnect(), b.consumer.disconnect()]))
    })
  }

  it('are committed as the rebalance ends, not only after the next empty fetch', async () => {
    // An empty fetch waits 10 s: a commit within 0.5 s of the rebalance's end is the rebalance's own.
    const { h, a, b, resolvedDuringRebalance } = await memberInFlight(null, 10_000)
    expect(resolvedDuringRebalance()).toBeGreaterThan(0)
    await h.clock.runUntil(() => a.group.joins === 2)
    await h.clock.advance(500)
    expect((await h.committed('g', 't')).get(0)).toBe(10)
    await h.clock.run(Promise.all([a.consumer.disconnect(), b.consumer.disconnect()]))
  })

  it('are committed by stop() when it comes before the next commit', async () => {
    const { h, a, b } = await memberInFlight(60_000)
    await h.clock.run(a.consumer.stop())
    expect((await h.committed('g', 't')).get(0)).toBe(10)
    await h.clock.run(b.consumer.disconnect())
  })
})

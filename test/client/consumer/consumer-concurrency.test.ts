import { describe, expect, it } from 'vitest'
import { harness, type Received } from './harness.js'

describe('consumer: concurrency and heartbeats', () => {
  it('partitionsConsumedConcurrently processes partitions in parallel, each still in offset order', async () => {
    const h = harness()
    await h.createTopic('t', 3)
    const producer = h.producer()
    await h.clock.run(producer.connect())
    await h.clock.run(producer.send({ topic: 't', messages: [0, 1, 2].flatMap((p) => [0, 1, 2, 3].map((i) => ({ partition: p, value: `${p}-${i}` }))) }))
    let inFlight = 0
    let maxInFlight = 0
    const m = await h.start({
      groupId: 'g',
      topics: ['t'],
      run: { partitionsConsumedConcurrently: 3 },
      onMessage: async () => {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        await h.clock.sleep(100)
        inFlight--
      },
    })
    const started = h.clock.now()
    await h.clock.runUntil(() => m.received.length === 12)
    expect(maxInFlight).toBe(3)
    // 4 messages per partition at 100 ms each, the three partitions side by side.
    expect(h.clock.now() - started).toBeLessThan(1_000)
    for (const p of [0, 1, 2]) {
      expect(m.received.filter((r: Received) => r.partition === p).map((r) => r.offset)).toEqual([0, 1, 2, 3])
    }
    await h.clock.run(m.consumer.disconnect())
  })

  it('with the default concurrency of 1, one message at a time', async () => {
    const h = harness()
    await h.createTopic('t', 2)
    await h.produce('t', 10)
    let inFlight = 0
    let maxInFlight = 0
    const m = await h.start({
      groupId: 'g',
      topics: ['t'],
      onMessage: async () => {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        await h.clock.sleep(10)
        inFlight--
      },
    })
    await h.clock.runUntil(() => m.received.length === 10)
    expect(maxInFlight).toBe(1)
    await h.clock.run(m.consumer.disconnect())
  })

  for (const heartbeats of [true, false]) {
    it(`a slow handler ${heartbeats ? "that calls the payload's heartbeat() keeps" : 'that never heartbeats loses'} its membership past the session timeout`, async () => {
      const h = harness()
      await h.createTopic('t', 2)
      const slow = h.consumer({ groupId: 'g', sessionTimeout: 10_000, heartbeatInterval: 1_000 }, 'slow')
      const joins: unknown[] = []
      slow.on(slow.events.GROUP_JOIN, (e) => joins.push(e.payload.memberAssignment))
      let done = 0
      await h.clock.run(slow.connect())
      await h.clock.run(slow.subscribe({ topic: 't', fromBeginning: true }))
      await h.clock.run(
        slow.run({
          eachMessage: async ({ heartbeat }) => {
            // 30 s of work, with a heartbeat every 2 s or none.
            for (let i = 0; i < 15; i++) {
              await h.clock.sleep(2_000)
              if (heartbeats) await heartbeat()
            }
            done++
          },
        }),
      )
      await h.produce('t', 2)
      await h.clock.runUntil(() => done >= 2 && joins.length >= (heartbeats ? 1 : 2), { maxMs: 120_000 })
      await h.clock.advance(20_000)
      // Evicted after its session timeout, the silent member rejoins as a new member.
      if (heartbeats) expect(joins).toHaveLength(1)
      else expect(joins.length).toBeGreaterThanOrEqual(2)
      await h.clock.run(slow.disconnect())
    })
  }
})

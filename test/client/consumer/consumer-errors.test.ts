import { describe, expect, it } from 'vitest'
import { harness } from './harness.js'

describe('consumer: errors in eachMessage', () => {
  it('retries the failed message with the retrier, then crashes (CRASH) and does not restart when restartOnFailure says no', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 5)
    const attempts: number[] = []
    const crashes: Array<{ error: Error; groupId: string; restart: boolean }> = []
    const m = await h.start({
      groupId: 'g',
      topics: ['t'],
      retry: { retries: 2, initialRetryTime: 100, restartOnFailure: async () => false },
      onMessage: (r) => {
        if (r.offset === 3) {
          attempts.push(h.clock.now())
          throw new Error('cannot handle 3')
        }
      },
      setup: (c) => c.on(c.events.CRASH, (e) => crashes.push(e.payload)),
    })
    await h.clock.runUntil(() => crashes.length === 1)
    // First attempt and two retries, with backoff between them.
    expect(attempts).toHaveLength(3)
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(80)
    expect(crashes[0]).toMatchObject({ groupId: 'g', restart: false })
    expect(crashes[0]!.error.name).toBe('KafkaJSNumberOfRetriesExceeded')
    // What was processed before the failure is committed; the failed message is not.
    expect((await h.committed('g', 't')).get(0)).toBe(3)
    expect(m.received.map((r) => r.offset)).toEqual([0, 1, 2])
    await h.clock.advance(60_000)
    expect(attempts).toHaveLength(3)
    // The crashed consumer left its group.
    expect((await h.clock.run(m.consumer.describeGroup())).state).toBe('Empty')
  })

  it('restarts after a crash by default and goes on from the committed offset', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 5)
    let failures = 0
    const crashes: Array<{ restart: boolean }> = []
    const joins: number[] = []
    const m = await h.start({
      groupId: 'g',
      topics: ['t'],
      retry: { retries: 1, initialRetryTime: 100 },
      onMessage: (r) => {
        if (r.offset === 2 && failures < 2) {
          failures++
          throw new Error('flaky')
        }
      },
      setup: (c) => {
        c.on(c.events.CRASH, (e) => crashes.push(e.payload))
        c.on(c.events.GROUP_JOIN, (e) => joins.push(e.timestamp))
      },
    })
    await h.clock.runUntil(() => m.received.length === 5)
    expect(crashes).toEqual([expect.objectContaining({ restart: true })])
    expect(joins).toHaveLength(2)
    expect(m.received.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4])
    await h.clock.run(m.consumer.disconnect())
  })

  it('a non-retriable error (TypeError) crashes at once without restart', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 1)
    const crashes: Array<{ error: Error; restart: boolean }> = []
    let calls = 0
    await h.start({
      groupId: 'g',
      topics: ['t'],
      onMessage: () => {
        calls++
        throw new TypeError('bug')
      },
      setup: (c) => c.on(c.events.CRASH, (e) => crashes.push(e.payload)),
    })
    await h.clock.runUntil(() => crashes.length === 1)
    expect(calls).toBe(1)
    expect(crashes[0]!.restart).toBe(false)
    expect(crashes[0]!.error.name).toBe('KafkaJSNonRetriableError')
  })

  it('eachBatch errors are retried the same way', async () => {
    const h = harness()
    await h.createTopic('t', 1)
    await h.produce('t', 2)
    let calls = 0
    const crashes: unknown[] = []
    const consumer = h.consumer({ groupId: 'g', retry: { retries: 3, initialRetryTime: 50, restartOnFailure: async () => false } })
    consumer.on(consumer.events.CRASH, (e) => crashes.push(e.payload))
    await h.clock.run(consumer.connect())
    await h.clock.run(consumer.subscribe({ topic: 't', fromBeginning: true }))
    await h.clock.run(
      consumer.run({
        eachBatch: async () => {
          calls++
          throw new Error('batch failed')
        },
      }),
    )
    await h.clock.runUntil(() => crashes.length === 1)
    expect(calls).toBe(4)
  })
})

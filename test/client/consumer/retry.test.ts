import { describe, expect, it } from 'vitest'
import { AttemptTimeoutError } from '../../../src/client/dead-letter/attempt-timeout.js'
import { harness } from './harness.js'
import { recordingHandler, startConsumer, type Attempt } from './retry-support.js'

describe('consumer: run({ retry }) blocking retries', () => {
  it('retries a failing message with exponential backoff on the clock, then goes on; the offset is committed after the success', async () => {
    const h = harness()
    await h.createTopic('orders', 1)
    await h.produce('orders', 3)
    const attempts: Attempt[] = []
    const consumer = await startConsumer(h, {
      groupId: 'g',
      topics: ['orders'],
      run: {
        retry: { attempts: 3, initialBackoffMs: 100, maxBackoffMs: 5000 },
        eachMessage: recordingHandler(h, attempts, (_payload, attempt) => {
          if (attempt.offset === 1 && attempts.filter((a) => a.offset === 1).length < 3) throw new Error('not yet')
        }),
      },
    })
    await h.clock.runUntil(() => attempts.some((a) => a.offset === 2))
    const ofOne = attempts.filter((a) => a.offset === 1).map((a) => a.at)
    expect(ofOne).toHaveLength(3)
    // Jitter is ±20% around 100 ms, then 200 ms.
    expect(ofOne[1]! - ofOne[0]!).toBeGreaterThanOrEqual(80)
    expect(ofOne[1]! - ofOne[0]!).toBeLessThanOrEqual(120)
    expect(ofOne[2]! - ofOne[1]!).toBeGreaterThanOrEqual(160)
    expect(ofOne[2]! - ofOne[1]!).toBeLessThanOrEqual(240)
    expect(attempts.map((a) => a.offset)).toEqual([0, 1, 1, 1, 2])
    await h.clock.advance(100)
    expect((await h.committed('g', 'orders')).get(0)).toBe(3)
    await h.clock.run(consumer.disconnect())
  })

  it('the same seed gives the same backoff schedule', async () => {
    const schedule = async (): Promise<number[]> => {
      const h = harness({ seed: 7 })
      await h.createTopic('orders', 1)
      await h.produce('orders', 1)
      const attempts: Attempt[] = []
      const consumer = await startConsumer(h, {
        groupId: 'g',
        topics: ['orders'],
        run: {
          retry: { attempts: 4, initialBackoffMs: 1000, maxBackoffMs: 60_000 },
          eachMessage: recordingHandler(h, attempts, () => {
            if (attempts.length < 4) throw new Error('not yet')
          }),
        },
      })
      await h.clock.runUntil(() => attempts.length === 4)
      await h.clock.run(consumer.disconnect())
      return attempts.map((a) => a.at - attempts[0]!.at)
    }
    expect(await schedule()).toEqual(await schedule())
  })

  it('an attempt that outlives timeoutMs aborts its signal and counts as failed, even though it settles later', async () => {
    const h = harness()
    await h.createTopic('orders', 1)
    await h.produce('orders', 1)
    const attempts: Attempt[] = []
    const signals: AbortSignal[] = []
    let lateSettled = false
    const consumer = await startConsumer(h, {
      groupId: 'g',
      topics: ['orders'],
      run: {
        retry: { attempts: 3, initialBackoffMs: 100, maxBackoffMs: 100, timeoutMs: 1000 },
        eachMessage: recordingHandler(h, attempts, async ({ signal }) => {
          signals.push(signal)
          // The first attempt takes 3 s and then succeeds: too late, it already failed.
          if (attempts.length === 1) {
            await h.clock.sleep(3000)
            lateSettled = true
          }
        }),
      },
    })
    await h.clock.runUntil(() => attempts.length === 2)
    expect(signals[0]!.aborted).toBe(true)
    expect(signals[0]!.reason).toBeInstanceOf(AttemptTimeoutError)
    // The timeout, then a backoff of 100 ms jittered down by up to 20% (never above maxBackoffMs).
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1080)
    expect(attempts[1]!.at - attempts[0]!.at).toBeLessThanOrEqual(1100)
    expect(lateSettled).toBe(false)
    await h.clock.advance(5000)
    expect(lateSettled).toBe(true)
    expect(signals[1]!.aborted).toBe(false)
    expect(attempts).toHaveLength(2)
    expect((await h.committed('g', 'orders')).get(0)).toBe(1)
    await h.clock.run(consumer.disconnect())
  })

  it('without timeoutMs (or without any policy) the signal never aborts', async () => {
    const h = harness()
    await h.createTopic('orders', 1)
    await h.produce('orders', 1)
    const signals: AbortSignal[] = []
    const consumer = await startConsumer(h, {
      groupId: 'g',
      topics: ['orders'],
      run: { eachMessage: async ({ signal }) => void signals.push(signal) },
    })
    await h.clock.runUntil(() => signals.length === 1)
    await h.clock.advance(60_000)
    expect(signals[0]!.aborted).toBe(false)
    await h.clock.run(consumer.disconnect())
  })

  it('heartbeats during a backoff longer than the session timeout, so the member keeps its partitions', async () => {
    const h = harness()
    await h.createTopic('orders', 1)
    await h.produce('orders', 1)
    const attempts: Attempt[] = []
    let joins = 0
    const consumer = await startConsumer(h, {
      groupId: 'g',
      topics: ['orders'],
      config: { sessionTimeout: 6000, heartbeatInterval: 1000 },
      setup: (c) => c.on(c.events.GROUP_JOIN, () => void joins++),
      run: {
        retry: { attempts: 2, initialBackoffMs: 30_000, maxBackoffMs: 30_000 },
        eachMessage: recordingHandler(h, attempts, () => {
          if (attempts.length === 1) throw new Error('once')
        }),
      },
    })
    await h.clock.runUntil(() => attempts.length === 2, { maxMs: 60_000 })
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(24_000)
    expect(joins).toBe(1)
    await h.clock.advance(100)
    expect((await h.committed('g', 'orders')).get(0)).toBe(1)
    await h.clock.run(consumer.disconnect())
  })

  it('stopping during a backoff does not wait for it, and leaves the message uncommitted for the next run', async () => {
    const h = harness()
    await h.createTopic('orders', 1)
    await h.produce('orders', 2)
    const attempts: Attempt[] = []
    const consumer = await startConsumer(h, {
      groupId: 'g',
      topics: ['orders'],
      run: {
        retry: { attempts: 5, initialBackoffMs: 60_000, maxBackoffMs: 60_000 },
        eachMessage: recordingHandler(h, attempts, (_p, attempt) => {
          if (attempt.offset === 1) throw new Error('failing')
        }),
      },
    })
    await h.clock.runUntil(() => attempts.length === 2)
    const before = h.clock.now()
    await h.clock.run(consumer.disconnect())
    expect(h.clock.now() - before).toBeLessThan(1000)
    expect(attempts).toHaveLength(2)
    expect((await h.committed('g', 'orders')).get(0)).toBe(1)
  })

  it('with retry and no dead-letter topic, a message whose attempts run out goes to KafkaJS: retried as a batch, then the consumer crashes; it is never skipped', async () => {
    const h = harness()
    await h.createTopic('orders', 1)
    await h.produce('orders', 3)
    const attempts: Attempt[] = []
    const crashes: Array<{ error: Error; restart: boolean }> = []
    const consumer = await startConsumer(h, {
      groupId: 'g',
      topics: ['orders'],
      config: { retry: { retries: 1, initialRetryTime: 100 } },
      setup: (c) => c.on(c.events.CRASH, (e) => void crashes.push(e.payload)),
      run: {
        retry: { attempts: 2, initialBackoffMs: 10, maxBackoffMs: 10 },
        eachMessage: recordingHandler(h, attempts, (_p, attempt) => {
          if (attempt.offset === 1) throw new Error('always')
        }),
      },
    })
    await h.clock.runUntil(() => crashes.length === 1)
    // Two deliveries (the first and the retrier's one retry), two attempts each.
    expect(attempts.filter((a) => a.offset === 1)).toHaveLength(4)
    expect(attempts.some((a) => a.offset === 2)).toBe(false)
    expect(crashes[0]!.error.name).toBe('KafkaJSNumberOfRetriesExceeded')
    expect((await h.committed('g', 'orders')).get(0)).toBe(1)
    await h.clock.run(consumer.disconnect())
  })
})

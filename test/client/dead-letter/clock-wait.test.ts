import { describe, expect, it } from 'vitest'
import { waitOnClock } from '../../../src/client/dead-letter/clock-wait.js'
import { VirtualClock } from '../../../src/time/virtual-clock.js'

describe('waiting on the cluster clock inside a handler', () => {
  it('waits the full time, heartbeating between slices', async () => {
    const clock = new VirtualClock()
    const beats: number[] = []
    const start = clock.now()
    const heartbeat = async () => {
      beats.push(clock.now() - start)
    }
    await clock.run(waitOnClock(clock, 10_000, { signal: new AbortController().signal, heartbeat, heartbeatEveryMs: 3_000 }))
    expect(clock.now() - start).toBe(10_000)
    expect(beats).toEqual([3_000, 6_000, 9_000])
    await clock.run(waitOnClock(clock, -5, { signal: new AbortController().signal, heartbeat, heartbeatEveryMs: 3_000 }))
    expect(clock.now() - start).toBe(10_000)
  })

  it('ends early with the reason when the signal aborts, leaving no timer behind', async () => {
    const clock = new VirtualClock()
    const stop = new AbortController()
    const waiting = waitOnClock(clock, 60_000, { signal: stop.signal, heartbeat: async () => {}, heartbeatEveryMs: 3_000 })
    await clock.advance(4_000)
    stop.abort(new Error('stopping'))
    await expect(waiting).rejects.toThrow('stopping')
    expect(clock.pendingTimers()).toBe(0)
  })

  it('ends when a heartbeat fails, e.g. because the group is rebalancing', async () => {
    const clock = new VirtualClock()
    const waiting = waitOnClock(clock, 10_000, { signal: new AbortController().signal, heartbeat: () => Promise.reject(new Error('REBALANCE_IN_PROGRESS')), heartbeatEveryMs: 1_000 })
    await expect(clock.run(waiting)).rejects.toThrow('REBALANCE_IN_PROGRESS')
  })
})

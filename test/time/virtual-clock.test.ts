import { describe, expect, it } from 'vitest'
import { VirtualClock, VirtualTimeoutError } from '../../src/time/virtual-clock.js'

describe('VirtualClock', () => {
  it('does not move until advanced, then fires timers in due order', async () => {
    const clock = new VirtualClock(1000)
    const fired: string[] = []
    clock.setTimeout(() => fired.push('b@30'), 30)
    clock.setTimeout(() => fired.push('a@10'), 10)
    clock.setTimeout(() => fired.push('c@30'), 30)
    expect(clock.now()).toBe(1000)
    await clock.advance(20)
    expect(fired).toEqual(['a@10'])
    expect(clock.now()).toBe(1020)
    await clock.advance(10)
    expect(fired).toEqual(['a@10', 'b@30', 'c@30'])
  })

  it('sees the time of each timer while it fires, and runs promise chains between timers', async () => {
    const clock = new VirtualClock(0)
    const seen: number[] = []
    const chain = async () => {
      await clock.sleep(5)
      seen.push(clock.now())
      await clock.sleep(5)
      seen.push(clock.now())
    }
    void chain()
    await clock.advance(100)
    expect(seen).toEqual([5, 10])
    expect(clock.now()).toBe(100)
  })

  it('cancelled timers never fire', async () => {
    const clock = new VirtualClock(0)
    let fired = false
    const handle = clock.setTimeout(() => (fired = true), 10)
    clock.clearTimeout(handle)
    await clock.advance(50)
    expect(fired).toBe(false)
    expect(clock.pendingTimers()).toBe(0)
  })

  it('runUntil advances timer by timer until the condition holds', async () => {
    const clock = new VirtualClock(0)
    let count = 0
    const tick = () => {
      count++
      clock.setTimeout(tick, 1000)
    }
    clock.setTimeout(tick, 1000)
    await clock.runUntil(() => count === 30)
    expect(clock.now()).toBe(30_000)
  })

  it('runUntil rejects after maxMs of virtual time', async () => {
    const clock = new VirtualClock(0)
    await expect(clock.runUntil(() => false, { maxMs: 5000 })).rejects.toBeInstanceOf(VirtualTimeoutError)
    expect(clock.now()).toBe(5000)
  })

  it('run() drives time until a promise settles and returns its value', async () => {
    const clock = new VirtualClock(0)
    const value = await clock.run(clock.sleep(30_000).then(() => 'done'))
    expect(value).toBe('done')
    expect(clock.now()).toBe(30_000)
  })

  it('runAll fires every timer within maxMs and reports how far time moved', async () => {
    const clock = new VirtualClock(0)
    clock.setTimeout(() => undefined, 10)
    clock.setTimeout(() => undefined, 70)
    expect(await clock.runAll()).toBe(70)
    expect(clock.pendingTimers()).toBe(0)
  })

  it('rejects a negative advance', async () => {
    await expect(new VirtualClock().advance(-1)).rejects.toBeInstanceOf(RangeError)
  })
})

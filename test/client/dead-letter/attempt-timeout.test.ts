import { describe, expect, it } from 'vitest'
import { AttemptTimeoutError, runAttempt } from '../../../src/client/dead-letter/attempt-timeout.js'
import { VirtualClock } from '../../../src/time/virtual-clock.js'

describe('one time-bounded attempt', () => {
  it('settles with the handler outcome', async () => {
    const clock = new VirtualClock()
    await expect(runAttempt(() => 5, { clock })).resolves.toBe(5)
    await expect(runAttempt(async () => { throw new Error('no') }, { clock, timeoutMs: 10 })).rejects.toThrow('no')
    await expect(runAttempt(() => { throw new Error('sync') }, { clock })).rejects.toThrow('sync')
    expect(clock.pendingTimers()).toBe(0)
  })

  it('fails after timeoutMs of clock time and aborts the signal, even if the handler settles later', async () => {
    const clock = new VirtualClock()
    let signal: AbortSignal | undefined
    const attempt = runAttempt(async (s) => {
      signal = s
      await clock.sleep(500)
      return 'late'
    }, { clock, timeoutMs: 200 })
    const start = clock.now()
    await expect(clock.run(attempt)).rejects.toBeInstanceOf(AttemptTimeoutError)
    expect(clock.now() - start).toBe(200)
    expect(signal?.aborted).toBe(true)
    expect(signal?.reason).toBeInstanceOf(AttemptTimeoutError)
    await clock.advance(500)
  })

  it('fails with the outer reason when the outer signal aborts', async () => {
    const clock = new VirtualClock()
    const outer = new AbortController()
    const attempt = runAttempt((s) => new Promise((_, reject) => s.addEventListener('abort', () => reject(new Error('ignored')))), { clock, signal: outer.signal })
    outer.abort(new Error('stopping'))
    await expect(attempt).rejects.toThrow('stopping')
    await expect(runAttempt(() => 1, { clock, signal: outer.signal })).rejects.toThrow('stopping')
  })
})

/** ChangeSignal: each notify calls the listeners subscribed when it starts, once each, whatever they do meanwhile. */
import { describe, expect, it } from 'vitest'
import { ChangeSignal } from '../../src/broker/change-signal.js'

describe('ChangeSignal', () => {
  it('calls listeners in subscription order until they unsubscribe', () => {
    const signal = new ChangeSignal()
    const calls: string[] = []
    const stopA = signal.subscribe(() => calls.push('a'))
    signal.subscribe(() => calls.push('b'))
    signal.notify()
    stopA()
    stopA()
    signal.notify()
    expect(calls).toEqual(['a', 'b', 'b'])
    expect(signal.size).toBe(1)
  })

  it('a listener subscribed during a notify is called from the next one on', () => {
    const signal = new ChangeSignal()
    const calls: string[] = []
    signal.subscribe(() => {
      calls.push('a')
      if (calls.length === 1) signal.subscribe(() => calls.push('late'))
    })
    signal.notify()
    expect(calls).toEqual(['a'])
    signal.notify()
    expect(calls).toEqual(['a', 'a', 'late'])
  })

  it('a listener unsubscribed during a notify by an earlier one is still called in that notify, not after', () => {
    const signal = new ChangeSignal()
    const calls: string[] = []
    let stopB = (): void => undefined
    signal.subscribe(() => {
      calls.push('a')
      stopB()
    })
    stopB = signal.subscribe(() => calls.push('b'))
    signal.notify()
    signal.notify()
    expect(calls).toEqual(['a', 'b', 'a'])
  })

  it('a notify from inside a listener reaches every listener, and the outer one carries on', () => {
    const signal = new ChangeSignal()
    const calls: string[] = []
    signal.subscribe(() => {
      calls.push('a')
      if (calls.length === 1) signal.notify()
    })
    const listener = (): void => void calls.push('b')
    signal.listen(listener)
    signal.notify()
    expect(calls).toEqual(['a', 'a', 'b', 'b'])
    signal.unlisten(listener)
    signal.notify()
    expect(calls).toEqual(['a', 'a', 'b', 'b', 'a'])
  })
})

import { describe, expect, it } from 'vitest'
import { SubscriptionState } from '../../../src/client/consumer/subscription-state.js'

describe('SubscriptionState', () => {
  it('pauses and resumes partitions and whole topics, as KafkaJS', () => {
    const s = new SubscriptionState()
    s.assign([
      { topic: 'a', partitions: [2, 0, 1] },
      { topic: 'b', partitions: [0] },
    ])
    expect(s.assigned()).toEqual([
      { topic: 'a', partitions: [0, 1, 2] },
      { topic: 'b', partitions: [0] },
    ])
    s.pause([{ topic: 'a', partitions: [1] }])
    expect(s.paused()).toEqual([{ topic: 'a', partitions: [1] }])
    expect(s.active()).toEqual([
      { topic: 'a', partitions: [0, 2] },
      { topic: 'b', partitions: [0] },
    ])
    s.pause([{ topic: 'b' }])
    expect(s.isPaused('b', 0)).toBe(true)
    // A whole-topic pause covers partitions assigned later.
    s.assign([{ topic: 'b', partitions: [0, 1] }])
    expect(s.paused()).toEqual([{ topic: 'b', partitions: [0, 1] }])
    s.resume([{ topic: 'b', partitions: [1] }])
    expect(s.paused()).toEqual([{ topic: 'b', partitions: [0] }])
    s.resume([{ topic: 'b' }])
    expect(s.paused()).toEqual([])
    expect(s.isAssigned('a', 1)).toBe(false)
  })
})

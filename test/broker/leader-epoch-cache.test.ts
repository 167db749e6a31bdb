import { describe, expect, it } from 'vitest'
import { LeaderEpochCache } from '../../src/broker/leader-epoch-cache.js'

describe('LeaderEpochCache (KIP-101, KIP-279)', () => {
  it('answers where an epoch ends: the start of the next epoch, or the log end for the latest', () => {
    const cache = new LeaderEpochCache()
    cache.assign(0, 0)
    cache.assign(2, 5)
    cache.assign(4, 9)
    expect(cache.endOffsetFor(0, 12)).toEqual({ epoch: 0, endOffset: 5 })
    expect(cache.endOffsetFor(1, 12)).toEqual({ epoch: 0, endOffset: 5 })
    expect(cache.endOffsetFor(3, 12)).toEqual({ epoch: 2, endOffset: 9 })
    expect(cache.endOffsetFor(4, 12)).toEqual({ epoch: 4, endOffset: 12 })
    expect(cache.endOffsetFor(7, 12)).toEqual({ epoch: 4, endOffset: 12 })
  })

  it('is undefined for an epoch before every entry', () => {
    const cache = new LeaderEpochCache()
    cache.assign(3, 0)
    expect(cache.endOffsetFor(2, 4)).toEqual({ epoch: -1, endOffset: -1 })
  })

  it('replaces entries of a replaced suffix, as Kafka does', () => {
    const cache = new LeaderEpochCache()
    cache.assign(0, 0)
    cache.assign(5, 10)
    cache.assign(3, 10)
    expect(cache.all()).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 3, startOffset: 10 },
    ])
    cache.truncateFromEnd(10)
    expect(cache.latestEpoch()).toBe(0)
  })
})

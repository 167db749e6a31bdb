import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { exponentialBackoffWithJitter } from '../../../src/client/dead-letter/backoff.js'
import { SeededRandom } from '../../../src/time/seeded-random.js'

describe('exponential backoff with jitter', () => {
  it('every wait lies within ±factor of the capped exponential value and never above the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer(),
        (attempt, initialBackoffMs, extra, seed) => {
          const maxBackoffMs = initialBackoffMs + extra
          const wait = exponentialBackoffWithJitter(attempt, { initialBackoffMs, maxBackoffMs }, new SeededRandom(seed))
          const base = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (attempt - 1))
          expect(wait).toBeGreaterThanOrEqual(Math.floor(base * 0.8))
          expect(wait).toBeLessThanOrEqual(Math.min(maxBackoffMs, Math.ceil(base * 1.2)))
        },
      ),
    )
  })

  it('replays from the seed', () => {
    const waits = (seed: number) => {
      const random = new SeededRandom(seed)
      return [1, 2, 3, 4].map((n) => exponentialBackoffWithJitter(n, { initialBackoffMs: 100, maxBackoffMs: 5000 }, random))
    }
    expect(waits(7)).toEqual(waits(7))
  })

  it('grows with the multiplier, without jitter when factor is 0', () => {
    const random = new SeededRandom(1)
    const waits = [1, 2, 3, 4, 5].map((n) => exponentialBackoffWithJitter(n, { initialBackoffMs: 100, maxBackoffMs: 1000, multiplier: 3, factor: 0 }, random))
    expect(waits).toEqual([100, 300, 900, 1000, 1000])
  })

  it('rejects an attempt number below 1', () => {
    expect(() => exponentialBackoffWithJitter(0, { initialBackoffMs: 1, maxBackoffMs: 1 }, new SeededRandom(1))).toThrow(RangeError)
  })
})

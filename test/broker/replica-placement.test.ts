import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { placeReplicas } from '../../src/broker/replica-placement.js'
import { SeededRandom } from '../../src/time/index.js'

describe('replica placement', () => {
  it('never places two replicas of a partition on one broker, and spreads leaders evenly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 30 }), fc.integer(), (brokers, partitions, seed) => {
        const rf = 1 + (Math.abs(seed) % brokers)
        const placed = placeReplicas(Array.from({ length: brokers }, (_, i) => i), partitions, rf, new SeededRandom(seed))
        expect(placed).toHaveLength(partitions)
        for (const replicas of placed) {
          expect(replicas).toHaveLength(rf)
          expect(new Set(replicas).size).toBe(rf)
        }
        const counts = Array.from({ length: brokers }, (_, id) => placed.filter((r) => r[0] === id).length)
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1)
      }),
      { numRuns: 200 },
    )
  })

  it('is reproducible from the seed', () => {
    expect(placeReplicas([0, 1, 2], 6, 3, new SeededRandom(3))).toEqual(placeReplicas([0, 1, 2], 6, 3, new SeededRandom(3)))
  })
})

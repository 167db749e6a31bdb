import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SeededRandom } from '../../src/time/seeded-random.js'

describe('SeededRandom', () => {
  it('the same seed gives the same sequence', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = new SeededRandom(seed)
        const b = new SeededRandom(seed)
        for (let i = 0; i < 20; i++) expect(a.next()).toBe(b.next())
      }),
    )
  })

  it('next() stays in [0, 1) and int(n) in [0, n)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 1000 }), (seed, bound) => {
        const r = new SeededRandom(seed)
        for (let i = 0; i < 50; i++) {
          const x = r.next()
          expect(x >= 0 && x < 1).toBe(true)
          const n = r.int(bound)
          expect(Number.isInteger(n) && n >= 0 && n < bound).toBe(true)
        }
      }),
    )
  })

  it('forks are reproducible and hex has the asked length', () => {
    expect(new SeededRandom(7).fork().next()).toBe(new SeededRandom(7).fork().next())
    expect(new SeededRandom(7).hex(12)).toMatch(/^[0-9a-f]{12}$/)
  })
})

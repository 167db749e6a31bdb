/**
 * The fetch session's dirty partitions are an array with holes, not a Set, for speed (issue 11). This checks, against a
 * plain Set as the model, that they behave as the Set did: the partitions visited, and their order, under random
 * marking, cleaning, forgetting, and marks made during a visit (a visit cleans what it answered; a replica's change
 * dirties a partition meanwhile).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FetchSession, type SessionPartition } from '../../src/broker/fetch-session.js'

const PARTITIONS = 6

type Step =
  | { readonly kind: 'upsert' | 'dirty' | 'clean' | 'forget'; readonly partition: number }
  | { readonly kind: 'visit'; readonly during: ReadonlyArray<{ readonly clean: boolean; readonly dirty: number | null }> }

const partition = fc.integer({ min: 0, max: PARTITIONS - 1 })
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('upsert' as const, 'dirty' as const, 'clean' as const, 'forget' as const), partition }),
  fc.record({
    kind: fc.constant('visit' as const),
    during: fc.array(fc.record({ clean: fc.boolean(), dirty: fc.option(partition) }), { maxLength: 12 }),
  }),
)

describe('a fetch session dirty list behaves as the Set it replaced', () => {
  it('visits the same partitions in the same order as a Set under the same marks', () => {
    let visitsWithMarksDuring = 0
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const session = new FetchSession(1, null)
        const model = new Set<number>()
        const entries = new Map<number, SessionPartition>()
        const dirtyIn = (p: number): void => {
          const entry = entries.get(p)
          if (entry === undefined) return
          session.markDirty(entry)
          // A Set keeps the place of a member added again; a removed one goes last.
          model.add(p)
        }
        for (const s of steps) {
          if (s.kind === 'visit') {
            // The same marks during the visit of each, applied to both in the same order.
            const actual: number[] = []
            let i = 0
            session.forEachDirty((entry) => {
              actual.push(entry.partition)
              const mark = s.during[i++]
              if (mark === undefined) return
              if (mark.clean) session.markClean(entry)
              if (mark.dirty !== null) {
                const other = entries.get(mark.dirty)
                if (other !== undefined) session.markDirty(other)
              }
            })
            const expected: number[] = []
            let j = 0
            for (const p of model) {
              expected.push(p)
              const mark = s.during[j++]
              if (mark === undefined) continue
              if (mark.clean) model.delete(p)
              if (mark.dirty !== null && entries.has(mark.dirty)) model.add(mark.dirty)
            }
            if (s.during.some((mark) => mark.dirty !== null || mark.clean) && expected.length > 0) visitsWithMarksDuring++
            expect(actual).toEqual(expected)
          } else if (s.kind === 'upsert') {
            entries.set(s.partition, session.upsert('t', s.partition, 0, 1, -1))
            model.add(s.partition)
          } else if (s.kind === 'dirty') dirtyIn(s.partition)
          else if (s.kind === 'clean') {
            const entry = entries.get(s.partition)
            if (entry !== undefined) session.markClean(entry)
            model.delete(s.partition)
          } else if (s.kind === 'forget') {
            session.forget('t', s.partition)
            entries.delete(s.partition)
            model.delete(s.partition)
          }
          expect(entries.size === 0 || [...entries.values()].every((e) => session.isDirty(e) === model.has(e.partition))).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
    // The window that matters: visits that clean and dirty while they walk the list.
    expect(visitsWithMarksDuring).toBeGreaterThan(100)
  })
})

/**
 * The fetch session's sort by seq (numbers packed in one double, sorted natively) against a plain stable comparator
 * sort as the model, on both of its paths: seqs that fit the packing, and seqs too large for it.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inSeqOrder, sortBySeq } from '../../src/broker/seq-order.js'

interface Entry {
  readonly seq: number
  readonly id: number
}

const modelSort = (entries: readonly Entry[]): Entry[] => [...entries].sort((a, b) => a.seq - b.seq)
const isSorted = (entries: readonly Entry[]): boolean => entries.every((e, i) => i === 0 || entries[i - 1]!.seq <= e.seq)

describe('sortBySeq', () => {
  it('orders as a stable comparator sort does, for small and for too-large seqs', () => {
    let packed = 0
    let fallback = 0
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.nat({ max: 50 }), fc.nat(), fc.integer({ min: 2 ** 32, max: Number.MAX_SAFE_INTEGER })), { maxLength: 40 }),
        (seqs) => {
          const entries = seqs.map((seq, id) => ({ seq, id }))
          const sorted = [...entries]
          sortBySeq(sorted)
          expect(sorted).toEqual(modelSort(entries))
          expect(inSeqOrder(sorted)).toBe(true)
          if (seqs.length > 1 && seqs.every((s) => s < 2 ** 32)) packed++
          if (seqs.some((s) => s >= 2 ** 32)) fallback++
        },
      ),
      { numRuns: 300 },
    )
    // Both paths were reached, not only one.
    expect(packed).toBeGreaterThan(20)
    expect(fallback).toBeGreaterThan(20)
  })

  it('inSeqOrder says whether a list is already sorted', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 20 }), { maxLength: 12 }), (seqs) => {
        const entries = seqs.map((seq, id) => ({ seq, id }))
        expect(inSeqOrder(entries)).toBe(isSorted(entries))
      }),
    )
  })
})

/**
 * docs/tour.md quotes the demo: every marked excerpt must be what the demo prints for the tour's run.
 * When this fails, the demo changed: run `npm run tour` and reread the prose around the excerpts that moved.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { rewriteTour, tourReport } from '../../examples/order-workflow/tour-excerpts.js'

const tour = readFileSync(new URL('../../docs/tour.md', import.meta.url), 'utf8')

describe('docs/tour.md', () => {
  it('quotes exactly what the demo prints (run `npm run tour` after changing the demo)', async () => {
    const report = await tourReport()
    expect(rewriteTour(tour, report), 'docs/tour.md has drifted from the demo: run `npm run tour`').toBe(tour)
  })

  it('marks every quoted block of demo output', () => {
    const unmarked = tour.split('\n').filter((line, i, lines) => line === '```' && !lines[i - 1]!.startsWith('<!-- demo:') && isOpening(lines, i))
    expect(unmarked).toEqual([])
  })

  it('spells out ISR, high watermark, log end offset and leader epoch in the paragraph where each first appears', () => {
    const terms = [
      { term: /\bISR\b/i, defined: /\(ISR: |\*\*ISR\*\* \(in-sync replicas\) is / },
      { term: /high watermark/i, defined: /\*\*high watermark\*\*[^.]* is / },
      { term: /log end offset/i, defined: /\*\*log end offset\*\*[^.]* is / },
      { term: /\bepoch\b/i, defined: /\*\*leader epoch\*\* counts / },
    ]
    const undefinedAtFirstUse = terms.filter(({ term, defined }) => !defined.test(paragraphAt(tour, tour.search(term))))
    expect(undefinedAtFirstUse.map(({ term }) => String(term))).toEqual([])
  })

  it('catches a drifted excerpt and a selector that matches nothing', () => {
    const report = ['header', '   +1.000s  order       order-0001 -> p0', '   more', '', 'table', '  a', '']
    const drifted = '<!-- demo: /order-0001/+1 ; "" ; /^table/.. -->\n```\n   +9.000s  order       order-0001 -> p0\n```'
    expect(rewriteTour(drifted, report)).toBe('<!-- demo: /order-0001/+1 ; "" ; /^table/.. -->\n```\n   +1.000s  order       order-0001 -> p0\n   more\n\ntable\n  a\n```')
    expect(() => rewriteTour('<!-- demo: /order-9999/ -->\n```\n```', report)).toThrow(/no line of the demo matches/)
  })
})

/** Whether the bare fence at `i` opens a block (bare fences alternate with their closing ones; language fences are not demo output). */
function isOpening(lines: readonly string[], i: number): boolean {
  let open = false
  for (let j = 0; j < i; j++) if (lines[j]!.startsWith('```')) open = !open
  return !open
}

/** The paragraph (text between blank lines) holding index `i`; empty when `i` is -1 (the term never appears). */
function paragraphAt(text: string, i: number): string {
  if (i < 0) return ''
  const start = text.lastIndexOf('\n\n', i)
  const end = text.indexOf('\n\n', i)
  return text.slice(start < 0 ? 0 : start, end < 0 ? text.length : end)
}

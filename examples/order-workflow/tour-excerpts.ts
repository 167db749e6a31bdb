/**
 * docs/tour.md quotes the demo's output. Each quoted block is preceded by a marker that says which
 * lines of the report it shows, so the quotes are regenerated from a real run (`npm run tour`) and a
 * test fails when they drift:
 *
 *   <!-- demo: /regex/ ; /regex/+2 ; /regex/.. ; "literal" -->
 *
 * `/re/` is the first report line matching, `+N` adds the N lines after it, `..` adds the lines up to
 * the next blank one, and a quoted literal stands for itself (an ellipsis, a blank line).
 */
import { renderDemoReport } from './demo-report.js'
import { runScenario } from './scenario.js'
import { checkInvariants } from './summary.js'

/** The run the tour describes: the demo's defaults. */
export const TOUR_RUN = { orders: 40, seed: 12, faults: true } as const

const MARKER = /^<!-- demo: (.*) -->$/

/** The demo's report for the tour's run, as lines; the wall time (the one thing a run does not repeat) is left out. */
export async function tourReport(): Promise<string[]> {
  const result = await runScenario({ ...TOUR_RUN })
  const text = renderDemoReport(result, checkInvariants(result), { quiet: false, verbose: false, wallSeconds: '…' }).join('\n')
  return text.split('\n')
}

/** `markdown` with every marked block rewritten from `report`. Throws when a marker selects nothing. */
export function rewriteTour(markdown: string, report: readonly string[]): string {
  const lines = markdown.split('\n')
  const out: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]!)
    out.push(lines[i]!)
    if (marker === null) continue
    if (lines[i + 1] !== '```') throw new Error(`docs/tour.md line ${i + 1}: a demo marker must be followed by a \`\`\` block`)
    const close = lines.indexOf('```', i + 2)
    out.push('```', ...select(marker[1]!, report, i + 1), '```')
    i = close
  }
  return out.join('\n')
}

function select(spec: string, report: readonly string[], line: number): string[] {
  return spec.split(' ; ').flatMap((item) => {
    const literal = /^"(.*)"$/.exec(item)
    if (literal !== null) return [literal[1]!]
    const pattern = /^\/(.*)\/(\+\d+|\.\.)?$/.exec(item)
    if (pattern === null) throw new Error(`docs/tour.md line ${line}: cannot read the demo selector ${item}`)
    const regex = new RegExp(pattern[1]!)
    const at = report.findIndex((l) => regex.test(l))
    if (at < 0) throw new Error(`docs/tour.md line ${line}: no line of the demo matches ${item}`)
    let end = at + 1
    if (pattern[2] === '..') while (end < report.length && report[end] !== '') end++
    else if (pattern[2] !== undefined) end = at + 1 + Number(pattern[2].slice(1))
    return report.slice(at, end)
  })
}

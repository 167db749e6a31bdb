/** `npm run tour`: rewrites the demo excerpts of docs/tour.md from a run of the demo (see examples/order-workflow/tour-excerpts.ts). */
import { readFileSync, writeFileSync } from 'node:fs'
import { rewriteTour, tourReport } from '../examples/order-workflow/tour-excerpts.js'

const path = new URL('../docs/tour.md', import.meta.url)
const before = readFileSync(path, 'utf8')
const after = rewriteTour(before, await tourReport())
writeFileSync(path, after)
console.log(before === after ? 'docs/tour.md: already up to date' : 'docs/tour.md: excerpts rewritten from the demo')

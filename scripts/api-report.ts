/** Writes `api/<entry>.api.md` anew from the entry points' public surface (see test/architecture/api-report.ts). */
import { mkdirSync, writeFileSync } from 'node:fs'
import { apiReports } from '../test/architecture/api-report.js'

mkdirSync(new URL('../api/', import.meta.url), { recursive: true })
for (const [name, text] of Object.entries(apiReports())) {
  writeFileSync(new URL(`../api/${name}.api.md`, import.meta.url), text)
  console.log(`api/${name}.api.md: ${text.split('\n').length} lines`)
}

/**
 * The checked-in API reports (`api/*.api.md`) match the public surface of the entry points. When this
 * fails, run `npm run api-report` and review the diff of `api/`: it is the change users will see.
 */
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { apiReports, ENTRY_POINTS } from './api-report.js'

describe('the API report', () => {
  let reports: Record<keyof typeof ENTRY_POINTS, string>
  // Seconds of TypeScript: in a hook, not at collection, so that vitest counts them in this file's duration and, from
  // the second run on, starts it among the long files instead of last, alone on one core at the suite's end.
  beforeAll(() => {
    reports = apiReports()
  }, 60_000)

  for (const name of Object.keys(ENTRY_POINTS) as Array<keyof typeof ENTRY_POINTS>) {
    it(`api/${name}.api.md is up to date`, () => {
      const checkedIn = readFileSync(new URL(`../../api/${name}.api.md`, import.meta.url), 'utf8')
      expect(reports[name], 'the public surface changed: run `npm run api-report` and review the diff of api/').toBe(checkedIn)
    })
  }
})

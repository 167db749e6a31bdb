/**
 * The checked-in API reports (`api/*.api.md`) match the public surface of the entry points. When this
 * fails, run `npm run api-report` and review the diff of `api/`: it is the change users will see.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { apiReports } from './api-report.js'

describe('the API report', () => {
  const reports = apiReports()
  for (const [name, text] of Object.entries(reports)) {
    it(`api/${name}.api.md is up to date`, () => {
      const checkedIn = readFileSync(new URL(`../../api/${name}.api.md`, import.meta.url), 'utf8')
      expect(text, 'the public surface changed: run `npm run api-report` and review the diff of api/').toBe(checkedIn)
    })
  }
})

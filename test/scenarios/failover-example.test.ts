/** The teaching example of leader failover runs to its end and reports no loss. */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

describe('examples/failover', () => {
  it('crashes the leader, fails over to an in-sync replica, and loses no acknowledged record', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'examples/failover/main.ts'], { cwd: root, encoding: 'utf8' })
    expect(output).toMatch(/broker \d, the leader of payments-0, crashes/)
    expect(output).toMatch(/found the new leader \(broker \d\) through Metadata and kept writing: 10 acknowledged/)
    expect(output).toMatch(/isr \[0,1,2\], hw 10/)
    expect(output).toContain('no acknowledged record was lost')
  })
})

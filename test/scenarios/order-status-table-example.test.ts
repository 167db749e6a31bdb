/** The compacted-topic example runs to its end: the table read back after cleaning is each order's latest status. */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

describe('examples/order-status-table', () => {
  it('reads a compacted topic back as a table: latest status per order, gaps after cleaning, the tombstoned order gone', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'examples/order-status-table/main.ts'], { cwd: root, encoding: 'utf8' })
    expect(output).toContain('a change without a key is refused: KafkaJSProtocolError INVALID_RECORD')
    expect(output).toMatch(/reader-before read offsets \[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10\]/)
    expect(output).toMatch(/reader-cleaned read offsets \[7, 8, 9, 10\]/)
    expect(output).toMatch(/reader-later read offsets \[7, 9, 10\]/)
    expect(output).toMatch(/after delete.retention.ms: order-3=paid, order-1=delivered, order-4=created/)
    expect(output).toContain('the log still spans offsets 0..10')
  })
})

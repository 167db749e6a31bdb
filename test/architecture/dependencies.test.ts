/**
 * Every runtime dependency in package.json is loaded by some module of `src/` (a static value import or a
 * dynamic `import()`; a type-only import loads nothing): a declared dependency that nothing imports is
 * installed by every user for nothing, and a sign that code hand-writes what the dependency does
 * (issue 9: p-queue was declared while the consumer kept its own queue).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = new URL('../../', import.meta.url)
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { dependencies: Record<string, string> }
const src = fileURLToPath(new URL('src', root))
const sources = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({ file, text: readFileSync(join(src, file), 'utf8') }))

/** The `src/` files that load `name` at run time. */
function loadersOf(name: string): string[] {
  const quoted = `['"]${name.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}['"]`
  const valueImport = new RegExp(`^import (?!type )[^;]*?from ${quoted}`, 'm')
  const dynamicImport = new RegExp(`import\\(${quoted}\\)`)
  return sources.filter(({ text }) => valueImport.test(text) || dynamicImport.test(text)).map(({ file }) => file)
}

describe('package.json dependencies', () => {
  it('each is loaded by src/ at run time', () => {
    const unused = Object.keys(manifest.dependencies).filter((name) => loadersOf(name).length === 0)
    expect(unused, 'declared in package.json "dependencies" but never imported by src/: use it or remove it').toEqual([])
  })

  it("the consumer's bounded concurrency (partitionsConsumedConcurrently) is p-queue's", () => {
    expect(loadersOf('p-queue')).toEqual(['client/consumer/fetch-manager.ts'])
  })
})

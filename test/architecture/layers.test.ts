/**
 * The layer rules of docs/architecture.md, checked on the real import graph of `src/`, and the
 * checker itself checked on small graphs that break each rule (a test that cannot fail proves nothing).
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { importCycles, layerViolations, parseLayers, readImportGraph, unownedModules, type ImportGraph } from './import-graph.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const layers = parseLayers(readFileSync(`${root}docs/architecture.md`, 'utf8'))
// The package's own names (`kafkalite`, `kafkalite/testing`, ...) resolve as tsconfig's `paths` say: the test kit
// imports the library through them, and those imports are edges like any other.
const paths = (JSON.parse(readFileSync(`${root}tsconfig.json`, 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths
const graph = readImportGraph(`${root}src`, Object.fromEntries(Object.entries(paths).map(([name, [path]]) => [name, resolve(root, path!)])))

describe('the layers of src/', () => {
  it('declares the layers from the bottom up, each importing only layers below it', () => {
    const names = layers.map((layer) => layer.name)
    expect(names).toContain('time')
    for (const [position, layer] of layers.entries()) {
      for (const allowed of layer.mayImport) expect(names.indexOf(allowed), `${layer.name} may import ${allowed}`).toBeLessThan(position)
    }
  })

  it('gives every module a layer', () => {
    expect(unownedModules(graph, layers)).toEqual([])
  })

  it('has no import that runs up or across the layers', () => {
    expect(layerViolations(graph, layers)).toEqual([])
  })

  it('has no import cycle, type-only imports included', () => {
    expect(importCycles(graph)).toEqual([])
  })
})

describe('the layer checker', () => {
  const small = parseLayers(`<!-- layers:begin -->
| Layer | Paths | May import | What |
| --- | --- | --- | --- |
| \`time\` | \`time/\` | | clocks |
| \`broker\` | \`broker/\` | \`time\` | brokers |
| \`client\` | \`client/\` | \`time\` | clients |
<!-- layers:end -->`)
  const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]))

  it('flags an upward import', () => {
    const upward = graphOf({ 'time/clock.ts': ['broker/broker.ts'], 'broker/broker.ts': [] })
    expect(layerViolations(upward, small)).toEqual(['time/clock.ts → broker/broker.ts (time may not import broker)'])
  })

  it('flags a client reaching into a broker, though both sit above time', () => {
    const across = graphOf({ 'client/producer.ts': ['broker/broker.ts'], 'broker/broker.ts': [] })
    expect(layerViolations(across, small)).toHaveLength(1)
  })

  it('allows a downward import', () => {
    expect(layerViolations(graphOf({ 'broker/broker.ts': ['time/clock.ts'], 'time/clock.ts': [] }), small)).toEqual([])
  })

  it('flags a two-module cycle and a self-import', () => {
    const cyclic = graphOf({ 'broker/a.ts': ['broker/b.ts'], 'broker/b.ts': ['broker/a.ts'], 'time/c.ts': ['time/c.ts'] })
    expect(importCycles(cyclic)).toEqual([['broker/a.ts', 'broker/b.ts'], ['time/c.ts']])
  })

  it('flags a module no layer owns', () => {
    expect(unownedModules(graphOf({ 'wire/server.ts': [] }), small)).toEqual(['wire/server.ts'])
  })

  it('reads type-only imports from source text', () => {
    const cycles = importCycles(readImportGraph(fileURLToPath(new URL('./fixtures/type-cycle', import.meta.url))))
    expect(cycles).toEqual([['a.ts', 'b.ts']])
  })

  it("follows an import by the package's own name to the file it names, and flags it when it runs up", () => {
    const fixture = fileURLToPath(new URL('./fixtures/self-import', import.meta.url))
    const selfImporting = readImportGraph(fixture, { kafkalite: `${fixture}/index.ts` })
    expect(selfImporting.get('time/clock.ts')).toEqual(new Set(['index.ts']))
    const withEntry = parseLayers(`<!-- layers:begin -->
| Layer | Paths | May import | What |
| --- | --- | --- | --- |
| \`time\` | \`time/\` | | clocks |
| \`entry\` | \`index.ts\` | \`time\` | the package |
<!-- layers:end -->`)
    expect(layerViolations(selfImporting, withEntry)).toEqual(['time/clock.ts → index.ts (time may not import entry)'])
  })
})

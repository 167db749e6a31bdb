/**
 * The import graph of `src/` and the two rules the house lives by: imports point only down the
 * layers declared in docs/architecture.md, and no module imports itself back through others (type-only
 * imports included, since a type cycle is a design cycle the compiler merely forgives).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

/** Module path (relative to the source root, with '/') → the modules it imports. */
export type ImportGraph = Map<string, Set<string>>

/** One layer: the path prefixes it owns and the layers it may import from. */
export interface Layer {
  readonly name: string
  readonly paths: readonly string[]
  readonly mayImport: readonly string[]
}

/**
 * Reads every `.ts` file below `root` and resolves its relative imports and re-exports, and the bare specifiers
 * named in `aliases` (specifier → file), such as the package's own name, by which the test kit imports the library.
 */
export function readImportGraph(root: string, aliases: Readonly<Record<string, string>> = {}): ImportGraph {
  const graph: ImportGraph = new Map()
  for (const file of listTypeScript(root)) {
    const from = toModule(root, file)
    const targets = new Set<string>()
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    for (const imported of info.importedFiles) {
      const alias = aliases[imported.fileName]
      if (alias !== undefined) targets.add(toModule(root, alias))
      else if (imported.fileName.startsWith('.')) targets.add(toModule(root, resolveSource(resolve(dirname(file), imported.fileName))))
    }
    graph.set(from, targets)
  }
  return graph
}

/** Parses the layer table between `<!-- layers:begin -->` and `<!-- layers:end -->`. */
export function parseLayers(markdown: string): Layer[] {
  const block = /<!-- layers:begin -->([\s\S]*?)<!-- layers:end -->/.exec(markdown)
  if (block === null) throw new Error('docs/architecture.md has no <!-- layers:begin --> … <!-- layers:end --> table')
  const layers: Layer[] = []
  for (const line of block[1]!.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim())
    if (cells.length < 5 || cells[1] === 'Layer' || /^-+$/.test(cells[1]!)) continue
    const list = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!)
    layers.push({ name: cells[1]!.replace(/`/g, ''), paths: list(cells[2]!), mayImport: list(cells[3]!) })
  }
  return layers
}

/** The layer that owns `module` (longest matching path prefix), or undefined. */
export function layerOf(module: string, layers: readonly Layer[]): Layer | undefined {
  let best: { layer: Layer; length: number } | undefined
  for (const layer of layers) {
    for (const path of layer.paths) {
      const matches = path.endsWith('/') ? module.startsWith(path) : module === path
      if (matches && (best === undefined || path.length > best.length)) best = { layer, length: path.length }
    }
  }
  return best?.layer
}

/** Every import that leaves its layer for one the layer may not use, as `from → to (layer → layer)`. */
export function layerViolations(graph: ImportGraph, layers: readonly Layer[]): string[] {
  const violations: string[] = []
  for (const [from, targets] of graph) {
    const source = layerOf(from, layers)
    for (const to of targets) {
      const target = layerOf(to, layers)
      if (source === undefined || target === undefined || source === target) continue
      if (!source.mayImport.includes(target.name)) violations.push(`${from} → ${to} (${source.name} may not import ${target.name})`)
    }
  }
  return violations
}

/** Modules no layer owns. */
export function unownedModules(graph: ImportGraph, layers: readonly Layer[]): string[] {
  return [...graph.keys()].filter((module) => layerOf(module, layers) === undefined)
}

/** The import cycles: each strongly connected component of more than one module, or a module importing itself. */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>()
  const lowLink = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const cycles: string[][] = []
  let counter = 0
  const visit = (node: string): void => {
    index.set(node, counter)
    lowLink.set(node, counter)
    counter++
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next)
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(next)!))
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, index.get(next)!))
      }
    }
    if (lowLink.get(node) !== index.get(node)) return
    const component: string[] = []
    let member: string
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    if (component.length > 1 || graph.get(node)?.has(node) === true) cycles.push(component.sort())
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node)
  return cycles
}

function listTypeScript(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return listTypeScript(path)
    return name.endsWith('.ts') ? [path] : []
  })
}

/** `./x.js` in source means `./x.ts`; a directory import means its `index.ts`. */
function resolveSource(path: string): string {
  const candidates = [path.replace(/\.js$/, '.ts'), `${path}.ts`, join(path, 'index.ts')]
  return candidates.find((candidate) => exists(candidate)) ?? path
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

function toModule(root: string, file: string): string {
  return relative(root, file).split('\\').join('/')
}

/**
 * The package as a user installs it: `npm pack` of the built `dist/` (which `npm test` builds and a
 * git install builds through the `prepare` script), unpacked into a temporary app's node_modules as
 * `npm install <tarball>` would (offline: the app finds the runtime dependencies through links to
 * this repository's node_modules). Then both entry points are imported in ESM and CommonJS, and the
 * shipped declarations (`kafkalite/testing` with its peer fast-check) are compiled with `skipLibCheck: false` against KafkaJS 2.2.4's own types.
 */
import { execFile, execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const fixtures = join(root, 'test/package/fixtures')
let work: string
let app: string
let packedFiles: string[]
/**
 * The compilation of the shipped declarations, started once the app is set up: one tsc program for the fixtures
 * (tsconfig.json), public-names.mts and its one deliberate error included. Checking the libraries with skipLibCheck
 * off is most of its seconds, so the fixtures share that work instead of each doing it.
 */
let compiled: Promise<Compiled>

interface Compiled {
  readonly status: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs the app's tsc with `args`, resolving (never rejecting) with its exit status and output. */
function compile(args: readonly string[]): Promise<Compiled> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['node_modules/typescript/bin/tsc', ...args], { cwd: app, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr })
    })
  })
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist/index.js')) || !existsSync(join(root, 'dist/kafkajs.d.cts'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test builds before running the tests)')
  }
  work = mkdtempSync(join(tmpdir(), 'kafkalite-pack-'))
  // --ignore-scripts: pack the dist/ just built instead of building again through `prepare`.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' }))
  packedFiles = packed[0].files.map((file: { path: string }) => file.path).sort()

  app = join(work, 'app')
  const installed = join(app, 'node_modules/kafkalite')
  mkdirSync(installed, { recursive: true })
  execFileSync('tar', ['xzf', join(work, packed[0].filename), '-C', installed, '--strip-components=1'])
  // What npm would install beside it: the package's own dependencies as its manifest declares them (a module
  // the build loads but the manifest leaves out fails to import here), and the app's: kafkajs for the
  // type test, fast-check (the kit's optional peer), the compiler.
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  for (const dependency of [...Object.keys(manifest.dependencies), 'kafkajs', 'fast-check', 'typescript', '@types/node']) {
    mkdirSync(join(app, 'node_modules', dependency, '..'), { recursive: true })
    symlinkSync(join(root, 'node_modules', dependency), join(app, 'node_modules', dependency))
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
  cpSync(fixtures, app, { recursive: true })
  compiled = compile(['-p', 'tsconfig.json'])
}, 120_000)

afterAll(async () => {
  // A compilation no test awaited (a filtered run) still reads the app: let it end before the app goes.
  await compiled
  if (work !== undefined) rmSync(work, { recursive: true, force: true })
}, 120_000)

describe('the packed package', () => {
  it('ships the built entry points, LICENSE and the docs the README points at; no source maps, no source', () => {
    expect(packedFiles).toEqual([
      'LICENSE',
      'README.md',
      'dist/cli.js',
      'dist/index.cjs',
      'dist/index.d.cts',
      'dist/index.d.ts',
      'dist/index.js',
      'dist/kafkajs.cjs',
      'dist/kafkajs.d.cts',
      'dist/kafkajs.d.ts',
      'dist/kafkajs.js',
      'dist/testing.cjs',
      'dist/testing.d.cts',
      'dist/testing.d.ts',
      'dist/testing.js',
      'docs/semantics.md',
      'docs/testing-your-service.md',
      'package.json',
    ])
  })

  it('builds dist/ when installed from git (prepare), with a repository and an MIT license', () => {
    const manifest = JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./node_modules/kafkalite/package.json"))'], { cwd: app, encoding: 'utf8' }))
    expect(manifest.scripts.prepare).toMatch(/tsup/)
    expect(manifest.repository.url).toMatch(/^git\+https:/)
    expect(manifest.license).toBe('MIT')
    expect(readdirSync(join(app, 'node_modules/kafkalite'))).toContain('LICENSE')
  })

  for (const script of ['one-copy.mjs', 'one-copy.cjs']) {
    it(`${script}: the entry points share one copy of the library (errors are instanceof across them, the kit hands out the library's Cluster)`, () => {
      const output = execFileSync(process.execPath, [script], { cwd: app, encoding: 'utf8' })
      expect(JSON.parse(output)).toEqual({ sameErrorClass: true, errorIsKafkaliteError: true, sameKafkaBase: true, defaultHasKafka: true, kitSharesLibrary: true })
    })
  }

  for (const script of ['round-trip.mjs', 'round-trip.cjs']) {
    it(`${script}: the README's example produces, consumes in a group and exits by itself`, () => {
      const output = execFileSync(process.execPath, [script], { cwd: app, encoding: 'utf8', timeout: 30_000 })
      expect(JSON.parse(output)).toEqual({ received: 'order-1234=paid' })
    })
  }

  it('declarations compile with skipLibCheck off, and Kafka, Producer, Consumer, Admin are assignable to KafkaJS 2.2.4 types', async () => {
    const tsc = await compiled
    // tsc prints each error as `file(line,col): error ...`: none but public-names.mts's own.
    expect(tsc.stderr).toBe('')
    expect(tsc.stdout.split('\n').filter((line) => line.includes('error') && !line.startsWith('public-names.mts('))).toEqual([])
  }, 120_000)

  it('type errors name the public types, not bundler chunk aliases', async () => {
    const tsc = await compiled
    expect(tsc.status).not.toBe(0)
    expect(tsc.stdout).toContain("public-names.mts(5,14): error TS2322: Type 'number' is not assignable to type 'Producer'")
    expect(tsc.stdout.split('\n').filter((line) => line.includes('error'))).toHaveLength(1)
  }, 120_000)
})

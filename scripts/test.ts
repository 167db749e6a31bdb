/**
 * `npm test`: type-checks the repository (as `npm run typecheck`), builds dist/ (as `npm run build`) and runs the test
 * suite, all at once instead of one after the other. The type-check is the one TypeScript pass over src/: it also
 * writes src/'s declarations (tsconfig.json's `outDir`), which the build only bundles (tsup.config.ts), so the build
 * waits for it; the package tests (vitest project `package`: they install the packed dist/) wait for the build, and the
 * isolated files run beside them. The rest of the suite needs neither step and starts at once, and every step fills the
 * other's gaps on a 2-core machine. A fresh clone (CI) has no incremental build info, so tsc checks everything there.
 *
 * The suite's output streams as it runs; the other steps' output is printed whole after it, so nothing interleaves.
 * Arguments go to both vitest runs (`npm test -- test/wire` runs the matching files). The run fails if any step does.
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
// vitest's command (its package.json "bin"), which its "exports" do not list.
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs')
const filters = process.argv.slice(2)
// A filter may match no file of one of the two runs: that run has nothing to do, it has not failed.
const passWithNoTests = filters.length > 0 ? ['--passWithNoTests'] : []

interface Outcome {
  readonly name: string
  readonly ok: boolean
  readonly seconds: number
  readonly output: string
}

const started = performance.now()

function run(name: string, script: string, args: readonly string[], streamed = false): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', streamed ? 'inherit' : 'pipe', streamed ? 'inherit' : 'pipe'] })
    const output: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk))
    const finish = (ok: boolean, note = ''): void => {
      resolve({ name, ok, seconds: (performance.now() - started) / 1000, output: Buffer.concat(output).toString() + note })
    }
    child.on('error', (error) => finish(false, `${name}: ${error.message}\n`))
    child.on('close', (code) => finish(code === 0, code === 0 ? '' : `${name} failed (exit code ${code})\n`))
  })
}

// Declarations are written even where the check finds an error, so the build runs either way and fails on its own.
// TypeScript 7's compiler (native, package.json's `typescript7`): on a fresh clone 3 s of wall clock and 6 s of CPU where
// TypeScript 5.9's took 13 s and 20 s, with the same errors and the same declarations. `typescript` stays 5.9 for what needs its
// JavaScript API (the API report, the import graph, tsup's bundling of declarations) and for the package's consumer test.
const tsc = join(dirname(require.resolve('typescript7/package.json')), 'bin', 'tsc')
const typecheck = run('typecheck (tsc)', tsc, ['--incremental', '--noEmit', 'false'])
const build = typecheck.then(() => run('build (tsup)', require.resolve('tsup/dist/cli-default.js'), ['--silent']))
const suite = run('tests', vitest, ['run', '--project', 'shared', ...passWithNoTests, ...filters], true)
// The isolated files (vitest.config.ts's ISOLATED: each in a fresh process) run here, beside the package tests, not in
// the suite: there a worker that shares its modules ends where the queue turns to another project's file, and another
// one starts and evaluates src/ again. Apart, the suite keeps its three workers from start to end (2-3 s less CPU).
const packageTests = build.then((built) =>
  built.ok
    ? run('package tests and isolated files', vitest, ['run', '--project', 'package', '--project', 'isolated', ...passWithNoTests, ...filters])
    : { name: 'package tests and isolated files', ok: false, seconds: built.seconds, output: 'not run: the build failed\n' },
)

const outcomes = await Promise.all([suite, typecheck, build, packageTests])
for (const outcome of outcomes.slice(1)) process.stdout.write(outcome.output)
for (const outcome of outcomes) process.stdout.write(`${outcome.ok ? 'ok    ' : 'FAILED'} ${outcome.name} (done at ${outcome.seconds.toFixed(0)} s)\n`)
if (outcomes.some((outcome) => !outcome.ok)) process.exitCode = 1

/**
 * The first step of `npm test`: type-checks the repository (`tsc --noEmit --incremental`, as `npm run typecheck`) and builds dist/ (`tsup`, which the
 * packed-package test installs) side by side. Each spends most of its run on one core, so on a 2-core machine the
 * pair takes about as long as the longer one instead of their sum. Each one's output is printed whole when it ends,
 * so the two never interleave; the step fails if either does.
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

interface Step {
  readonly name: string
  readonly script: string
  readonly args: readonly string[]
}

const STEPS: readonly Step[] = [
  // Incremental: tsconfig.tsbuildinfo (git-ignored) lets a repeated run skip the files that did not change; a fresh
  // clone has none and checks everything, as before.
  { name: 'tsc', script: require.resolve('typescript/bin/tsc'), args: ['--noEmit', '--incremental'] },
  { name: 'tsup', script: require.resolve('tsup/dist/cli-default.js'), args: ['--silent'] },
]

function run(step: Step): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [step.script, ...step.args], { stdio: ['ignore', 'pipe', 'pipe'] })
    const output: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk))
    child.on('error', (error) => {
      process.stderr.write(`${step.name}: ${error.message}\n`)
      resolve(false)
    })
    child.on('close', (code) => {
      process.stdout.write(Buffer.concat(output))
      if (code !== 0) process.stderr.write(`${step.name} failed (exit code ${code})\n`)
      resolve(code === 0)
    })
  })
}

const results = await Promise.all(STEPS.map(run))
if (results.includes(false)) process.exitCode = 1

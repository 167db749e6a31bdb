/**
 * The README's 30-second example, run as a user would (`node` on a script, here through tsx
 * against the sources), on 3 replicated brokers and the system clock: once its clients are
 * disconnected, nothing of the cluster may keep the process alive.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const source = join(root, 'src/index.ts')
const dir = mkdtempSync(join(tmpdir(), 'kafkalite-readme-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The first ```ts block after a README heading. */
function readmeBlock(heading: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf(`## ${heading}`))
  const match = /```ts\n([\s\S]*?)```/.exec(section)
  if (match === null) throw new Error(`no ts block under "## ${heading}" in README.md`)
  return match[1]!
}

/** Runs `code` as an ES module script; resolves with how long the process lived after printing `DONE`. */
function runScript(name: string, code: string, graceMs: number): Promise<{ exitedAfterMs: number | null; stdout: string; stderr: string }> {
  const file = join(dir, name)
  writeFileSync(file, `${code.replaceAll("from 'kafkalite'", `from ${JSON.stringify(source)}`)}\nconsole.log('DONE')\n`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let doneAt: number | undefined
    let watchdog: ReturnType<typeof setTimeout> | undefined
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (doneAt === undefined && stdout.includes('DONE\n')) {
        doneAt = performance.now()
        // The watchdog of this test, not a sleep: a process still alive after the grace time is the failure.
        watchdog = setTimeout(() => {
          child.kill('SIGKILL')
        }, graceMs)
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (_code, signal) => {
      if (watchdog !== undefined) clearTimeout(watchdog)
      resolve({ exitedAfterMs: doneAt === undefined || signal === 'SIGKILL' ? null : performance.now() - doneAt, stdout, stderr })
    })
  })
}

describe('a plain script on a replicated cluster', () => {
  it('the README 30-second example on 3 brokers exits by itself within 2 s of disconnecting its clients', async () => {
    const code = readmeBlock('30 seconds')
    expect(code).toContain('brokers: 3')
    const run = await runScript('readme.mts', code, 2000)
    expect(run.stdout).toContain('order-1234')
    expect(run.exitedAfterMs, `still alive 2 s after its clients disconnected\n${run.stderr}`).not.toBeNull()
  }, 60_000)

  it('exits after cluster.close() while a consumer still runs', async () => {
    const code = `import { Cluster, Kafka, logLevel } from 'kafkalite'
const cluster = new Cluster({ brokers: 3, defaultReplicationFactor: 3 })
const kafka = new Kafka({ clientId: 'shop', cluster, logLevel: logLevel.NOTHING })
const producer = kafka.producer()
await producer.connect()
await producer.send({ topic: 'orders', messages: [{ value: 'x' }] })
const consumer = kafka.consumer({ groupId: 'g' })
await consumer.subscribe({ topics: ['orders'], fromBeginning: true })
await new Promise((consumed) => void consumer.run({ eachMessage: async () => consumed(undefined) }))
await cluster.close()
`
    const run = await runScript('close.mts', code, 2000)
    expect(run.exitedAfterMs, `still alive 2 s after cluster.close()\n${run.stderr}`).not.toBeNull()
  }, 60_000)
})

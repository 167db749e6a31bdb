/**
 * `npm run adversary -- --seeds 10000` (or `--seed N`, `--from N`): runs adversary seeds and prints a one-line
 * summary by anomaly kind with the elapsed time; every failing seed prints its anomalies and the command that
 * replays it. `--seed N` prints the full reports, the scenario and its fault schedule. `--determinism K` reruns
 * every K-th seed and compares the two runs' events. `--patterns` runs the patterns adversary (listeners, retry
 * topics, dead letters, replay) instead of the core one; its seeds are its own. `--jobs J` splits the seeds into J
 * contiguous ranges, each run by a child process (one per core), and prints one summary over all of them.
 */
import { spawn } from 'node:child_process'
import { formatOracleReports, checkSameHistory, type Anomaly, type OracleReport } from '../../src/testing/oracles/index.js'
import { describeScenario, runSeed } from './run-seed.js'
import { WINDOWS } from './network-observer.js'
import { describePatternsScenario, runPatternsSeed } from './patterns-run-seed.js'
import { PATTERNS_WINDOWS } from './patterns-observer.js'

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : Number(process.argv[i + 1])
}

/** What the campaign needs of an adversary. */
interface Driver {
  readonly name: string
  readonly flag: string
  readonly windows: readonly string[]
  run(seed: number): Promise<{ reports: readonly OracleReport[]; anomalies: readonly Anomaly[]; reached: ReadonlySet<string>; events: readonly string[]; description: string }>
}

const core: Driver = {
  name: 'adversary',
  flag: '',
  windows: WINDOWS,
  run: async (seed) => {
    const r = await runSeed(seed)
    return { ...r, description: describeScenario(r.scenario) }
  },
}

const patterns: Driver = {
  name: 'patterns adversary',
  flag: ' --patterns',
  windows: PATTERNS_WINDOWS,
  run: async (seed) => {
    const r = await runPatternsSeed(seed)
    return { ...r, description: describePatternsScenario(r.scenario) }
  },
}

/** What one run over a range of seeds found: a child process hands it to the parent as JSON. */
interface RangeResult {
  readonly failing: number
  readonly byKind: Record<string, number[]>
  readonly reached: Record<string, number[]>
}

const RESULT_PREFIX = 'CAMPAIGN_RANGE_RESULT '

async function runRange(driver: Driver, first: number, count: number, determinismEvery: number, single: boolean): Promise<RangeResult> {
  const byKind: Record<string, number[]> = {}
  const reached: Record<string, number[]> = {}
  let failing = 0
  let running: number | undefined
  // A run that awaits what nothing will settle empties the event loop, and the process would end without a word.
  const hung = (): void => {
    if (running === undefined) return
    console.error(`seed ${running} never finished: its run awaits something nothing will settle (the event loop emptied); replay: npm run adversary --${driver.flag} --seed ${running}`)
    process.exit(3)
  }
  process.on('beforeExit', hung)
  for (let seed = first; seed < first + count; seed++) {
    running = seed
    const result = await driver.run(seed)
    let anomalies = [...result.anomalies]
    if (determinismEvery > 0 && seed % determinismEvery === 0) {
      const again = await driver.run(seed)
      anomalies = anomalies.concat(checkSameHistory(result.events, again.events).anomalies)
    }
    for (const w of result.reached) (reached[w] ??= []).push(seed)
    if (single) {
      console.log(result.description)
      console.log(formatOracleReports(result.reports))
      console.log(`windows reached: ${[...result.reached].join(', ') || 'none'}`)
    }
    if (anomalies.length === 0) continue
    failing++
    const kinds = [...new Set(anomalies.map((a) => a.kind))]
    for (const kind of kinds) (byKind[kind] ??= []).push(seed)
    if (!single) {
      console.log(`seed ${seed}: ${kinds.join(', ')} — ${anomalies[0]!.message}`)
      console.log(`  replay: npm run adversary --${driver.flag} --seed ${seed}`)
    }
  }
  running = undefined
  process.off('beforeExit', hung)
  return { failing, byKind, reached }
}

/** Runs the seeds in `jobs` child processes, one contiguous range each, passing this process's own arguments on. */
async function runInChildren(first: number, count: number, jobs: number): Promise<RangeResult> {
  const size = Math.ceil(count / jobs)
  const ranges = Array.from({ length: jobs }, (_, k) => ({ from: first + k * size, seeds: Math.min(size, count - k * size) })).filter((r) => r.seeds > 0)
  const rangeFlags = ['--jobs', '--from', '--seeds']
  const own = process.argv.slice(2)
  const passOn = own.filter((a, i) => !rangeFlags.includes(a) && !rangeFlags.includes(own[i - 1] ?? ''))
  const results = await Promise.all(
    ranges.map(
      (range) =>
        new Promise<RangeResult>((resolve, reject) => {
          const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...passOn, '--from', String(range.from), '--seeds', String(range.seeds), '--child'], {
            stdio: ['ignore', 'pipe', 'inherit'],
          })
          let result: RangeResult | undefined
          let pending = ''
          child.stdout.setEncoding('utf8')
          child.stdout.on('data', (chunk: string) => {
            pending += chunk
            const lines = pending.split('\n')
            pending = lines.pop()!
            for (const line of lines) {
              if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as RangeResult
              else console.log(line)
            }
          })
          child.on('error', reject)
          child.on('close', (code) => {
            if (result === undefined) reject(new Error(`adversary child for seeds ${range.from}..${range.from + range.seeds - 1} exited with ${code} before reporting`))
            else resolve(result)
          })
        }),
    ),
  )
  const byKind: Record<string, number[]> = {}
  const reached: Record<string, number[]> = {}
  for (const r of results) {
    for (const [kind, seeds] of Object.entries(r.byKind)) (byKind[kind] ??= []).push(...seeds)
    for (const [w, seeds] of Object.entries(r.reached)) (reached[w] ??= []).push(...seeds)
  }
  return { failing: results.reduce((sum, r) => sum + r.failing, 0), byKind, reached }
}

async function main(): Promise<void> {
  const driver = process.argv.includes('--patterns') ? patterns : core
  const single = arg('seed')
  const from = arg('from') ?? 1
  const count = single === undefined ? (arg('seeds') ?? 100) : 1
  const determinismEvery = arg('determinism') ?? 0
  const first = single ?? from
  const jobs = single === undefined ? (arg('jobs') ?? 1) : 1
  const started = performance.now()
  const result = jobs > 1 ? await runInChildren(first, count, jobs) : await runRange(driver, first, count, determinismEvery, single !== undefined)
  if (process.argv.includes('--child')) {
    console.log(RESULT_PREFIX + JSON.stringify(result))
    return
  }
  const { failing, byKind, reached } = result
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const summary = Object.entries(byKind).map(([kind, seeds]) => `${kind}=${seeds.length} (e.g. ${seeds.slice(0, 3).join(',')})`).join(' ')
  // With the first seeds that reach each window: the CI test's window seeds are picked from them.
  const windows = driver.windows.map((w) => `${w}=${reached[w]?.length ?? 0} (${(reached[w] ?? []).slice(0, 3).join(',')})`).join(' ')
  console.log(`${driver.name}: ${count} seeds from ${first}${jobs > 1 ? ` in ${jobs} processes` : ''}, ${failing} with anomalies${summary === '' ? '' : `: ${summary}`}; windows ${windows}; ${seconds} s`)
  process.exitCode = failing === 0 ? 0 : 1
}

await main()

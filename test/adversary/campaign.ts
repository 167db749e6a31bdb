/**
 * `npm run adversary -- --seeds 10000` (or `--seed N`, `--from N`): runs adversary seeds and prints a one-line
 * summary by anomaly kind with the elapsed time; every failing seed prints its anomalies and the command that
 * replays it. `--seed N` prints the full reports, the scenario and its fault schedule. `--determinism K` reruns
 * every K-th seed and compares the two runs' events. `--patterns` runs the patterns adversary (listeners, retry
 * topics, dead letters, replay) instead of the core one; its seeds are its own.
 */
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

async function main(): Promise<void> {
  const driver = process.argv.includes('--patterns') ? patterns : core
  const single = arg('seed')
  const from = arg('from') ?? 1
  const count = single === undefined ? (arg('seeds') ?? 100) : 1
  const determinismEvery = arg('determinism') ?? 0
  const first = single ?? from
  const started = performance.now()
  const byKind = new Map<string, number[]>()
  const reached = new Map<string, number[]>()
  let failing = 0
  for (let seed = first; seed < first + count; seed++) {
    const result = await driver.run(seed)
    let anomalies = [...result.anomalies]
    if (determinismEvery > 0 && seed % determinismEvery === 0) {
      const again = await driver.run(seed)
      anomalies = anomalies.concat(checkSameHistory(result.events, again.events).anomalies)
    }
    for (const w of result.reached) reached.set(w, [...(reached.get(w) ?? []), seed])
    if (single !== undefined) {
      console.log(result.description)
      console.log(formatOracleReports(result.reports))
      console.log(`windows reached: ${[...result.reached].join(', ') || 'none'}`)
    }
    if (anomalies.length === 0) continue
    failing++
    const kinds = [...new Set(anomalies.map((a) => a.kind))]
    for (const kind of kinds) byKind.set(kind, [...(byKind.get(kind) ?? []), seed])
    if (single === undefined) {
      console.log(`seed ${seed}: ${kinds.join(', ')} — ${anomalies[0]!.message}`)
      console.log(`  replay: npm run adversary --${driver.flag} --seed ${seed}`)
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const summary = [...byKind].map(([kind, seeds]) => `${kind}=${seeds.length} (e.g. ${seeds.slice(0, 3).join(',')})`).join(' ')
  // With the first seeds that reach each window: the CI test's window seeds are picked from them.
  const windows = driver.windows.map((w) => `${w}=${reached.get(w)?.length ?? 0} (${(reached.get(w) ?? []).slice(0, 3).join(',')})`).join(' ')
  console.log(`${driver.name}: ${count} seeds from ${first}, ${failing} with anomalies${summary === '' ? '' : `: ${summary}`}; windows ${windows}; ${seconds} s`)
  process.exitCode = failing === 0 ? 0 : 1
}

await main()

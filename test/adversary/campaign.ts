/**
 * `npm run adversary -- --seeds 10000` (or `--seed N`, `--from N`): runs adversary seeds and prints a one-line
 * summary by anomaly kind with the elapsed time; every failing seed prints its anomalies and the command that
 * replays it. `--seed N` prints the full reports, the scenario and its fault schedule. `--determinism K` reruns
 * every K-th seed and compares the two runs' events.
 */
import { formatOracleReports, checkSameHistory } from '../../src/testing/oracles/index.js'
import { describeScenario, runSeed } from './run-seed.js'
import { WINDOWS, type Window } from './network-observer.js'

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : Number(process.argv[i + 1])
}

async function main(): Promise<void> {
  const single = arg('seed')
  const from = arg('from') ?? 1
  const count = single === undefined ? (arg('seeds') ?? 100) : 1
  const determinismEvery = arg('determinism') ?? 0
  const first = single ?? from
  const started = performance.now()
  const byKind = new Map<string, number[]>()
  const reached = new Map<Window, number>()
  let failing = 0
  for (let seed = first; seed < first + count; seed++) {
    const result = await runSeed(seed)
    let anomalies = [...result.anomalies]
    if (determinismEvery > 0 && seed % determinismEvery === 0) {
      const again = await runSeed(seed)
      anomalies = anomalies.concat(checkSameHistory(result.events, again.events).anomalies)
    }
    for (const w of result.reached) reached.set(w, (reached.get(w) ?? 0) + 1)
    if (single !== undefined) {
      console.log(describeScenario(result.scenario))
      console.log(formatOracleReports(result.reports))
      console.log(`windows reached: ${[...result.reached].join(', ') || 'none'}`)
    }
    if (anomalies.length === 0) continue
    failing++
    const kinds = [...new Set(anomalies.map((a) => a.kind))]
    for (const kind of kinds) byKind.set(kind, [...(byKind.get(kind) ?? []), seed])
    if (single === undefined) {
      console.log(`seed ${seed}: ${kinds.join(', ')} — ${anomalies[0]!.message}`)
      console.log(`  replay: npm run adversary -- --seed ${seed}`)
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const summary = [...byKind].map(([kind, seeds]) => `${kind}=${seeds.length} (e.g. ${seeds.slice(0, 3).join(',')})`).join(' ')
  const windows = WINDOWS.map((w) => `${w}=${reached.get(w) ?? 0}`).join(' ')
  console.log(`adversary: ${count} seeds from ${first}, ${failing} with anomalies${summary === '' ? '' : `: ${summary}`}; windows ${windows}; ${seconds} s`)
  process.exitCode = failing === 0 ? 0 : 1
}

await main()

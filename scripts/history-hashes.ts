/**
 * `tsx scripts/history-hashes.ts [from] [to]`: one line per adversary seed with a hash of its event history. Run it
 * on two commits and diff the outputs to show a change is history-neutral (every seed's events identical), as a
 * performance change must be for a running adversary campaign to stay valid for the merged code.
 */
import { createHash } from 'node:crypto'
import { runSeed } from '../test/adversary/run-seed.js'

const from = Number(process.argv[2] ?? 1)
const to = Number(process.argv[3] ?? 150)
for (let seed = from; seed <= to; seed++) {
  const { events, reached, anomalies } = await runSeed(seed)
  const hash = createHash('sha256').update(events.join('\n')).digest('hex').slice(0, 16)
  console.log(`${seed} ${events.length} ${hash} anomalies ${anomalies.length} reached ${[...reached].sort().join(',')}`)
}

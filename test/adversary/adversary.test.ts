/**
 * The whole-system adversary in CI: a slice of seeds, each a random mix of producers, transactions, a consumer
 * group and faults on virtual time, judged by the oracles. Zero anomalies, and a fair share of seeds reaching each
 * window the guarantees are about (a property that cannot reach its window is a finding, not a pass). Longer
 * campaigns: `npm run adversary -- --seeds 10000`.
 */
import { describe, expect, it } from 'vitest'
import { checkSameHistory, formatOracleReports } from '../../src/testing/oracles/index.js'
import { Coverage } from '../support/coverage.js'
import { WINDOWS } from './network-observer.js'
import { describeScenario, runSeed } from './run-seed.js'

const SEEDS = Number(process.env.KAFKALITE_ADVERSARY_SEEDS ?? 20)
const FIRST = Number(process.env.KAFKALITE_ADVERSARY_FROM ?? 1)

/**
 * Seeds that reach each window, found by a campaign over seeds 21–196 (zero anomalies; the rarest windows come up
 * in 1–4 % of seeds, too rarely for a 20-seed slice to reach them all). They keep every window in the CI run: if a
 * change to the driver or the library stops a seed reaching its window, pick new ones from a campaign. Re-checked
 * over seeds 21–129 when a send came to create 5 promises instead of 34 (fewer microtask hops move the schedules):
 * 67 and 148 no longer reach fetchFromStaleLeader (46 and 72 do); the others still reach theirs.
 */
const WINDOW_SEEDS: Readonly<Record<(typeof WINDOWS)[number], readonly number[]>> = {
  leaderChangeWhileSendWaits: [32],
  truncationOnRestart: [67, 148],
  replicationFetchDelayedAcrossRestart: [22, 161],
  droppedResponseToIdempotentSend: [56, 132],
  crashInOpenTransaction: [22],
  rebalanceWithUncommittedProcessed: [32, 148],
  fetchFromStaleLeader: [46, 72],
  // Found later, in 2 of seeds 1-3000: a consumer fetching while its partition's leader, alone below
  // min.insync.replicas, held records above a high watermark that the strict min ISR rule kept from moving.
  fetchWhileHighWatermarkHeld: [203, 2641],
}

/**
 * Seeds on which a campaign found an anomaly, kept once fixed. 1275: two auto-commits in flight at once, the older one
 * held up by a slow coordinator lookup, landed last and moved the committed offset back (commits now go in order).
 * 6314: a new member fetched its committed offset from a stale leader, got OFFSET_OUT_OF_RANGE and reset below the
 * group's commit (committed offsets now carry their leader epoch, KIP-320). 7343: the liveness oracle took a partition
 * that never held a record for one left behind. 4488: the driver's transformers reused producers that a later owner
 * of the partition had fenced, and the fencing error (not retriable) stopped both consumers for good, as KafkaJS does;
 * two inputs were never transformed (`transformer.ts` now closes producers at each join and rejoins when fenced).
 * 33916 (a driver fault): the schedule failed the Metadata of the only member's subscribe, which rejected, and the driver
 * still counted that member live, so recovery started none and nothing read the group's topic (a member whose start
 * fails is now gone). 49086 (a driver fault): the schedule failed the Metadata of both job workers' subscribe, and
 * nothing read the jobs topic, so no job was dead-lettered (the driver now starts a failed job worker again, as a
 * supervisor would, like its transformers). 42330: a partition's ISR shrank to its leader, whose high watermark then
 * passed records no follower held; a consumer read them, and the leader's power cut took them back (the high watermark
 * now holds below min.insync.replicas, as Kafka's since 3.7). Seed 4909 (a driver fault, not the library's) has a test of its own below: a member frozen at
 * 10 ms still committed past a record its handler had been given (a schedule hook matched its OffsetCommit before the
 * freeze's drop), and the driver left that read out of the history, so the history checker saw a lost write. Its
 * schedule has since moved: the test runs seeds that reach the same window ({@link FROZEN_HOLDING_SEEDS}).
 */
const REGRESSION_SEEDS: readonly number[] = [1275, 4488, 6314, 7343, 33916, 42330, 49086]

/**
 * Seeds whose schedule has a hook on OffsetCommit, as seed 4909's, and which freeze a member while its handler holds
 * a record that another member then reads again: the window of seed 4909's test. A single seed did not last: 4909's
 * schedule moved when the transformers came to fence before reading their position (seed 34806), and 109's when they
 * came to connect their admin on first use. These four all reached it then.
 */
const FROZEN_HOLDING_SEEDS: readonly number[] = [40, 105, 120, 214]

/**
 * The first record a member's handler was given before the member froze and finished after (its read noted after
 * the freeze), and that another member read again; null if none. Events are `<time> <text>` lines.
 */
function frozenWhileHolding(events: readonly string[]): string | null {
  const lines = events.map((line) => {
    const space = line.indexOf(' ')
    return { time: Number(line.slice(0, space)), text: line.slice(space + 1) }
  })
  for (const freeze of lines.filter((l) => l.text.startsWith('freeze '))) {
    const member = freeze.text.slice('freeze '.length)
    for (const read of lines) {
      const [kind, reader, record, value] = read.text.split(' ')
      if (kind !== 'deliver' || reader !== member || read.time <= freeze.time) continue
      const again = lines.find((l) => l.time >= read.time && l.text.endsWith(` ${record} ${value}`) && l.text.startsWith('deliver ') && !l.text.startsWith(`deliver ${member} `))
      if (again !== undefined) return `${member} froze holding ${record}, read again by ${again.text.split(' ')[1]}`
    }
  }
  return null
}

describe('whole-system adversary', () => {
  it(`${SEEDS} seeds and the window seeds: no oracle finds an anomaly, and the windows are reached`, async () => {
    const coverage = new Coverage(WINDOWS)
    const failures: string[] = []
    const windowSeeds = [...new Set(Object.values(WINDOW_SEEDS).flat())]
    const extra = [...new Set([...windowSeeds, ...REGRESSION_SEEDS])].filter((seed) => seed < FIRST || seed >= FIRST + SEEDS)
    const seeds = [...Array.from({ length: SEEDS }, (_, i) => FIRST + i), ...extra]
    for (const seed of seeds) {
      const result = await runSeed(seed)
      coverage.record(Object.fromEntries(WINDOWS.map((w) => [w, result.reached.has(w)])))
      if (result.anomalies.length > 0) {
        failures.push(`seed ${seed} (replay: npm run adversary -- --seed ${seed})\n${formatOracleReports(result.reports.filter((r) => r.anomalies.length > 0))}\n${describeScenario(result.scenario)}`)
      }
    }
    console.log(`adversary coverage over ${seeds.length} seeds: ${coverage.toString()}`)
    expect(failures, failures.join('\n\n')).toEqual([])
    expect(coverage.missing(), coverage.toString()).toEqual([])
  }, 600_000)

  it('a frozen member sends nothing, and what its handler was given is recorded (once seed 4909)', async () => {
    const reached: string[] = []
    for (const seed of FROZEN_HOLDING_SEEDS) {
      const { events, anomalies, reports } = await runSeed(seed)
      expect(anomalies, `seed ${seed}\n${formatOracleReports(reports)}`).toEqual([])
      const window = frozenWhileHolding(events)
      if (window !== null) reached.push(`seed ${seed}: ${window}`)
    }
    // The window must come up, or the test checks nothing: pick new seeds if a change moved them all.
    expect(reached.length, `no seed of ${FROZEN_HOLDING_SEEDS.join(', ')} froze a member holding a record`).toBeGreaterThan(0)
  }, 120_000)

  it('the same seed gives the same history', async () => {
    for (const seed of [FIRST, FIRST + 1]) {
      const [a, b] = [await runSeed(seed), await runSeed(seed)]
      const report = checkSameHistory(a.events, b.events)
      expect(report.anomalies, formatOracleReports([report])).toEqual([])
      expect(a.events.length).toBeGreaterThan(20)
    }
  }, 120_000)
})

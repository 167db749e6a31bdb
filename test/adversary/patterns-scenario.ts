/**
 * One patterns-adversary run's plan, drawn from its seed: a service of listener containers (typed topic, blocking
 * retries, retry topics, a dead-letter topic) whose instances crash, restart, scale out and scale in, the records it
 * gets (each with how its handler behaves), the broker faults during processing and during the dead-letter replay.
 * Drawn with fast-check from the seed, so one number replays it; kept apart from the core adversary's scenario so
 * that the core's seeds stay comparable.
 */
import fc from 'fast-check'
import type { ApiName } from '../../src/protocol/api.js'
import { faultSchedule, type FaultSchedule } from '../../src/testing/faults/index.js'

/**
 * How a record's handler behaves. `flaky`: its first `failures` calls throw, then it succeeds; `hang`: its first
 * `failures` calls outlast the attempt timeout; `always`: every call throws a retryable error; `fatal`: a not-retryable
 * error (straight to the dead-letter topic); `poison`: the value is not JSON (it never reaches the handler).
 */
export type RecordPlan =
  | { readonly kind: 'ok' }
  | { readonly kind: 'flaky'; readonly failures: number }
  | { readonly kind: 'hang'; readonly failures: number }
  | { readonly kind: 'always' }
  | { readonly kind: 'fatal' }
  | { readonly kind: 'poison' }

/** Something that happens to the service's instances (each instance is one listener container, one process). */
export type InstanceStep =
  /** Scale out: a new instance starts. */
  | { readonly kind: 'start'; readonly atMs: number }
  /** Scale in: an instance stops gracefully (`container.stop()`). */
  | { readonly kind: 'stop'; readonly atMs: number; readonly index: number }
  /** An instance's process dies: everything it sends from now on is lost; it is replaced after `restartAfterMs`. */
  | { readonly kind: 'crash'; readonly atMs: number; readonly index: number; readonly restartAfterMs: number }

/** Which requests a targeted loss hits: its window would be too rare under the kit's untargeted hooks. */
export type LossTarget = 'mainCommit' | 'retryCommit' | 'forwardedRecord' | 'replayCommit' | 'replayLastCommit' | 'replayProduce'

/** From `atMs` on, the next `times` requests of `target` are lost (`drop`) or lose their answer (`dropResponse`). */
export interface TargetedLoss {
  readonly atMs: number
  readonly target: LossTarget
  readonly action: 'drop' | 'dropResponse'
  readonly times: number
}

export interface PatternsScenario {
  readonly seed: number
  readonly brokers: number
  readonly partitions: number
  /** Records seeded before the service starts. */
  readonly records: readonly RecordPlan[]
  /** Records a producer sends while the faults run. */
  readonly lateRecords: readonly RecordPlan[]
  /** Attempts per delivery (blocking retries), and the backoff between them. */
  readonly attempts: number
  readonly backoffMs: number
  /** Each attempt's timeout (the `hang` records outlast it). */
  readonly timeoutMs: number
  /** Delays of the retry topics (empty: no retry topics); equal delays share one topic. */
  readonly retryDelaysMs: readonly number[]
  /** Instances at the start. */
  readonly instances: number
  readonly instanceSteps: readonly InstanceStep[]
  /** Virtual time each handler call takes. */
  readonly processingMs: number
  readonly sendGapMs: number
  readonly schedule: FaultSchedule
  /**
   * Losses aimed at the commits and the forwarded records, while the service runs; six in a row spend the client's
   * retries (a forward that fails must leave its record uncommitted, to be delivered again).
   */
  readonly losses: readonly TargetedLoss[]
  /** Faults while the dead letters are replayed. */
  readonly replaySchedule: FaultSchedule
  /**
   * Losses aimed at the replay; enough in a row spend the client's retries, and on the commit of a partition's last
   * dead letter (`replayLastCommit`) that is defect 8's window.
   */
  readonly replayLosses: readonly TargetedLoss[]
}

/**
 * Weighted towards what the windows need: the OffsetCommits of the retry groups and the replay, and the Produce
 * requests that forward a record to a retry or dead-letter topic.
 */
const HOOK_APIS: readonly ApiName[] = [
  'OffsetCommit', 'OffsetCommit', 'OffsetCommit', 'OffsetCommit', 'Produce', 'Produce', 'Produce', 'Fetch', 'Fetch',
  'Metadata', 'OffsetFetch', 'FindCoordinator', 'JoinGroup', 'SyncGroup', 'Heartbeat', 'ListOffsets', 'OffsetForLeaderEpoch',
]

function recordPlanArb(budget: number): fc.Arbitrary<RecordPlan> {
  // An eventually-succeeding record fails fewer calls than one chain of deliveries makes, so it must succeed.
  const failures = fc.integer({ min: 1, max: Math.max(1, budget - 1) })
  const arbs: Array<fc.WeightedArbitrary<RecordPlan>> = [
    { weight: 3, arbitrary: fc.constant({ kind: 'ok' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'always' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'fatal' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'poison' as const }) },
  ]
  if (budget > 1) {
    arbs.push({ weight: 3, arbitrary: failures.map((f) => ({ kind: 'flaky' as const, failures: f })) })
    arbs.push({ weight: 1, arbitrary: failures.map((f) => ({ kind: 'hang' as const, failures: f })) })
  }
  return fc.oneof(...arbs)
}

const instanceStepArb: fc.Arbitrary<InstanceStep> = fc.oneof(
  fc.record({ kind: fc.constant('start' as const), atMs: fc.integer({ min: 0, max: 12_000 }) }),
  fc.record({ kind: fc.constant('stop' as const), atMs: fc.integer({ min: 0, max: 12_000 }), index: fc.nat(4) }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('crash' as const),
      atMs: fc.integer({ min: 0, max: 12_000 }),
      index: fc.nat(4),
      restartAfterMs: fc.integer({ min: 0, max: 8000 }),
    }),
  },
)

function lossArb(targets: readonly LossTarget[], maxAtMs: number, maxTimes: number): fc.Arbitrary<TargetedLoss> {
  return fc.record({
    atMs: fc.integer({ min: 0, max: maxAtMs }),
    target: fc.constantFrom(...targets),
    action: fc.constantFrom<TargetedLoss['action']>('dropResponse', 'dropResponse', 'drop'),
    times: fc.integer({ min: 1, max: maxTimes }),
  })
}

function scenarioArb(seed: number): fc.Arbitrary<PatternsScenario> {
  return fc
    .record({
      brokers: fc.integer({ min: 3, max: 5 }),
      attempts: fc.integer({ min: 1, max: 3 }),
      retryDelaysMs: fc.oneof(fc.constant([]), fc.constant([300]), fc.constant([300, 1000]), fc.constant([500, 500])),
    })
    .chain(({ brokers, attempts, retryDelaysMs }) => {
      const budget = attempts * (retryDelaysMs.length + 1)
      const schedule = (steps: number) =>
        faultSchedule({ brokers, steps, minSteps: Math.ceil(steps / 2), survivable: true, maxFailures: 1, maxWaitMs: 2500, apis: HOOK_APIS, weights: { crash: 3, restart: 3, isolate: 1, heal: 1, hook: 4 } })
      return fc.record({
        seed: fc.constant(seed),
        brokers: fc.constant(brokers),
        partitions: fc.integer({ min: 1, max: 3 }),
        records: fc.array(recordPlanArb(budget), { minLength: 3, maxLength: 14 }),
        lateRecords: fc.array(recordPlanArb(budget), { maxLength: 6 }),
        attempts: fc.constant(attempts),
        backoffMs: fc.integer({ min: 20, max: 300 }),
        timeoutMs: fc.constantFrom(400, 1500),
        retryDelaysMs: fc.constant(retryDelaysMs),
        instances: fc.integer({ min: 1, max: 3 }),
        instanceSteps: fc.array(instanceStepArb, { maxLength: 4 }),
        processingMs: fc.integer({ min: 0, max: 200 }),
        sendGapMs: fc.integer({ min: 0, max: 800 }),
        schedule: schedule(14),
        losses: fc.array(lossArb(['mainCommit', 'retryCommit', 'retryCommit', 'forwardedRecord', 'forwardedRecord'], 4000, 8), { maxLength: 3 }),
        replaySchedule: schedule(6),
        replayLosses: fc.array(lossArb(['replayCommit', 'replayLastCommit', 'replayLastCommit', 'replayProduce'], 3000, 8), { maxLength: 2 }),
      })
    })
}

/** The scenario of `seed`: the same seed, the same scenario, always. */
export function patternsScenarioForSeed(seed: number): PatternsScenario {
  return fc.sample(scenarioArb(seed), { seed, numRuns: 1 })[0]!
}

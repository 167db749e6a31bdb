/**
 * `faultSchedule(...)`: a fast-check arbitrary of fault schedules — broker crashes with or without power loss,
 * restarts, isolations, heals and request hooks (delay, fail, drop, dropResponse by API, replication included),
 * interleaved with waits in cluster time. Schedules shrink towards fewer, shorter steps.
 */
import fc from 'fast-check'
import type { ApiName } from 'kafkalite'
import type { FaultKind, FaultSchedule, FaultStep, HookAction } from './fault-step.js'
import { normalizeSchedule } from './survivable.js'

/** Options of {@link faultSchedule}. */
export interface FaultScheduleOptions {
  /** How many brokers the cluster has (ids 0 .. brokers-1). */
  readonly brokers: number
  /** At most this many steps (default 12), waits included. */
  readonly steps?: number
  /** At least this many steps (default 0), so that most schedules do something; a failing schedule shrinks no shorter. */
  readonly minSteps?: number
  /** Which kinds of steps to generate (default: all). */
  readonly kinds?: readonly FaultKind[]
  /**
   * Keep the schedule survivable: never more brokers failed at once than `maxFailures` (default true, with
   * `maxFailures` 1: a replication factor of 3 with `min.insync.replicas` 2 survives it). Crashed and isolated brokers
   * are failed, and so is a broker that lost power until 5 s of waits after its restart (`POWER_LOSS_CATCH_UP_MS`):
   * it has to copy back what it lost. `false` allows any.
   */
  readonly survivable?: boolean
  /** With `survivable`, how many brokers may be failed at once (default 1). */
  readonly maxFailures?: number
  /** Longest wait step, in ms of cluster time (default 3000). */
  readonly maxWaitMs?: number
  /** How often each kind is drawn relative to the others (default: wait 6, crash 2, restart 2, isolate 1, heal 1, hook 3). */
  readonly weights?: Partial<Record<FaultKind, number>>
  /** APIs request hooks pick from (default: the data, group and transaction APIs clients and brokers use). */
  readonly apis?: readonly ApiName[]
  /**
   * Whether a crash may lose the broker's unflushed writes (default true: about half do). `false` keeps every crash
   * a process crash, for a guarantee that holds only while the log survives (say, with unclean election off).
   */
  readonly powerLoss?: boolean
}

/** Options of {@link faultStep}: those of {@link faultSchedule} that shape one step. */
export type FaultStepOptions = Pick<FaultScheduleOptions, 'brokers' | 'kinds' | 'maxWaitMs' | 'weights' | 'apis' | 'powerLoss'>

const DEFAULT_APIS: readonly ApiName[] = [
  'Produce',
  'Fetch',
  'ListOffsets',
  'Metadata',
  'OffsetCommit',
  'OffsetFetch',
  'FindCoordinator',
  'JoinGroup',
  'SyncGroup',
  'Heartbeat',
  'LeaveGroup',
  'InitProducerId',
  'AddPartitionsToTxn',
  'AddOffsetsToTxn',
  'EndTxn',
  'TxnOffsetCommit',
  'WriteTxnMarkers',
  'OffsetForLeaderEpoch',
]

/** APIs brokers send to each other: replication and transaction markers. */
const BROKER_APIS: ReadonlySet<ApiName> = new Set<ApiName>(['Fetch', 'OffsetForLeaderEpoch', 'WriteTxnMarkers'])

/** Retriable errors a `fail` hook answers: what a broker in trouble really says. */
const FAIL_CODES = [6 /* NOT_LEADER_OR_FOLLOWER */, 7 /* REQUEST_TIMED_OUT */, 15 /* COORDINATOR_NOT_AVAILABLE */, 19 /* NOT_ENOUGH_REPLICAS */]

const ALL_KINDS: readonly FaultKind[] = ['wait', 'crash', 'restart', 'isolate', 'heal', 'hook']

function actionArb(maxWaitMs: number): fc.Arbitrary<HookAction> {
  return fc.oneof(
    fc.record({ type: fc.constant('delay' as const), ms: fc.integer({ min: 1, max: maxWaitMs }) }),
    fc.record({ type: fc.constant('fail' as const), errorCode: fc.constantFrom(...FAIL_CODES) }),
    fc.constant({ type: 'drop' as const }),
    fc.constant({ type: 'dropResponse' as const }),
  )
}

type ResolvedStepOptions = Required<Omit<FaultStepOptions, 'weights'>>

function resolveStepOptions(options: FaultStepOptions): ResolvedStepOptions {
  if (!(Number.isInteger(options.brokers) && options.brokers >= 1)) throw new RangeError(`faultSchedule: brokers must be a positive integer, got ${options.brokers}`)
  const resolved = {
    brokers: options.brokers,
    kinds: options.kinds ?? ALL_KINDS,
    maxWaitMs: options.maxWaitMs ?? 3000,
    apis: options.apis ?? DEFAULT_APIS,
    powerLoss: options.powerLoss ?? true,
  }
  if (resolved.kinds.length === 0) throw new RangeError('faultSchedule: kinds must name at least one kind of step')
  return resolved
}

function stepArb(options: ResolvedStepOptions, weighting: Partial<Record<FaultKind, number>>): fc.Arbitrary<FaultStep> {
  const broker = fc.nat(options.brokers - 1)
  const arbs: Record<FaultKind, fc.Arbitrary<FaultStep>> = {
    wait: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: options.maxWaitMs }) }),
    crash: fc.record({ kind: fc.constant('crash' as const), broker, powerLoss: options.powerLoss ? fc.boolean() : fc.constant(false) }),
    restart: fc.record({ kind: fc.constant('restart' as const), broker }),
    isolate: fc.record({ kind: fc.constant('isolate' as const), broker }),
    heal: fc.constant({ kind: 'heal' as const }),
    hook: fc
      .record({
        api: fc.constantFrom(...options.apis),
        fromBroker: fc.boolean(),
        broker: fc.option(broker, { nil: undefined }),
        action: actionArb(options.maxWaitMs),
        times: fc.integer({ min: 1, max: 3 }),
      })
      .map(({ api, fromBroker, broker: to, action, times }) => ({
        kind: 'hook' as const,
        api,
        from: fromBroker && BROKER_APIS.has(api) ? ('broker' as const) : ('client' as const),
        ...(to === undefined ? {} : { broker: to }),
        action,
        times,
      })),
  }
  // Waits weigh as much as all faults together, so faults land at different moments of the workload.
  const weights: Record<FaultKind, number> = { wait: 6, crash: 2, restart: 2, isolate: 1, heal: 1, hook: 3, ...weighting }
  return fc.oneof(...options.kinds.map((kind) => ({ weight: weights[kind], arbitrary: arbs[kind] })))
}

/**
 * An arbitrary of fault schedules for a cluster of `brokers` brokers, to run with `applySchedule`.
 *
 * @example
 * fc.asyncProperty(faultSchedule({ brokers: 3, steps: 10 }), async (schedule) => {
 *   await clock.run(Promise.all([workload(), applySchedule(cluster, schedule)]))
 * })
 */
export function faultSchedule(options: FaultScheduleOptions): fc.Arbitrary<FaultSchedule> {
  const resolved = resolveStepOptions(options)
  const steps = options.steps ?? 12
  const maxFailures = (options.survivable ?? true) ? (options.maxFailures ?? 1) : undefined
  return fc
    .array(stepArb(resolved, options.weights ?? {}), { minLength: Math.min(options.minSteps ?? 0, steps), maxLength: steps })
    .map((steps) => normalizeSchedule({ brokers: resolved.brokers, steps }, maxFailures))
}

/**
 * An arbitrary of single fault steps, the ones {@link faultSchedule} draws from: for a property whose own steps
 * (sends, a reassignment, a consumer that leaves) interleave with faults in one generated sequence. Apply each with
 * `applySchedule(cluster, { brokers, steps: [step] }, { recover: false })`, which skips a step that no longer applies.
 * Unlike a schedule, a sequence of single steps is not kept survivable: the property decides what it allows.
 */
export function faultStep(options: FaultStepOptions): fc.Arbitrary<FaultStep> {
  return stepArb(resolveStepOptions(options), options.weights ?? {})
}

/**
 * One adversary run's plan, drawn from its seed: the cluster's size, the workload (plain, idempotent and
 * transactional producers, a consume-transform-produce pipeline, a consumer group under one of the three assignors
 * whose members join, leave and freeze) and the fault schedule. Drawn with fast-check from the seed, so one
 * number replays it and the arbitraries are the kit's own.
 */
import fc from 'fast-check'
import type { ApiName } from '../../src/protocol/api.js'
import { faultSchedule, type FaultSchedule } from '../../src/testing/faults/index.js'

export type AssignorName = 'range' | 'roundRobin' | 'cooperativeSticky'

/** Something that happens to the consumer group, at a moment of the run. */
export type MemberStep =
  | { readonly kind: 'join'; readonly atMs: number }
  | { readonly kind: 'leave'; readonly atMs: number; readonly index: number }
  /** A member goes silent: every request it sends is dropped (a frozen process); the group must notice. */
  | { readonly kind: 'freeze'; readonly atMs: number; readonly index: number }

export interface Scenario {
  readonly seed: number
  readonly brokers: number
  readonly partitions: number
  readonly plainRecords: number
  readonly idempotentRecords: number
  /** Each transaction's record count and whether the producer commits (true) or aborts it. */
  readonly transactions: ReadonlyArray<{ readonly records: number; readonly commit: boolean }>
  /** Inputs of the consume-transform-produce pipeline (0: no pipeline). */
  readonly transformInputs: number
  /** Jobs of the retry and dead-letter workload (0: none). */
  readonly jobs: number
  readonly assignor: AssignorName
  readonly members: number
  readonly memberSteps: readonly MemberStep[]
  /** Virtual time each delivery's handler takes. */
  readonly processingMs: number
  readonly autoCommitInterval: number
  /** Members start after this long, so that they find a backlog and process batches of several records. */
  readonly memberStartDelayMs: number
  /** One follower whose replication fetches are slowed, so that acks=all sends wait and leaders get ahead. */
  readonly slowReplication: { readonly follower: number; readonly ms: number } | null
  /** The sends' `timeout`: how long a leader waits for the ISR before REQUEST_TIMED_OUT (after appending). */
  readonly ackTimeoutMs: number
  /** Pause between one producer's sends. */
  readonly sendGapMs: number
  readonly schedule: FaultSchedule
}

/** APIs the schedule's hooks pick from, weighted towards the ones the windows need (Produce, replication Fetch). */
const HOOK_APIS: readonly ApiName[] = [
  'Produce', 'Produce', 'Produce', 'Fetch', 'Fetch', 'Fetch', 'Fetch', 'OffsetForLeaderEpoch', 'ListOffsets', 'Metadata',
  'OffsetCommit', 'OffsetCommit', 'OffsetFetch', 'FindCoordinator', 'JoinGroup', 'SyncGroup', 'Heartbeat', 'LeaveGroup',
  'InitProducerId', 'AddPartitionsToTxn', 'AddOffsetsToTxn', 'EndTxn', 'TxnOffsetCommit', 'WriteTxnMarkers',
]

const memberStepArb: fc.Arbitrary<MemberStep> = fc.oneof(
  fc.record({ kind: fc.constant('join' as const), atMs: fc.integer({ min: 0, max: 15_000 }) }),
  fc.record({ kind: fc.constant('leave' as const), atMs: fc.integer({ min: 0, max: 15_000 }), index: fc.nat(4) }),
  fc.record({ kind: fc.constant('freeze' as const), atMs: fc.integer({ min: 0, max: 15_000 }), index: fc.nat(4) }),
)

function scenarioArb(seed: number): fc.Arbitrary<Scenario> {
  return fc.integer({ min: 3, max: 5 }).chain((brokers) =>
    fc.record({
      seed: fc.constant(seed),
      brokers: fc.constant(brokers),
      partitions: fc.integer({ min: 1, max: 3 }),
      plainRecords: fc.integer({ min: 5, max: 25 }),
      idempotentRecords: fc.integer({ min: 5, max: 25 }),
      transactions: fc.array(fc.record({ records: fc.integer({ min: 1, max: 3 }), commit: fc.boolean() }), { maxLength: 5 }),
      transformInputs: fc.oneof(fc.constant(0), fc.integer({ min: 3, max: 12 })),
      jobs: fc.oneof(fc.constant(0), fc.integer({ min: 3, max: 12 })),
      assignor: fc.constantFrom<AssignorName>('range', 'roundRobin', 'cooperativeSticky'),
      members: fc.integer({ min: 1, max: 3 }),
      memberSteps: fc.array(memberStepArb, { maxLength: 4 }),
      processingMs: fc.integer({ min: 0, max: 300 }),
      memberStartDelayMs: fc.integer({ min: 0, max: 6000 }),
      slowReplication: fc.option(fc.record({ follower: fc.nat(brokers - 1), ms: fc.integer({ min: 20, max: 1500 }) }), { nil: null, freq: 3 }),
      autoCommitInterval: fc.integer({ min: 100, max: 5000 }),
      ackTimeoutMs: fc.constantFrom(300, 1000, 30_000),
      sendGapMs: fc.integer({ min: 0, max: 500 }),
      schedule: faultSchedule({ brokers, steps: 16, minSteps: 8, survivable: true, maxFailures: 1, maxWaitMs: 2500, apis: HOOK_APIS, weights: { crash: 3, restart: 3, isolate: 2, heal: 1 } }),
    }),
  )
}

/** The scenario of `seed`: the same seed, the same scenario, always. */
export function scenarioForSeed(seed: number): Scenario {
  return fc.sample(scenarioArb(seed), { seed, numRuns: 1 })[0]!
}

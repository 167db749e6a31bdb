/**
 * Issue 14's reassignment guarantee: a partition moved to new replicas (KIP-455) under random broker crashes and
 * restarts never loses a record acknowledged with acks=all, and always ends with exactly the target replicas.
 * Random schedules on 4 brokers: acks=all sends, crashes (process crashes: unclean election stays off, so no
 * acknowledged record may go), restarts, time passing, and one reassignment to a random target of 2 brokers at a
 * random point. Afterwards every broker is restarted, the move must complete, and a fresh consumer reads the log.
 *
 * Windows it must reach (asserted on the coverage figures): a crash while the move is in progress; a crash of a
 * replica being added; a move whose target shares no broker with the original replicas (leadership must move).
 */
import fc from 'fast-check'
import { brokerSideOf } from '../../src/cluster.js'
import { describe, expect, it } from 'vitest'
import { readFinalLog } from '../support/final-log.js'
import { Coverage } from '../support/coverage.js'
import { virtualKafka } from '../support/virtual-kafka.js'

const TOPIC = 't'
const BROKERS = 4
const RUNS = Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 40)
const WINDOWS = ['crash mid-move', 'adding replica crashed mid-move', 'disjoint target'] as const
const coverage = new Coverage(WINDOWS)

type Step = { kind: 'send'; count: number } | { kind: 'crash'; broker: number } | { kind: 'restart'; broker: number } | { kind: 'advance'; ms: number } | { kind: 'reassign'; crashAfter: number | null }

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('crash' as const), broker: fc.integer({ min: 0, max: BROKERS - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restart' as const), broker: fc.integer({ min: 0, max: BROKERS - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 20_000 }) }) },
  // The move itself, then (often) a crash of a broker at once: without it most moves finish before any fault lands.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reassign' as const), crashAfter: fc.option(fc.integer({ min: 0, max: BROKERS - 1 }), { freq: 3 }) }) },
)

const pair = fc.shuffledSubarray([0, 1, 2, 3], { minLength: 2, maxLength: 2 })

/** Half the moves go to the two other brokers (leadership must move), half to a random pair. */
const scenario = fc.record({
  original: pair,
  target: pair,
  disjoint: fc.boolean(),
  steps: fc.array(step, { minLength: 4, maxLength: 24 }),
}).map(({ original, target, disjoint, steps }) => ({ original, target: disjoint ? [0, 1, 2, 3].filter((id) => !original.includes(id)) : target, steps }))

describe('partition reassignment under faults', () => {
  it('a reassignment under random broker crashes never loses an acknowledged record and ends with exactly the target replicas', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ original, target, steps }) => {
        const vk = virtualKafka({ brokers: BROKERS, seed: 1, requestTimeout: 5000, retry: { retries: 2, initialRetryTime: 100 } })
        const admin = await vk.admin()
        await vk.run(admin.createTopics({ topics: [{ topic: TOPIC, replicaAssignment: [{ partition: 0, replicas: original }] }] }))
        const producer = vk.kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
        await vk.run(producer.connect())
        const acked = new Set<string>()
        const down = new Set<number>()
        const reached: Partial<Record<(typeof WINDOWS)[number], boolean>> = { 'disjoint target': target.every((id) => !original.includes(id)) }
        const moving = (): boolean => brokerSideOf(vk.cluster).controller.reassignments().size > 0
        let sent = 0
        const allSteps: Step[] = steps.some((s) => s.kind === 'reassign') ? steps : [{ kind: 'reassign', crashAfter: null }, ...steps]
        let reassigned = false
        const crash = (broker: number): void => {
          if (down.has(broker)) return
          if (moving()) {
            reached['crash mid-move'] = true
            if (target.includes(broker) && !original.includes(broker)) reached['adding replica crashed mid-move'] = true
          }
          vk.cluster.crashBroker(broker)
          down.add(broker)
        }
        for (const s of allSteps) {
          if (s.kind === 'send') {
            const values = Array.from({ length: s.count }, () => `v${sent++}`)
            const ok = await vk.run(producer.send({ topic: TOPIC, acks: -1, messages: values.map((value) => ({ value, partition: 0 })) })).then(
              () => true,
              () => false,
            )
            if (ok) values.forEach((v) => acked.add(v))
          } else if (s.kind === 'crash') {
            crash(s.broker)
          } else if (s.kind === 'restart' && down.has(s.broker)) {
            vk.cluster.restartBroker(s.broker)
            down.delete(s.broker)
          } else if (s.kind === 'advance') {
            await vk.clock.advance(s.ms)
          } else if (s.kind === 'reassign' && !reassigned) {
            reassigned = true
            // In-process catch-up is instant, so a move usually completes inside the call: cutting a new replica off
            // first keeps the move open long enough for the crash to land in the middle of it.
            const adding = target.filter((id) => !original.includes(id))
            const victim = s.crashAfter === null ? null : adding.length > 0 ? adding[s.crashAfter % adding.length]! : s.crashAfter
            // The admin's request goes to the broker it knows as controller: that one stays reachable.
            const { controller } = await vk.run(admin.describeCluster())
            if (victim !== null && !down.has(victim) && victim !== controller) vk.cluster.isolateBroker(victim)
            await vk.run(admin.alterPartitionReassignments({ topics: [{ topic: TOPIC, partitionAssignment: [{ partition: 0, replicas: target }] }] }))
            if (victim !== null && !down.has(victim)) {
              crash(victim)
              vk.cluster.heal()
            }
          }
        }
        for (const id of down) vk.cluster.restartBroker(id)
        vk.cluster.heal()
        await vk.clock.runUntil(() => !moving(), { maxMs: 600_000 })
        const state = brokerSideOf(vk.cluster).controller.topics.get(TOPIC)!.partitions[0]!
        expect([...state.replicas].sort()).toEqual([...target].sort())
        await vk.clock.runUntil(() => brokerSideOf(vk.cluster).controller.topics.get(TOPIC)!.partitions[0]!.isr.length === 2, { maxMs: 600_000 })
        const log = await readFinalLog(vk, TOPIC)
        const values = new Set([...log.get(0)!.values()].map((r) => r.value))
        const lost = [...acked].filter((v) => !values.has(v))
        expect(lost, `acknowledged records lost (seed of the cluster ${vk.cluster.seed})`).toEqual([])
        for (const id of [0, 1, 2, 3]) {
          if (!target.includes(id)) expect(brokerSideOf(vk.cluster).broker(id).replica(TOPIC, 0), `broker ${id} still hosts a moved replica`).toBeUndefined()
        }
        await vk.run(producer.disconnect())
        coverage.record(reached)
      }),
      { numRuns: RUNS },
    )
    console.log(`reassignment coverage: ${coverage.toString()}`)
    expect(coverage.missing()).toEqual([])
    // Measured shares over 40 runs: crash mid-move 22-37 %, adding replica crashed 17-32 %, disjoint target 55-58 %; the floor keeps them honest without flaking.
    expect(coverage.below(0.05)).toEqual([])
  }, 300_000)
})

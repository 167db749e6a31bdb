/**
 * Elections never lose an acknowledged write (KIP-966's eligible leader replicas, the strict min ISR rule, KIP-101
 * truncation): random schedules on 3-4 brokers, 2 partitions with RF 3 and min.insync.replicas 2, of acks=all and
 * acks=1 sends, process crashes, restarts, isolations, heals, lost replication fetches (requests or answers),
 * min.insync.replicas changes between 2 and 3, reassignments started, replaced and cancelled, and preferred elections,
 * with the cluster's replication invariants checked after every change. Afterwards everything is healed and restarted,
 * and every record an acks=all send was told is written must be in its partition, read by a consumer fetch.
 *
 * No power loss here: with logs kept, Kafka loses no acknowledged write under any of these schedules (its unclean
 * election is off), so the oracle needs no model of which losses are allowed. Power losses are
 * acks-all-durability.property.test.ts's, with survivable schedules.
 *
 * After every step a consumer also lists each partition's latest offset at its leader: it must never go back below
 * one listed before (KIP-207). A new leader whose high watermark lags its epoch answers OFFSET_NOT_AVAILABLE instead.
 *
 * Windows it must reach (asserted): a partition with eligible leader replicas, a leader elected from them, and a
 * latest offset refused as not yet available.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Cluster, brokerSideOf } from '../../src/cluster.js'
import { Errors, recordsOf } from '../../src/protocol/index.js'
import { VirtualClock } from '../../src/time/index.js'
import { batch, CLIENT, createTopic } from '../broker/cluster-test-kit.js'
import { Coverage } from '../support/coverage.js'

const PARTITIONS = 2
const RUNS = Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 100)
const WINDOWS = ['eligible leader replicas', 'leader elected from them', 'latest offset not available'] as const
const coverage = new Coverage(WINDOWS)

type Step =
  | { kind: 'send'; partition: number; acks: -1 | 1; count: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'crash' | 'isolate' | 'restart'; broker: number }
  | { kind: 'heal' }
  | { kind: 'lose replication'; action: 'drop' | 'dropResponse' | 'none'; follower: number }
  | { kind: 'min isr'; value: number }
  | { kind: 'reassign'; partition: number; target: number[] }
  | { kind: 'cancel reassignment' | 'preferred election' | 'crash leader' | 'starve followers'; partition: number }

function steps(brokers: number): fc.Arbitrary<Step[]> {
  const broker = fc.nat(brokers - 1)
  const partition = fc.nat(PARTITIONS - 1)
  return fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('send' as const), partition, acks: fc.constantFrom(-1 as const, -1 as const, 1 as const), count: fc.integer({ min: 1, max: 3 }) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 50 }) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 50, max: 6000 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('crash' as const, 'restart' as const), broker }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('crash leader' as const), partition }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('starve followers' as const), partition }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('isolate' as const), broker }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'heal' as const }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('lose replication' as const), action: fc.constantFrom('drop' as const, 'dropResponse' as const, 'none' as const), follower: fc.integer({ min: -1, max: brokers - 1 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('min isr' as const), value: fc.integer({ min: 2, max: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('reassign' as const), partition, target: fc.shuffledSubarray([...Array(brokers).keys()], { minLength: 2, maxLength: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('cancel reassignment' as const, 'preferred election' as const), partition }) },
    ),
    { minLength: 5, maxLength: 60 },
  )
}

async function run(brokers: number, seed: number, lagMs: number, sessionMs: number, plan: readonly Step[]): Promise<void> {
  const clock = new VirtualClock()
  const outer = new Cluster({ brokers, clock, seed, checkInvariants: true, minInsyncReplicas: 2, replicaLagTimeMaxMs: lagMs, brokerSessionTimeoutMs: sessionMs })
  const cluster = brokerSideOf(outer)
  await createTopic(cluster, 't', PARTITIONS, 3)
  await clock.advance(1)
  const state = (p: number) => cluster.controller.topics.get('t')!.partitions[p]!
  const acknowledged = Array.from({ length: PARTITIONS }, () => new Set<string>())
  const reached = { 'eligible leader replicas': false, 'leader elected from them': false, 'latest offset not available': false }
  const listed = new Array<number>(PARTITIONS).fill(0)
  /** A consumer's ListOffsets(latest) at each partition's leader: never below an offset listed before (KIP-207). */
  const listLatest = async (): Promise<void> => {
    for (let p = 0; p < PARTITIONS; p++) {
      const { leader, leaderEpoch } = state(p)
      if (leader < 0 || !cluster.broker(leader).isUp) continue
      const request = { replicaId: -1, isolationLevel: 0 as const, topics: [{ topic: 't', partitions: [{ partition: p, timestamp: -1, currentLeaderEpoch: leaderEpoch }] }] }
      const answer = (await clock.run(cluster.dispatch(leader, CLIENT, 'ListOffsets', request))).topics[0]!.partitions[0]!
      if (answer.errorCode === Errors.OFFSET_NOT_AVAILABLE.code) reached['latest offset not available'] = true
      if (answer.errorCode !== 0) continue
      expect(answer.offset, `partition ${p}: latest offset ${answer.offset} after ${listed[p]} was listed`).toBeGreaterThanOrEqual(listed[p]!)
      listed[p] = answer.offset
    }
  }
  let sent = 0
  let lostReplication: { remove(): void } | undefined
  const noteElections = (before: ReturnType<typeof state>[]) => {
    for (let p = 0; p < PARTITIONS; p++) {
      if (state(p).elr.length > 0) reached['eligible leader replicas'] = true
      if (state(p).leader >= 0 && state(p).leader !== before[p]!.leader && before[p]!.elr.includes(state(p).leader)) reached['leader elected from them'] = true
    }
  }
  for (const step of plan) {
    const before = Array.from({ length: PARTITIONS }, (_, p) => state(p))
    switch (step.kind) {
      case 'send': {
        const leader = state(step.partition).leader
        if (leader < 0 || !cluster.broker(leader).isUp) break
        const values = Array.from({ length: step.count }, () => `v${sent++}`)
        const request = { acks: step.acks, timeoutMs: 3000, transactionalId: null, topics: [{ topic: 't', partitions: [{ partition: step.partition, batch: batch(values) }] }] }
        void cluster.dispatch(leader, CLIENT, 'Produce', request).then(
          (answer) => {
            if (step.acks === -1 && answer.topics[0]!.partitions[0]!.errorCode === 0) for (const v of values) acknowledged[step.partition]!.add(v)
          },
          () => undefined,
        )
        break
      }
      case 'advance':
        await clock.advance(step.ms)
        break
      case 'crash':
        if (cluster.broker(step.broker).isUp) outer.crashBroker(step.broker)
        break
      case 'crash leader': {
        const leader = state(step.partition).leader
        if (leader >= 0 && cluster.broker(leader).isUp) outer.crashBroker(leader)
        break
      }
      case 'starve followers': {
        // Every replication fetch lost until the leader drops its followers from the ISR: alone below min ISR, it
        // leaves them eligible.
        const leader = state(step.partition).leader
        const starving = outer.transport.hooks.add({ api: 'Fetch', from: 'broker', when: (_r, from) => from.kind === 'broker' && from.brokerId !== leader, action: { type: 'drop' } })
        await clock.advance(2 * lagMs + 500)
        starving.remove()
        break
      }
      case 'restart':
        if (!cluster.broker(step.broker).isUp) outer.restartBroker(step.broker)
        break
      case 'isolate':
        if (!outer.isIsolated(step.broker)) outer.isolateBroker(step.broker)
        break
      case 'heal':
        outer.heal()
        break
      case 'lose replication': {
        lostReplication?.remove()
        lostReplication = undefined
        if (step.action === 'none') break
        const follower = step.follower
        lostReplication = outer.transport.hooks.add({ api: 'Fetch', from: 'broker', when: (_r, from) => follower < 0 || (from.kind === 'broker' && from.brokerId === follower), action: { type: step.action } })
        break
      }
      case 'min isr': {
        const reachable = cluster.brokerIds().find((id) => cluster.canReachController(id))
        if (reachable === undefined) break
        const configs = [{ name: 'min.insync.replicas', configOperation: 0, value: String(step.value) }]
        await clock.run(cluster.dispatch(reachable, CLIENT, 'IncrementalAlterConfigs', { resources: [{ resourceType: 2, resourceName: 't', configs }], validateOnly: false }))
        break
      }
      case 'reassign':
        cluster.controller.reassign('t', step.partition, step.target)
        break
      case 'cancel reassignment':
        cluster.controller.reassign('t', step.partition, null)
        break
      case 'preferred election':
        cluster.controller.electLeader('t', step.partition, 0)
        break
    }
    noteElections(before)
    await listLatest()
  }
  lostReplication?.remove()
  outer.heal()
  for (const id of cluster.brokerIds()) if (!cluster.broker(id).isUp) outer.restartBroker(id)
  const settled = () => outer.describe().partitions.every((p) => p.leader >= 0 && p.isr.length === p.replicas.length && p.replicaStates.every((r) => r.logEndOffset === p.highWatermark))
  await clock.runUntil(settled, { maxMs: 300_000 })
  for (let p = 0; p < PARTITIONS; p++) {
    const fetch = { replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 50 << 20, isolationLevel: 0 as const, topics: [{ topic: 't', partitions: [{ partition: p, fetchOffset: 0, partitionMaxBytes: 50 << 20, currentLeaderEpoch: -1 }] }] }
    const answer = await clock.run(cluster.dispatch(state(p).leader, CLIENT, 'Fetch', fetch))
    const read = new Set(recordsOf(answer.topics[0]!.partitions[0]!.batches, 0).map((r) => r.value!.toString()))
    expect([...acknowledged[p]!].filter((v) => !read.has(v)), `partition ${p}: acknowledged writes missing`).toEqual([])
  }
  coverage.record(reached)
}

describe('elections and acknowledged writes (property)', () => {
  it('no acknowledged acks=all write is lost, whoever is elected, with the replication invariants checked throughout', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 4 }).chain((brokers) => fc.tuple(fc.constant(brokers), fc.nat(1 << 30), fc.constantFrom(700, 2000), fc.constantFrom(600, 2500), steps(brokers))),
        async ([brokers, seed, lagMs, sessionMs, plan]) => run(brokers, seed, lagMs, sessionMs, plan),
      ),
      { numRuns: RUNS },
    )
    // Measured from random seeds: eligible replicas in 63-76 % of runs, a leader elected from them in 10-17 %, a latest
    // offset not yet available in 14-22 %.
    expect(coverage.below(0.05), coverage.toString()).toEqual([])
  }, 600_000)
})

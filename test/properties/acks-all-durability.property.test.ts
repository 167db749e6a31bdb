/**
 * Issue 3's replication guarantee, through the KafkaJS-compatible client and checked as Jepsen checks Kafka: random
 * schedules of sends (acks=all), group consumption, broker crashes (with and without power loss), restarts,
 * isolations and heals on 3–5 brokers, RF 3 and min.insync.replicas=2. The schedule never takes down the last live
 * in-sync replica of a partition. Every send, poll, rebalance, commit and fault goes into a History; afterwards the
 * cluster is healed, a fresh consumer reads every partition from the beginning, and the checker looks for
 * lost-write, inconsistent-offsets, nonmonotonic-poll, poll-skip and the rest.
 */
import fc from 'fast-check'
import { checkHistory, formatReport, type ClusterDescription } from 'kafkalite'
import { describe, expect, it } from 'vitest'
import { readFinalLog } from '../support/final-log.js'
import { startRecordedConsumer, type RecordedConsumer } from '../support/recorded-consumer.js'
import { RecordedProducer } from '../support/recorded-producer.js'
import { Coverage } from '../support/coverage.js'
import { watchUnhandledRejections } from '../support/unhandled-rejections.js'
import { virtualKafka, type VirtualKafka } from '../support/virtual-kafka.js'

const TOPIC = 't'
const PARTITIONS = 3
const WORKERS = 2
const CONSUMERS = 2
const RUNS = Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 200)
const coverage = new Coverage(['attempt refused', 'attempt with unknown fate', 'record written twice', 'power loss', 'isolation'] as const)

/** Which broker a fault hits, resolved when it happens: a partition's leader, one of its followers, or any broker. */
interface Target {
  role: 'leader' | 'follower' | 'any'
  partition: number
  /** Picks among the candidates, modulo their number. */
  pick: number
}

type Step =
  | { kind: 'send'; worker: number; partition: number; count: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'crash'; target: Target; powerLoss: boolean }
  | { kind: 'isolate'; target: Target }
  | { kind: 'restart'; pick: number }
  | { kind: 'heal' }
  | { kind: 'bounce'; consumer: number }

const targetArb: fc.Arbitrary<Target> = fc.record({
  role: fc.constantFrom('leader' as const, 'leader' as const, 'follower' as const, 'any' as const),
  partition: fc.nat(PARTITIONS - 1),
  pick: fc.nat(4),
})
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('send' as const), worker: fc.nat(WORKERS - 1), partition: fc.nat(PARTITIONS - 1), count: fc.integer({ min: 1, max: 3 }) }) },
  // Short steps catch sends in flight (a leader waiting for its ISR); long ones let timeouts and fencing fire.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 40, max: 5000 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('crash' as const), target: targetArb, powerLoss: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('isolate' as const), target: targetArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restart' as const), pick: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'heal' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bounce' as const), consumer: fc.nat(CONSUMERS - 1) }) },
)

/** The broker a target names now, if any. */
function resolve(description: ClusterDescription, target: Target): number | undefined {
  const partition = description.partitions.find((p) => p.topic === TOPIC && p.partition === target.partition)!
  const candidates =
    target.role === 'leader'
      ? partition.replicaStates.filter((r) => r.role === 'leader').map((r) => r.brokerId)
      : target.role === 'follower'
        ? partition.replicas.filter((id) => id !== partition.leader)
        : description.brokers.map((b) => b.id)
  return candidates.length === 0 ? undefined : candidates[target.pick % candidates.length]
}

/**
 * Whether taking `broker` away (crash or isolation) leaves every partition of the topic at least one in-sync replica
 * that is up and reachable: the condition under which acks=all with min.insync.replicas=2 promises no loss.
 */
function leavesLiveInSyncReplica(description: ClusterDescription, broker: number): boolean {
  const live = new Set(description.brokers.filter((b) => b.status === 'up' && !b.isolated && b.id !== broker).map((b) => b.id))
  return description.partitions.filter((p) => p.topic === TOPIC).every((p) => p.isr.some((id) => live.has(id)))
}

/** Applies a fault step if it can happen now (and keeps a live in-sync replica), recording it in the history. */
function applyFault(vk: VirtualKafka, step: Exclude<Step, { kind: 'send' | 'advance' | 'bounce' }>): void {
  const { cluster } = vk
  const description = cluster.describe()
  switch (step.kind) {
    case 'heal':
      cluster.heal()
      vk.fault('heal')
      return
    case 'restart': {
      const down = description.brokers.filter((b) => b.status === 'down').map((b) => b.id)
      if (down.length === 0) return
      const id = down[step.pick % down.length]!
      cluster.restartBroker(id)
      vk.fault(`restart broker ${id}`)
      return
    }
    case 'crash': {
      const id = resolve(description, step.target)
      if (id === undefined || !cluster.broker(id).isUp || !leavesLiveInSyncReplica(description, id)) return
      cluster.crashBroker(id, { loseUnflushed: step.powerLoss })
      vk.fault(`crash broker ${id}${step.powerLoss ? ', losing unflushed writes' : ''}`)
      return
    }
    case 'isolate': {
      const id = resolve(description, step.target)
      if (id === undefined || cluster.isIsolated(id) || !leavesLiveInSyncReplica(description, id)) return
      cluster.isolateBroker(id)
      vk.fault(`isolate broker ${id}`)
      return
    }
  }
}

/** Every partition of the topic fully replicated: a leader, the whole replica set in sync, every log at the high watermark. */
function settled(description: ClusterDescription): boolean {
  return description.partitions
    .filter((p) => p.topic === TOPIC)
    .every((p) => p.leader >= 0 && p.isr.length === p.replicas.length && p.replicaStates.every((r) => r.logEndOffset === p.highWatermark && r.highWatermark === p.highWatermark))
}

/**
 * The cluster's timing: how slow replication is (a delay on every follower fetch, so that faults find acks=all sends
 * waiting for the ISR), how soon a lagging follower leaves the ISR, and how soon an isolated broker is fenced.
 */
interface Timing {
  replicationDelayMs: number
  replicaLagTimeMaxMs: number
  brokerSessionTimeoutMs: number
}

const timingArb: fc.Arbitrary<Timing> = fc.record({
  replicationDelayMs: fc.constantFrom(0, 2, 10, 30, 300, 800),
  replicaLagTimeMaxMs: fc.constantFrom(700, 3000),
  brokerSessionTimeoutMs: fc.constantFrom(600, 2000),
})

async function scenario(brokers: number, seed: number, timing: Timing, steps: readonly Step[]): Promise<void> {
  const unhandled = watchUnhandledRejections()
  try {
    await runScenario(brokers, seed, timing, steps)
  } finally {
    unhandled.stop()
  }
  expect(unhandled.errors, `rejections nobody handled, cluster seed ${seed}`).toEqual([])
}

async function runScenario(brokers: number, seed: number, timing: Timing, steps: readonly Step[]): Promise<void> {
  const vk = virtualKafka({
    brokers,
    seed,
    checkInvariants: true,
    defaultReplicationFactor: 3,
    minInsyncReplicas: 2,
    replicaLagTimeMaxMs: timing.replicaLagTimeMaxMs,
    brokerSessionTimeoutMs: timing.brokerSessionTimeoutMs,
    offsetsTopicNumPartitions: 1,
    requestTimeout: 5000,
  })
  const context = () => `cluster seed ${seed}, ${brokers} brokers, ${JSON.stringify(timing)}\n${vk.cluster.describeText()}`
  await vk.createTopics({ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 3 })
  if (timing.replicationDelayMs > 0) vk.cluster.transport.hooks.add({ api: 'Fetch', from: 'broker', action: { type: 'delay', ms: timing.replicationDelayMs } })
  const workers = await Promise.all(Array.from({ length: WORKERS }, (_, i) => RecordedProducer.connect(vk, `producer-${i}`)))
  let incarnation = 0
  const member = (): Promise<RecordedConsumer> =>
    startRecordedConsumer(vk, { groupId: 'g', topics: [TOPIC], process: `consumer-${incarnation++}`, sessionTimeout: 6000, heartbeatInterval: 1000 })
  const consumers: RecordedConsumer[] = []
  for (let i = 0; i < CONSUMERS; i++) consumers.push(await member())

  // Each worker sends one record at a time (a Jepsen process); a send step queues more behind its last one.
  const chains: Array<Promise<unknown>> = workers.map(() => Promise.resolve())
  let sent = 0
  for (const step of steps) {
    if (step.kind === 'send') {
      const worker = workers[step.worker]!
      for (let i = 0; i < step.count; i++) {
        const value = `v${sent++}`
        chains[step.worker] = chains[step.worker]!.then(() => worker.send({ topic: TOPIC, value, partition: step.partition, acks: -1, timeout: 2000 }))
      }
    } else if (step.kind === 'advance') {
      await vk.clock.advance(step.ms)
    } else if (step.kind === 'bounce') {
      // A member leaves and a new one joins: two rebalances, resuming from the group's committed offsets.
      await vk.run(consumers[step.consumer]!.consumer.disconnect())
      consumers[step.consumer] = await member()
    } else {
      applyFault(vk, step)
    }
  }

  // Faults over: every send settles (KafkaJS's bounded retries), then the cluster heals and settles.
  vk.cluster.heal()
  for (const id of vk.cluster.brokerIds()) if (!vk.cluster.broker(id).isUp) vk.cluster.restartBroker(id)
  vk.fault('heal and restart every broker')
  await vk.run(Promise.all(chains), 300_000)
  await vk.clock.runUntil(() => settled(vk.cluster.describe()), { maxMs: 120_000 })

  const final = await readFinalLog(vk, TOPIC)
  // the final read drained every partition to its end, so acknowledged offsets past a shortened log count as lost
  const report = checkHistory(vk.history, { drained: true })
  const attempts = vk.tap.counts()
  const faults = report.faults.map((f) => f.description)
  coverage.record({
    'attempt refused': attempts.rejected > 0,
    'attempt with unknown fate': attempts.unknown > 0,
    'record written twice': report.stats.duplicates > 0,
    'power loss': faults.some((f) => f.includes('losing unflushed')),
    isolation: faults.some((f) => f.startsWith('isolate')),
  })
  expect(report.valid, `${formatReport(report)}\n${context()}`).toBe(true)

  // The checker compares what it saw; the final log is the truth it is compared against, so say it outright too.
  const operations = vk.history.operations()
  for (const op of operations) {
    if (op.type === 'send' && op.outcome.type === 'ok') {
      const at = final.get(op.outcome.partition)?.get(op.outcome.offset)?.value
      expect(at, `acknowledged ${op.value} at ${TOPIC}-${op.outcome.partition}@${op.outcome.offset} is gone\n${context()}`).toBe(op.value)
    }
    if (op.type === 'poll' && op.process.startsWith('consumer-')) {
      for (const r of op.records) {
        const at = final.get(r.partition)?.get(r.offset)?.value
        expect(at, `${op.process} read ${r.value} at ${TOPIC}-${r.partition}@${r.offset}, later truncated\n${context()}`).toBe(r.value)
      }
    }
  }
  for (const [partition, records] of final) {
    const offsets = [...records.keys()].sort((a, b) => a - b)
    expect(offsets, `${TOPIC}-${partition}'s offsets are dense from 0\n${context()}`).toEqual(offsets.map((_, i) => i))
  }
  await vk.run(Promise.all(consumers.map((c) => c.consumer.disconnect())))
}

describe('acks=all durability under broker faults', () => {
  it(
    'no acknowledged record is lost while an in-sync replica survives; no consumer reads a record later truncated; per-partition order holds; offsets are never reused',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 3, max: 5 }),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          timingArb,
          fc.array(stepArb, { minLength: 4, maxLength: 50 }),
          scenario,
        ),
        { numRuns: RUNS },
      )
      console.info(`acks=all durability coverage: ${coverage.toString()}`)
      if (RUNS >= 100) expect(coverage.missing(), coverage.toString()).toEqual([])
    },
    600_000,
  )
})

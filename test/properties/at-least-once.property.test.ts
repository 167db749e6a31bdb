/**
 * Issue 4's at-least-once guarantee: a group of KafkaJS consumers (auto-commit, or manual commit after each message
 * or through eachBatch) whose members crash at random and are replaced while brokers crash and restart processes
 * every record at least once, and every duplicate lies at or above the offset the group had committed for its
 * partition at the crash or rebalance before it: nothing below a commit is ever processed again.
 *
 * A crash is a process that goes silent: every request of its client is dropped from then on (so no LeaveGroup
 * reaches the coordinator, which must notice through `sessionTimeout`), and its handler processes nothing more.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, logLevel, PartitionAssigners, VirtualClock, type Consumer } from 'kafkalite'
import { Coverage } from '../support/coverage.js'
import { brokerSideOf } from '../../src/cluster.js'

const RUNS = Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 200)
const TOPIC = 'events'
const GROUP = 'workers'

type CommitMode = 'auto' | 'manual-message' | 'manual-batch'

type Step =
  | { kind: 'advance'; ms: number }
  | { kind: 'crashConsumer'; index: number }
  | { kind: 'startConsumer' }
  | { kind: 'crashBroker'; broker: number; downMs: number }

const faultArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('crashConsumer' as const), index: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'startConsumer' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('crashBroker' as const), broker: fc.nat(2), downMs: fc.integer({ min: 0, max: 3000 }) }) },
)
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 1500 }) }) },
  { weight: 6, arbitrary: faultArb },
)
/** Most runs hold at least one fault (a crash or a rebalance): a run without any proves little. */
const stepsArb: fc.Arbitrary<Step[]> = fc.oneof(
  { weight: 1, arbitrary: fc.array(stepArb, { maxLength: 8 }) },
  {
    weight: 9,
    arbitrary: fc
      .tuple(fc.array(stepArb, { maxLength: 7 }), faultArb, fc.nat())
      .map(([steps, fault, at]) => [...steps.slice(0, at % (steps.length + 1)), fault, ...steps.slice(at % (steps.length + 1))]),
  },
)

interface Scenario {
  partitions: number
  records: number
  consumers: number
  mode: CommitMode
  /** Virtual time each record's handler takes, so that crashes find records in flight and not yet committed. */
  processingMs: number
  /** Manual modes commit after every `commitEvery`-th message of a partition (and after its last one of a batch). */
  commitEvery: number
  /** Auto mode's KafkaJS `autoCommitInterval` and `autoCommitThreshold` (null: commit after each batch only). */
  autoCommitInterval: number | null
  autoCommitThreshold: number | null
  /** The group's assignor: eager (round-robin, range) or cooperative (KIP-429, processing goes on during a rebalance). */
  assignor: 'roundRobin' | 'range' | 'cooperativeSticky'
  steps: Step[]
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  partitions: fc.integer({ min: 2, max: 4 }),
  records: fc.integer({ min: 10, max: 40 }),
  consumers: fc.integer({ min: 1, max: 3 }),
  mode: fc.constantFrom<CommitMode>('auto', 'manual-message', 'manual-batch'),
  processingMs: fc.integer({ min: 0, max: 200 }),
  commitEvery: fc.integer({ min: 1, max: 4 }),
  autoCommitInterval: fc.option(fc.integer({ min: 0, max: 3000 })),
  autoCommitThreshold: fc.option(fc.integer({ min: 1, max: 10 })),
  assignor: fc.constantFrom('roundRobin' as const, 'range' as const, 'cooperativeSticky' as const),
  steps: stepsArb,
})

const coverage = new Coverage(['a rebalance while processed records are uncommitted', 'a consumer crash', 'a broker crash', 'a cooperative rebalance', 'no fault at all'] as const)

/** One processing of a record, in the order of the run's events. */
interface Processing {
  seq: number
  partition: number
  offset: number
  member: string
}

/** The group's committed offsets at a crash or a rebalance. */
interface Snapshot {
  seq: number
  cause: string
  committed: Map<number, number>
}

interface Member {
  readonly clientId: string
  readonly consumer: Consumer
  crashed: boolean
}

async function run(scenario: Scenario): Promise<void> {
  const reached = { consumerCrash: false, brokerCrash: false, rebalanceWithUncommitted: false, cooperative: false }
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: 3, clock, seed: 7, minInsyncReplicas: 2, offsetsTopicNumPartitions: 3 })
  const clientConfig = { cluster, logLevel: logLevel.NOTHING, requestTimeout: 1000, retry: { retries: 30, initialRetryTime: 50, maxRetryTime: 1000 } }
  const setup = new Kafka({ clientId: 'setup', ...clientConfig })
  const admin = setup.admin()
  await clock.run(admin.connect())
  await clock.run(admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: scenario.partitions, replicationFactor: 3 }], waitForLeaders: true }))
  const producer = setup.producer()
  await clock.run(producer.connect())
  const values = Array.from({ length: scenario.records }, (_, i) => `v${i}`)
  await clock.run(producer.send({ topic: TOPIC, acks: -1, messages: values.map((value) => ({ value })) }))
  await clock.run(producer.disconnect())

  let seq = 0
  const processed: Processing[] = []
  const snapshots: Snapshot[] = []
  const committed = new Map<number, number>()
  const snapshot = (cause: string): void => {
    snapshots.push({ seq: seq++, cause, committed: new Map(committed) })
  }
  const members: Member[] = []

  const startConsumer = async (): Promise<void> => {
    const clientId = `worker-${members.length}`
    const kafka = new Kafka({ clientId, ...clientConfig })
    const consumer = kafka.consumer({
      groupId: GROUP,
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 100,
      partitionAssigners: [PartitionAssigners[scenario.assignor]],
    })
    const due = (offset: string): boolean => (Number(offset) + 1) % scenario.commitEvery === 0
    const member: Member = { clientId, consumer, crashed: false }
    members.push(member)
    consumer.on(consumer.events.GROUP_JOIN, () => snapshot(`${clientId} joined`))
    consumer.on(consumer.events.REBALANCING, () => {
      if (member.crashed) return
      if (scenario.assignor === 'cooperativeSticky') reached.cooperative = true
      // The window: records processed whose offsets the group has not committed yet when the rebalance starts.
      const uncommitted = processed.some((p) => p.member === clientId && p.offset >= (committed.get(p.partition) ?? 0))
      if (uncommitted) reached.rebalanceWithUncommitted = true
    })
    consumer.on(consumer.events.COMMIT_OFFSETS, (event) => {
      for (const { partitions } of event.payload.topics as Array<{ partitions: Array<{ partition: string; offset: string }> }>) {
        for (const { partition, offset } of partitions) committed.set(Number(partition), Number(offset))
      }
    })
    const process = async (partition: number, offset: string): Promise<boolean> => {
      await clock.sleep(scenario.processingMs)
      if (member.crashed) return false
      processed.push({ seq: seq++, partition, offset: Number(offset), member: clientId })
      return true
    }
    await clock.run(consumer.connect())
    await clock.run(consumer.subscribe({ topics: [TOPIC], fromBeginning: true }))
    if (scenario.mode === 'manual-batch') {
      await clock.run(
        consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
            for (const [i, message] of batch.messages.entries()) {
              if (!(await process(batch.partition, message.offset))) return
              resolveOffset(message.offset)
              if (!due(message.offset) && i < batch.messages.length - 1) continue
              const next = String(Number(message.offset) + 1)
              await commitOffsetsIfNecessary({ topics: [{ topic: TOPIC, partitions: [{ partition: batch.partition, offset: next }] }] })
            }
          },
        }),
      )
    } else {
      const manual = scenario.mode === 'manual-message'
      await clock.run(
        consumer.run({
          autoCommit: !manual,
          autoCommitInterval: scenario.autoCommitInterval,
          autoCommitThreshold: scenario.autoCommitThreshold,
          eachMessage: async ({ partition, message }) => {
            if (!(await process(partition, message.offset)) || !manual || !due(message.offset)) return
            await consumer.commitOffsets([{ topic: TOPIC, partition, offset: String(Number(message.offset) + 1) }])
          },
        }),
      )
    }
  }

  const crash = (member: Member): void => {
    member.crashed = true
    snapshot(`${member.clientId} crashed`)
    cluster.transport.hooks.add({ from: 'client', when: (_request, from) => from.kind === 'client' && from.clientId === member.clientId, action: { type: 'drop' } })
    // Only to stop its loops: its LeaveGroup is dropped like everything else it sends, so the group sees a crash.
    void member.consumer.disconnect().catch(() => undefined)
  }

  for (let i = 0; i < scenario.consumers; i++) await startConsumer()
  for (const step of scenario.steps) {
    if (step.kind === 'advance') await clock.advance(step.ms)
    else if (step.kind === 'startConsumer') await startConsumer()
    else if (step.kind === 'crashConsumer') {
      const live = members.filter((m) => !m.crashed)
      if (live.length > 0) {
        crash(live[step.index % live.length]!)
        reached.consumerCrash = true
      }
    } else if (brokerSideOf(cluster).broker(step.broker).isUp) {
      reached.brokerCrash = true
      cluster.crashBroker(step.broker)
      await clock.advance(step.downMs)
      cluster.restartBroker(step.broker)
    }
  }
  if (members.every((m) => m.crashed)) await startConsumer()

  const seen = (): number => new Set(processed.map((p) => `${p.partition}:${p.offset}`)).size
  await clock.runUntil(() => seen() === scenario.records, { maxMs: 120_000 }).catch(() => undefined)
  await clock.advance(2000)

  const byPartition = new Map<number, number>()
  for (const p of processed) byPartition.set(p.partition, Math.max(byPartition.get(p.partition) ?? -1, p.offset))
  expect(seen(), `records processed at least once (${JSON.stringify([...byPartition])})`).toBe(scenario.records)

  const done = new Set<string>()
  for (const p of processed) {
    const key = `${p.partition}:${p.offset}`
    if (!done.has(key)) {
      done.add(key)
      continue
    }
    const before = snapshots.filter((s) => s.seq < p.seq).at(-1)
    expect(before, `duplicate of ${key} by ${p.member} with no crash or rebalance before it`).toBeDefined()
    const floor = before!.committed.get(p.partition) ?? 0
    expect(p.offset, `duplicate of ${key} by ${p.member} below offset ${floor} committed at "${before!.cause}"`).toBeGreaterThanOrEqual(floor)
  }

  for (const member of members) if (!member.crashed) await clock.run(member.consumer.disconnect())
  const rebalanced = members.length > scenario.consumers || reached.consumerCrash
  coverage.record({
    'a rebalance while processed records are uncommitted': reached.rebalanceWithUncommitted,
    'a consumer crash': reached.consumerCrash,
    'a broker crash': reached.brokerCrash,
    'a cooperative rebalance': reached.cooperative,
    'no fault at all': !rebalanced && !reached.brokerCrash,
  })
}

describe('at-least-once', () => {
  it('under consumer crashes, rebalances and broker failures, a group processes every record, duplicates only above its last commit', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, (scenario) => run(scenario)),
      { numRuns: RUNS },
    )
    console.info(`at-least-once coverage: ${coverage.toString()}`)
    if (RUNS >= 100) {
      const share = coverage.shares()
      // Each window is reached by a fair share of runs, and few runs hold no fault at all.
      for (const window of ['a rebalance while processed records are uncommitted', 'a consumer crash', 'a broker crash', 'a cooperative rebalance'] as const) {
        expect(share[window], `${window}: ${coverage.toString()}`).toBeGreaterThanOrEqual(0.1)
      }
      expect(share['no fault at all'], coverage.toString()).toBeLessThanOrEqual(0.1)
    }
  })
})

/**
 * Issue 8, KIP-320: a member that joins while a partition's old leader is cut off never resets below the group's
 * committed offset. Campaign seed 6314 found the window: the leader is isolated, the controller elects another one,
 * records are written there and the group commits beyond the old leader's log end; a new member then takes its
 * metadata from the isolated broker (which still believes it leads, at an older leader epoch), fetches the committed
 * offset there, gets OFFSET_OUT_OF_RANGE from the shorter log and, without KIP-320, resets to the earliest offset and
 * commits it. Kafka's consumer keeps the leader epoch a committed offset was stored with, takes older metadata for
 * stale, and validates an out-of-range committed position with OffsetForLeaderEpoch before any reset.
 *
 * The schedule isolates leaders, writes (acks=all), lets members join and leave, and sometimes cuts a new member off
 * from every healthy broker for its metadata, so that it learns the cluster from the isolated one. The oracles read
 * the wire and the handlers, not the client: successful OffsetCommit answers never lower a partition's offset
 * (`checkCommittedMonotonic`), and after a member joins (its SyncGroup answer) it is delivered nothing below what the
 * group had committed (`checkNoDeliveryBelowCommit`); at the end, after `heal()`, the group has consumed every record.
 *
 * Window (asserted on the coverage figures): a member asks for metadata an isolated broker that still believes it leads
 * a partition the member owns, and the group has committed that partition beyond the isolated broker's log end.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, logLevel, VirtualClock, type Consumer } from 'kafkalite'
import { Recording, anomaliesOf, checkCommittedMonotonic, checkNoDeliveryBelowCommit, formatOracleReports, recordConsumer, type CommitEvent, type GenerationAssignment } from 'kafkalite/testing'
import { Coverage } from '../support/coverage.js'
import { withoutUnhandledRejections } from '../support/unhandled-rejections.js'
import { NetworkObserver } from '../adversary/network-observer.js'

const RUNS = Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 60)
const TOPIC = 'ledger'
const GROUP = 'auditors'

type Step =
  | { kind: 'send'; count: number }
  | { kind: 'advance'; ms: number }
  /** Isolate the current leader of a partition (broker-to-broker and controller links cut; clients still reach it). */
  | { kind: 'isolateLeader'; partition: number }
  /** A new member joins; with `staleOnly` its Metadata requests reach only isolated brokers for `ms`. */
  | { kind: 'join'; staleOnly: boolean; ms: number }
  | { kind: 'leave'; member: number }
  | { kind: 'heal' }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), count: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('isolateLeader' as const), partition: fc.nat(1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('join' as const), staleOnly: fc.boolean(), ms: fc.integer({ min: 500, max: 5000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('leave' as const), member: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'heal' as const }) },
)

interface Scenario {
  partitions: number
  /** Records written before the first step, consumed and committed by the first member. */
  initial: number
  brokerSessionTimeoutMs: number
  fromBeginning: boolean
  steps: Step[]
}

/** Most runs isolate a leader, write past it and then let a member join: the order the window needs. */
const stepsArb: fc.Arbitrary<Step[]> = fc.oneof(
  { weight: 1, arbitrary: fc.array(stepArb, { minLength: 3, maxLength: 16 }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.nat(1), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 4000 }), fc.constantFrom(true, true, false), fc.boolean(), fc.array(stepArb, { maxLength: 10 }))
      .map(([partition, count, ms, staleOnly, handOver, rest]): Step[] => [
        { kind: 'isolateLeader', partition },
        { kind: 'advance', ms },
        { kind: 'send', count },
        { kind: 'advance', ms: 3000 },
        // A send that timed out at the isolated leader is followed by one the new leader takes.
        { kind: 'send', count },
        { kind: 'advance', ms: 3000 },
        { kind: 'join', staleOnly, ms: 4000 },
        // The first member leaves: the new one takes over every partition at the group's commit.
        ...(handOver ? [{ kind: 'leave' as const, member: 0 }] : []),
        ...rest,
      ]),
  },
)

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  partitions: fc.integer({ min: 1, max: 2 }),
  initial: fc.integer({ min: 1, max: 10 }),
  brokerSessionTimeoutMs: fc.constantFrom(600, 1500),
  fromBeginning: fc.boolean(),
  steps: stepsArb,
})

const WINDOWS = ['a member learns a stale leader whose log ends below the commit', 'a leader isolated'] as const
const coverage = new Coverage(WINDOWS)

interface Member {
  readonly clientId: string
  readonly consumer: Consumer
  left: boolean
}

async function run(scenario: Scenario): Promise<void> {
  await withoutUnhandledRejections('committed-epoch run', () => runScenario(scenario))
}

async function runScenario(scenario: Scenario): Promise<void> {
  const clock = new VirtualClock()
  const recording = new Recording({ now: () => clock.now() })
  const cluster = new Cluster({
    brokers: 3,
    clock,
    seed: 5,
    minInsyncReplicas: 2,
    offsetsTopicNumPartitions: 1,
    brokerSessionTimeoutMs: scenario.brokerSessionTimeoutMs,
    replicaLagTimeMaxMs: 1000,
  })
  // The oracles' view, off the wire: assignments from SyncGroup answers, commits from OffsetCommit answers.
  const joins: GenerationAssignment[] = []
  const commits: CommitEvent[] = []
  new NetworkObserver(cluster, { nextSeq: () => recording.nextSeq(), onAssignment: (a) => joins.push(a), onCommit: (c) => commits.push(c) }, new Set())
  const clientConfig = { cluster, logLevel: logLevel.NOTHING, requestTimeout: 2000, retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 1000 } }
  const setup = new Kafka({ clientId: 'setup', ...clientConfig })
  const admin = setup.admin()
  await clock.run(admin.connect())
  await clock.run(admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: scenario.partitions, replicationFactor: 3 }], waitForLeaders: true }))
  // The writer is on the healthy side of every isolation: its records go to the new leader, past the old one's log end.
  cluster.transport.hooks.add({ from: 'client', when: (_request, from, brokerId) => from.kind === 'client' && from.clientId === 'writer' && cluster.isIsolated(brokerId), action: { type: 'drop' } })
  const producer = new Kafka({ clientId: 'writer', ...clientConfig }).producer()
  await clock.run(producer.connect())
  let sent = 0
  const send = async (count: number): Promise<void> => {
    const messages = Array.from({ length: count * scenario.partitions }, (_, i) => ({ value: `v${sent++}`, partition: i % scenario.partitions }))
    // A send the isolation makes fail is not retried: the oracles are about what was read and committed.
    await clock.run(producer.send({ topic: TOPIC, acks: -1, timeout: 2000, messages })).catch(() => undefined)
  }

  const reached = new Set<(typeof WINDOWS)[number]>()
  const committed = (partition: number): number => Math.max(-1, ...commits.filter((c) => c.partition === partition).map((c) => c.offset))
  /** Each member's partitions, from its latest SyncGroup answer. */
  const owned = (clientId: string): ReadonlySet<number> =>
    new Set(joins.filter((j) => j.member === clientId).at(-1)?.partitions.filter((p) => p.topic === TOPIC).map((p) => p.partition) ?? [])
  // Watches (never matches): a member asks an isolated broker that still believes it leads a partition the member owns,
  // and the group has committed that partition beyond the isolated broker's log end.
  cluster.transport.hooks.add({
    api: 'Metadata',
    from: 'client',
    when: (_request, from, brokerId) => {
      if (from.kind !== 'client' || !cluster.isIsolated(brokerId)) return false
      const mine = owned(from.clientId)
      const stale = cluster
        .describe()
        .partitions.some(
          (p) =>
            p.topic === TOPIC &&
            mine.has(p.partition) &&
            p.leader !== brokerId &&
            p.replicaStates.some((r) => r.brokerId === brokerId && r.role === 'leader' && r.logEndOffset < committed(p.partition)),
        )
      if (stale) reached.add('a member learns a stale leader whose log ends below the commit')
      return false
    },
    action: { type: 'drop' },
  })

  const members: Member[] = []
  const join = async (staleOnly: boolean, ms: number): Promise<void> => {
    const clientId = `auditor-${members.length}`
    if (staleOnly) {
      // The new member's metadata can come only from an isolated broker for a while: the others drop its Metadata requests.
      const until = clock.now() + ms
      cluster.transport.hooks.add({
        api: 'Metadata',
        from: 'client',
        when: (_request, from, brokerId) => from.kind === 'client' && from.clientId === clientId && clock.now() < until && !cluster.isIsolated(brokerId),
        action: { type: 'drop' },
      })
    }
    const consumer = recordConsumer(new Kafka({ clientId, ...clientConfig }).consumer({ groupId: GROUP, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 200 }), recording, { process: clientId })
    const member: Member = { clientId, consumer, left: false }
    members.push(member)
    // Connecting may fail while the member can reach no broker that answers; the run goes on without it.
    await clock.run(consumer.connect()).catch(() => undefined)
    await clock.run(consumer.subscribe({ topics: [TOPIC], fromBeginning: scenario.fromBeginning })).catch(() => undefined)
    await clock.run(consumer.run({ autoCommitInterval: 200, eachMessage: async () => undefined })).catch(() => undefined)
  }

  await send(scenario.initial)
  await join(false, 0)
  // Past the group's initial rebalance delay: the first member owns every partition and has committed.
  await clock.advance(5000)
  for (const step of scenario.steps) {
    const live = members.filter((m) => !m.left)
    if (step.kind === 'send') await send(step.count)
    else if (step.kind === 'advance') await clock.advance(step.ms)
    else if (step.kind === 'heal') cluster.heal()
    else if (step.kind === 'join') await join(step.staleOnly, step.ms)
    else if (step.kind === 'leave') {
      if (live.length < 2) continue
      const member = live[step.member % live.length]!
      member.left = true
      await clock.run(member.consumer.disconnect()).catch(() => undefined)
    } else {
      const description = cluster.describe()
      const leader = description.partitions.find((p) => p.topic === TOPIC && p.partition === step.partition % scenario.partitions)?.leader ?? -1
      // Keep two brokers together, so that the controller can elect a new leader with min.insync.replicas=2.
      if (leader < 0 || description.brokers.some((b) => b.isolated)) continue
      cluster.isolateBroker(leader)
      reached.add('a leader isolated')
    }
  }
  cluster.heal()
  if (members.every((m) => m.left)) await join(false, 0)
  await clock.advance(15_000)

  const reports = [checkCommittedMonotonic(commits), checkNoDeliveryBelowCommit(recording.deliveries, joins, commits)]
  expect(anomaliesOf(reports), `${formatOracleReports(reports)}\n${JSON.stringify(scenario)}\n${cluster.describeText()}`).toEqual([])
  await clock.run(Promise.all(members.filter((m) => !m.left).map((m) => m.consumer.disconnect().catch(() => undefined))))
  await clock.run(producer.disconnect())
  await clock.run(admin.disconnect())
  coverage.record(Object.fromEntries(WINDOWS.map((w) => [w, reached.has(w)])))
}

describe('KIP-320: committed offsets and stale leaders', () => {
  it('a member joining while an old leader is cut off never resets below the group commit, and commits never go back', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, (scenario) => run(scenario)),
      { numRuns: RUNS },
    )
    console.info(`committed epoch coverage: ${coverage.toString()}`)
    if (RUNS >= 50) expect(coverage.below(0.1), coverage.toString()).toEqual([])
  }, 300_000)
})

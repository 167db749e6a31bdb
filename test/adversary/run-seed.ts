/**
 * One adversary run: builds the seed's scenario on a virtual-time cluster, runs the workload and the fault schedule
 * together, recovers (heal, restarts), lets the clients catch up, disconnects everything, reads the final log afresh
 * and hands every observation to the oracles. Deterministic: the same seed gives the same events.
 */
import { Cluster, History, Kafka, logLevel, PartitionAssigners, replayDeadLetters, VirtualClock, type Consumer, type Producer } from 'kafkalite'
import { applySchedule, describeSchedule } from '../../src/testing/faults/index.js'
import {
  anomaliesOf,
  checkAcknowledgedWrites,
  checkCallsSettled,
  checkClusterRecovered,
  checkCommittedMonotonic,
  checkConsumersCaughtUp,
  checkDenseOffsets,
  checkDisjointAssignments,
  checkExactlyOnceTransform,
  checkHistoryOracle,
  checkNoDeliveryBelowCommit,
  checkNoDuplicates,
  checkNoUnhandledErrors,
  checkReadCommitted,
  checkReadsInLog,
  readFinalLog,
  type Acknowledgement,
  type Anomaly,
  type CallRecord,
  type CommitEvent,
  type Delivery,
  type GenerationAssignment,
  type GroupLag,
  type OracleReport,
} from '../../src/testing/oracles/index.js'
import { NetworkObserver, type Window } from './network-observer.js'
import { scenarioForSeed, type Scenario } from './scenario.js'
import { createTransformer, inputOfOutput, type Transformer } from './transformer.js'

const PLAIN = 'plain'
const IDEM = 'idem'
const TXN = 'txn'
const CTP_IN = 'ctp-in'
const CTP_OUT = 'ctp-out'
const GROUP = 'workers'
const CTP_GROUP = 'transformers'
const JOBS = 'jobs'
const JOBS_DLT = 'jobs-dlt'
const JOBS_REPLAYED = 'jobs-replayed'
const JOBS_GROUP = 'jobs-workers'
const REQUEST_TIMEOUT = 2000
const RETRY = { retries: 5, initialRetryTime: 50, maxRetryTime: 1000 }
/**
 * The longest a call may take by its own settings: every attempt timing out, plus the backoffs, plus slack. One
 * attempt of a metadata refresh asks each broker in turn until one answers (a frozen client's request times out at
 * every one of them), so an attempt lasts up to one request timeout per broker.
 */
function callTimeoutFor(brokers: number): number {
  return (RETRY.retries + 1) * (brokers * REQUEST_TIMEOUT + RETRY.maxRetryTime) + 30_000
}
/** A consumer's run() joins the group first: a rebalance (rebalanceTimeout) after a session timeout, each retried. */
function joinTimeoutFor(brokers: number): number {
  return 2 * callTimeoutFor(brokers) + 10_000 + 6000
}

export interface SeedResult {
  readonly seed: number
  readonly scenario: Scenario
  readonly reports: readonly OracleReport[]
  readonly anomalies: readonly Anomaly[]
  readonly reached: ReadonlySet<Window>
  /** The run's events, one line each with its cluster time: the same seed must give the same lines. */
  readonly events: readonly string[]
}

interface Member {
  readonly id: string
  readonly consumer: Consumer
  frozen: boolean
  left: boolean
  /** Per partition: the next offset after the last record its handler finished. */
  readonly processed: Map<number, number>
}

/** Runs seed `seed` and judges it. */
export async function runSeed(seed: number): Promise<SeedResult> {
  const scenario = scenarioForSeed(seed)
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: scenario.brokers, clock, seed, minInsyncReplicas: 2, defaultReplicationFactor: 3, offsetsTopicNumPartitions: 3, transactionStateNumPartitions: 3, brokerSessionTimeoutMs: 2000, replicaLagTimeMaxMs: 5000 })
  const events: string[] = []
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason)
  }
  process.on('unhandledRejection', onUnhandled)
  process.on('uncaughtException', onUnhandled)
  let seq = 0
  const note = (line: string): number => {
    events.push(`${clock.now()} ${line}`)
    return seq++
  }
  const assignments: GenerationAssignment[] = []
  const commits: CommitEvent[] = []
  const deliveries: Delivery[] = []
  const acks: Acknowledgement[] = []
  const calls: CallRecord[] = []
  const history = new History({ now: () => clock.now() })
  const members: Member[] = []
  /**
   * A frozen member sends nothing: every request of its client is dropped. Hooks are first-match, so this one goes in
   * before the fault schedule's: a schedule hook that matched first would serve a frozen member's request (seed 4909:
   * an OffsetCommit whose answer a hook dropped landed, from a member frozen 200 ms before).
   */
  cluster.transport.hooks.add({ from: 'client', when: (_r, from) => from.kind === 'client' && members.some((m) => m.frozen && m.id === from.clientId), action: { type: 'drop' } })
  const observer = new NetworkObserver(
    cluster,
    {
      nextSeq: () => seq++,
      onAssignment: (a) => {
        assignments.push(a)
        events.push(`${clock.now()} sync ${a.member} gen ${a.generation} ${a.partitions.map((p) => `${p.topic}/${p.partition}`).join(',')}`)
        if (a.group === GROUP) {
          const committed = (p: number): number => Math.max(0, ...commits.filter((c) => c.group === GROUP && c.partition === p).map((c) => c.offset))
          if (members.some((m) => [...m.processed].some(([p, next]) => next > committed(p)))) observer.reached.add('rebalanceWithUncommittedProcessed')
          // A frozen member's assignment too: an answer already on its way when it froze still reaches it.
          history.record({ type: 'rebalance', process: a.member, partitions: a.partitions })
        }
      },
      onCommit: (c) => {
        commits.push(c)
        events.push(`${clock.now()} commit ${c.member} ${c.group} ${c.topic}/${c.partition}=${c.offset}`)
      },
    },
    new Set(['idempotent', 'transactional']),
  )
  const kafkaFor = (clientId: string): Kafka => new Kafka({ clientId, cluster, logLevel: logLevel.NOTHING, requestTimeout: REQUEST_TIMEOUT, retry: RETRY })
  const CALL_TIMEOUT = callTimeoutFor(scenario.brokers)
  const JOIN_TIMEOUT = joinTimeoutFor(scenario.brokers)
  const track = <T>(name: string, promise: Promise<T>, timeoutMs = CALL_TIMEOUT): Promise<T> => {
    const call = { name, started: clock.now(), timeoutMs, settled: null as number | null }
    calls.push(call)
    const settle = (): void => {
      call.settled = clock.now()
    }
    promise.then(settle, settle)
    return promise
  }
  let openTransactions = 0

  // Set-up, before any fault.
  const admin = kafkaFor('setup').admin()
  await clock.run(admin.connect())
  const topics = [PLAIN, IDEM, TXN, CTP_IN, CTP_OUT, JOBS, JOBS_DLT, JOBS_REPLAYED].map((topic) => ({ topic, numPartitions: scenario.partitions, replicationFactor: 3 }))
  await clock.run(admin.createTopics({ topics, waitForLeaders: true }))
  const ctpInputs = Array.from({ length: scenario.transformInputs }, (_, i) => `in-${i}`)
  // Jobs of the dead-letter workload: job i always fails when i % 3 === 0, fails its first call when i % 3 === 1.
  const jobs = Array.from({ length: scenario.jobs }, (_, i) => `job-${i}`)
  const alwaysFails = (job: string): boolean => Number(job.slice(4)) % 3 === 0
  const seeder = kafkaFor('seeder').producer()
  await clock.run(seeder.connect())
  if (ctpInputs.length > 0) await clock.run(seeder.send({ topic: CTP_IN, acks: -1, messages: ctpInputs.map((value) => ({ value })) }))
  if (jobs.length > 0) await clock.run(seeder.send({ topic: JOBS, acks: -1, messages: jobs.map((value) => ({ key: value, value })) }))
  await clock.run(seeder.disconnect())

  // The workload.
  const sendAll = async (producer: Producer, process: string, topic: string, count: number): Promise<void> => {
    await track(`${process}.connect`, producer.connect()).catch(() => undefined)
    for (let i = 0; i < count; i++) {
      const value = `${process}-${i}`
      try {
        const [meta] = await track(`${process}.send(${value})`, producer.send({ topic, acks: -1, timeout: scenario.ackTimeoutMs, messages: [{ value }] }))
        const offset = Number(meta!.baseOffset)
        acks.push({ topic, partition: meta!.partition, offset, value, producer: process })
        history.record({ type: 'send', process, topic, value, outcome: { type: 'ok', partition: meta!.partition, offset } })
        note(`ack ${value} ${topic}/${meta!.partition}@${offset}`)
      } catch (e) {
        history.record({ type: 'send', process, topic, value, outcome: { type: 'info', error: (e as Error).message } })
        note(`send-failed ${value} ${(e as Error).name}`)
      }
      await clock.sleep(scenario.sendGapMs)
    }
  }
  const aborted = new Set<string>()
  const committedTxnValues: string[] = []
  const transactions = async (): Promise<void> => {
    const producer = kafkaFor('transactional').producer({ transactionalId: 'txn-producer', idempotent: true, maxInFlightRequests: 1 })
    await track('transactional.connect', producer.connect()).catch(() => undefined)
    for (const [n, plan] of scenario.transactions.entries()) {
      const values = Array.from({ length: plan.records }, (_, i) => `txn-${n}-${i}`)
      openTransactions++
      try {
        const txn = await track(`transaction ${n}`, producer.transaction())
        for (const value of values) await track(`txn send ${value}`, txn.send({ topic: TXN, acks: -1, messages: [{ value }] }))
        if (plan.commit) await track(`commit ${n}`, txn.commit())
        else await track(`abort ${n}`, txn.abort())
        if (plan.commit) committedTxnValues.push(...values)
        else for (const v of values) aborted.add(v)
        note(`transaction ${n} ${plan.commit ? 'committed' : 'aborted'}`)
      } catch (e) {
        note(`transaction ${n} failed ${(e as Error).name}`)
      } finally {
        openTransactions--
      }
      await clock.sleep(scenario.sendGapMs)
    }
    await track('transactional.disconnect', producer.disconnect()).catch(() => undefined)
  }

  const assigners = [PartitionAssigners[scenario.assignor]]
  const startMember = async (): Promise<void> => {
    const id = `member-${members.length}`
    const consumer = kafkaFor(id).consumer({ groupId: GROUP, partitionAssigners: assigners, sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 10_000, maxWaitTimeInMs: 100, readUncommitted: true })
    const member: Member = { id, consumer, frozen: false, left: false, processed: new Map() }
    members.push(member)
    note(`start ${id}`)
    try {
      await startConsumer(member)
    } catch (error) {
      // A member whose start failed never runs, as an application's that gave up: it is gone, not live, so recovery starts
      // another. Seed 33916: the schedule failed the Metadata of member-0's subscribe (as KafkaJS, subscribe rejects on a
      // topic error other than LEADER_NOT_AVAILABLE), and with member-0 counted live nothing ever read the group's topic.
      member.left = true
      note(`start failed ${id}: ${error instanceof Error ? error.name : String(error)}`)
      await consumer.disconnect().catch(() => undefined)
      throw error
    }
  }
  const startConsumer = async (member: Member): Promise<void> => {
    const { id, consumer } = member
    await track(`${id}.connect`, consumer.connect())
    await track(`${id}.subscribe`, consumer.subscribe({ topics: [PLAIN], fromBeginning: true }))
    await track(
      `${id}.run`,
      consumer.run({
        autoCommitInterval: scenario.autoCommitInterval,
        eachMessage: async ({ topic, partition, message }) => {
          await clock.sleep(scenario.processingMs)
          const offset = Number(message.offset)
          const value = message.value?.toString() ?? ''
          // A record the handler was given is a read even if its member froze meanwhile: the oracles judge every
          // read, and the history checker's lost-write rule holds only if the history has them all.
          deliveries.push({ group: GROUP, member: id, topic, partition, offset, value, seq: note(`deliver ${id} ${topic}/${partition}@${offset} ${value}`) })
          history.record({ type: 'poll', process: id, records: [{ topic, partition, offset, value }] })
          // A frozen member's work never counts as processed: its commits are dropped, and the window is about live members.
          if (!member.frozen) member.processed.set(partition, offset + 1)
        },
      }),
      JOIN_TIMEOUT,
    )
  }
  const memberSteps = async (): Promise<void> => {
    let at = 0
    for (const step of [...scenario.memberSteps].sort((a, b) => a.atMs - b.atMs)) {
      await clock.sleep(step.atMs - at)
      at = step.atMs
      if (step.kind === 'join') await startMember().catch(() => undefined)
      else {
        const live = members.filter((m) => !m.frozen && !m.left)
        const member = live[step.index % Math.max(1, live.length)]
        if (member === undefined) continue
        note(`${step.kind} ${member.id}`)
        if (step.kind === 'leave') {
          member.left = true
          await track(`${member.id}.disconnect`, member.consumer.disconnect()).catch(() => undefined)
        } else {
          member.frozen = true
          // Only to stop its loops: everything it sends is dropped, so the group sees a silent crash.
          void member.consumer.disconnect().catch(() => undefined)
        }
      }
    }
  }

  const transformed = new Set<string>()
  const transformers: Transformer[] = []
  const runTransformer = async (index: number): Promise<void> => {
    const transformer = createTransformer({
      kafka: kafkaFor(`transformer-${index}`),
      index,
      groupId: CTP_GROUP,
      input: CTP_IN,
      output: CTP_OUT,
      joinTimeoutMs: JOIN_TIMEOUT,
      track,
      onTransaction: (open) => {
        openTransactions += open ? 1 : -1
      },
      onTransformed: (input) => {
        transformed.add(input)
        note(`transformed ${input} by ${index}`)
      },
    })
    transformers.push(transformer)
    try {
      await transformer.start()
    } catch (error) {
      await transformer.consumer.disconnect().catch(() => undefined)
      throw error
    }
  }
  /**
   * Runs `start`, and runs it again (a new client, a second later, three tries) if it fails, as a supervisor would:
   * nothing else restarts a transformer or a job worker. Seed 47764: the schedule failed the Metadata of both
   * transformers' subscribe at once, and with neither running no input was ever transformed; seed 49086 did the same to
   * both job workers, and no job was ever dead-lettered.
   */
  const supervise = async (name: string, start: () => Promise<void>): Promise<void> => {
    for (let tries = 0; tries < 3; tries++) {
      try {
        return await start()
      } catch (error) {
        note(`start failed ${name}: ${error instanceof Error ? error.name : String(error)}`)
        await clock.sleep(1000)
      }
    }
  }

  const jobCalls = new Map<string, number>()
  const succeededJobs = new Set<string>()
  const jobWorkers: Consumer[] = []
  const startJobWorker = async (i: number): Promise<void> => {
    const consumer = kafkaFor(`job-worker-${i}`).consumer({ groupId: JOBS_GROUP, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 })
    jobWorkers.push(consumer)
    try {
      await track(`job-worker-${i}.connect`, consumer.connect())
      await track(`job-worker-${i}.subscribe`, consumer.subscribe({ topics: [JOBS], fromBeginning: true }))
      await track(
        `job-worker-${i}.run`,
        consumer.run({
          retry: { attempts: 2, initialBackoffMs: 50, maxBackoffMs: 200 },
          deadLetter: { topic: JOBS_DLT },
          eachMessage: async ({ message }) => {
            const job = message.value?.toString() ?? ''
            const call = (jobCalls.get(job) ?? 0) + 1
            jobCalls.set(job, call)
            if (alwaysFails(job) || (Number(job.slice(4)) % 3 === 1 && call === 1)) throw new Error(`${job} failed call ${call}`)
            succeededJobs.add(job)
          },
        }),
        JOIN_TIMEOUT,
      )
    } catch (error) {
      await consumer.disconnect().catch(() => undefined)
      throw error
    }
  }

  const schedule = applySchedule(cluster, scenario.schedule, {
    onStep: (step, description) => {
      if (step.kind === 'wait') return
      note(`fault ${description}`)
      history.record({ type: 'fault', process: 'nemesis', description })
      if (step.kind === 'crash' || step.kind === 'isolate') {
        observer.beforeBrokerFault(step.broker)
        if (openTransactions > 0 && step.kind === 'crash') observer.reached.add('crashInOpenTransaction')
      }
    },
  })
  // The applier restarts inside its step; tell the observer just after, on the same tick.
  const restartBroker = cluster.restartBroker.bind(cluster)
  cluster.restartBroker = (id: number): void => {
    restartBroker(id)
    observer.afterRestart(id)
  }

  const slowFollower =
    scenario.slowReplication === null
      ? undefined
      : cluster.transport.hooks.add({ api: 'Fetch', from: 'broker', when: (_r, from) => from.kind === 'broker' && from.brokerId === scenario.slowReplication!.follower, action: { type: 'delay', ms: scenario.slowReplication.ms } })
  const phase = async (): Promise<void> => {
    const startMembers = async (): Promise<void> => {
      await clock.sleep(scenario.memberStartDelayMs)
      await Promise.all(Array.from({ length: scenario.members }, () => startMember().catch(() => undefined)))
    }
    const started = [startMembers()]
    const pipeline = ctpInputs.length > 0 ? [supervise('transformer-0', () => runTransformer(0)), supervise('transformer-1', () => runTransformer(1))] : []
    if (jobs.length > 0) pipeline.push(supervise('job-worker-0', () => startJobWorker(0)), supervise('job-worker-1', () => startJobWorker(1)))
    await Promise.all([
      schedule,
      sendAll(kafkaFor('plain').producer(), 'plain', PLAIN, scenario.plainRecords),
      sendAll(kafkaFor('idempotent').producer({ idempotent: true, maxInFlightRequests: 1 }), 'idempotent', IDEM, scenario.idempotentRecords),
      transactions(),
      memberSteps(),
      ...started,
      ...pipeline,
    ])
  }
  const anomaliesOfRun: Anomaly[] = []
  await clock.run(phase(), { maxMs: 600_000 }).catch((e: Error) => anomaliesOfRun.push({ kind: 'run-stuck', message: `the workload did not finish: ${e.message}` }))
  slowFollower?.remove()
  note('faults over')

  // Recovery: a live member must exist to catch up.
  if (members.every((m) => m.frozen || m.left)) await clock.run(startMember()).catch(() => undefined)
  const highs = async (topic: string): Promise<Map<number, number>> =>
    new Map((await clock.run(admin.fetchTopicOffsets(topic))).map((o) => [o.partition, Number(o.high)]))
  const plainEnds = await highs(PLAIN)
  const caughtUp = (): boolean =>
    [...plainEnds].every(([p, high]) => high === 0 || commits.some((c) => c.group === GROUP && c.partition === p && c.offset >= high)) &&
    ctpInputs.every((v) => transformed.has(v)) &&
    jobs.every((job) => alwaysFails(job) || succeededJobs.has(job))
  await clock.runUntil(caughtUp, { maxMs: 120_000 }).catch(() => undefined)
  // A dropped WriteTxnMarkers is retried after the coordinator's request.timeout.ms (30 s), as in Kafka: give the
  // markers that long before read_committed must show every committed transaction.
  await clock.advance(31_000)
  // Liveness is "eventually": followers may still be catching up to rejoin the ISR.
  const recovered = (): boolean => cluster.describe().partitions.every((p) => p.leader >= 0 && p.replicas.every((r) => p.isr.includes(r)))
  await clock.runUntil(recovered, { maxMs: 60_000 }).catch(() => undefined)
  const description = cluster.describe()

  // Disconnect everything; each must complete.
  for (const m of members) if (!m.frozen && !m.left) await clock.run(track(`${m.id}.disconnect`, m.consumer.disconnect(), 60_000), { maxMs: 120_000 }).catch(() => undefined)
  for (const t of transformers) {
    await clock.run(track('transformer.disconnect', t.consumer.disconnect(), 60_000), { maxMs: 120_000 }).catch(() => undefined)
    for (const producer of t.producers.values()) await clock.run(track('transformer.producer.disconnect', producer.disconnect(), 60_000), { maxMs: 120_000 }).catch(() => undefined)
    await clock.run(track('transformer.admin.disconnect', t.admin.disconnect(), 60_000), { maxMs: 120_000 }).catch(() => undefined)
  }

  for (const c of jobWorkers) await clock.run(track('job-worker.disconnect', c.disconnect(), 60_000), { maxMs: 120_000 }).catch(() => undefined)

  // Replay the dead letters: a tool call that must settle (succeed, or fail with a typed error).
  let replayedCount: number | null = null
  if (jobs.length > 0) {
    const replay = track('replayDeadLetters', replayDeadLetters(kafkaFor('replayer'), { from: JOBS_DLT, to: JOBS_REPLAYED }), CALL_TIMEOUT)
    await clock
      .run(replay, { maxMs: 2 * CALL_TIMEOUT })
      .then((r) => {
        replayedCount = r.replayed.length
      })
      .catch(() => undefined)
  }

  const lags: GroupLag[] = []
  const groupOffsets = await clock.run(admin.fetchOffsets({ groupId: GROUP, topics: [PLAIN] })).catch(() => [])
  for (const t of groupOffsets) {
    for (const p of t.partitions) {
      lags.push({ group: GROUP, topic: PLAIN, partition: p.partition, committed: Number(p.offset), end: plainEnds.get(p.partition) ?? 0 })
      // What the coordinator finally holds is the last word on each commit: it must not lie below an acknowledged one.
      if (Number(p.offset) >= 0) commits.push({ group: GROUP, topic: PLAIN, partition: p.partition, offset: Number(p.offset), member: 'the final OffsetFetch', seq: seq++, cause: 'commit' })
    }
  }
  await clock.run(admin.disconnect()).catch(() => undefined)

  // The final log, read afresh by a new client.
  const reader = kafkaFor('final-reader')
  const allTopics = [PLAIN, IDEM, TXN, CTP_OUT, JOBS_DLT]
  const uncommitted = await clock.run(readFinalLog(reader, clock, allTopics, { isolation: 'read_uncommitted' }))
  const committed = await clock.run(readFinalLog(reader, clock, allTopics, { isolation: 'read_committed' }))
  process.off('unhandledRejection', onUnhandled)
  process.off('uncaughtException', onUnhandled)

  const committedValues = new Set(committed.records.map((r) => r.value))
  const lostCommittedTxn: Anomaly[] = committedTxnValues
    .filter((v) => !committedValues.has(v))
    .map((v) => ({ kind: 'lost-committed-transaction', message: `"${v}" belongs to a committed transaction; read_committed does not return it` }))
  const deadLettered = uncommitted.records.filter((r) => r.topic === JOBS_DLT).map((r) => r.value)
  const deadLetterAnomalies: Anomaly[] = [
    ...jobs.filter((job) => alwaysFails(job) && !deadLettered.includes(job)).map((job) => ({ kind: 'dead-letter-missing', message: `${job} always fails, yet it is not in ${JOBS_DLT}` })),
    ...jobs.filter((job) => !alwaysFails(job) && deadLettered.includes(job)).map((job) => ({ kind: 'dead-letter-wrong', message: `${job} succeeded on a retry, yet it is in ${JOBS_DLT}` })),
    ...(jobs.length > 0 && replayedCount !== null && replayedCount !== deadLettered.length
      ? [{ kind: 'replay-incomplete', message: `replayDeadLetters replayed ${replayedCount} of the ${deadLettered.length} dead letters` }]
      : []),
  ]
  const reports: OracleReport[] = [
    { oracle: 'failing jobs, and only they, are dead-lettered and replayed', checked: jobs.length, anomalies: deadLetterAnomalies },
    checkAcknowledgedWrites(acks, uncommitted, committed),
    { oracle: 'committed transactions are in the final log', checked: committedTxnValues.length, anomalies: lostCommittedTxn },
    checkDenseOffsets(uncommitted, [PLAIN, IDEM]),
    checkNoDuplicates(uncommitted, [IDEM, TXN]),
    checkNoDuplicates(committed, [CTP_OUT]),
    checkReadsInLog(deliveries, uncommitted),
    checkReadCommitted(committed.records.filter((r) => r.topic === TXN), aborted),
    ...(ctpInputs.length > 0 ? [checkExactlyOnceTransform(ctpInputs, committed.records.filter((r) => r.topic === CTP_OUT), (out) => inputOfOutput(out.value), transformed)] : []),
    checkDisjointAssignments(assignments),
    checkCommittedMonotonic(commits.filter((c) => c.group === GROUP)),
    checkNoDeliveryBelowCommit(deliveries, assignments.filter((a) => a.group === GROUP), commits.filter((c) => c.group === GROUP)),
    checkClusterRecovered(description.partitions),
    checkConsumersCaughtUp(lags),
    checkCallsSettled(calls),
    checkNoUnhandledErrors(unhandled),
    checkHistoryOracle(history, { idempotent: false, drained: false }),
  ]
  if (anomaliesOfRun.length > 0) reports.push({ oracle: 'the run finishes', checked: 1, anomalies: anomaliesOfRun })
  return { seed, scenario, reports, anomalies: anomaliesOf(reports), reached: observer.reached, events }
}

/** The schedule and plan of a seed, to print with its anomalies. */
export function describeScenario(scenario: Scenario): string {
  const { schedule, ...plan } = scenario
  return `${JSON.stringify(plan)}\nfault schedule:\n${describeSchedule(schedule)}`
}

/**
 * One patterns-adversary run: a service of listener containers (a typed topic, blocking retries, retry topics, a
 * dead-letter topic) handles records while brokers crash, restart and lose requests or answers, and while its own
 * instances crash, are replaced, scale out and scale in; then the dead letters are replayed under a second fault
 * schedule. The final log, read afresh, goes to oracles that share no code with the patterns layer. Deterministic:
 * the same seed gives the same events.
 */
import { Cluster, Kafka, kafkaListener, type KafkaLike, logLevel, replayDeadLetters, startListeners, typedTopic, VirtualClock, type ListenerContainer, type ListenerContext, type ListenerEvent } from 'kafkalite'
import { applySchedule, describeSchedule } from '../../src/testing/faults/index.js'
import {
  anomaliesOf,
  checkCallsSettled,
  checkClusterRecovered,
  checkConsumersCaughtUp,
  checkNoUnhandledErrors,
  type Anomaly,
  type CallRecord,
  type GroupLag,
  type OracleReport,
} from '../../src/testing/oracles/index.js'
import { PatternsObserver, type PatternsWindow } from './patterns-observer.js'
import { checkForwardedHeaders, checkOutcomes, checkReplayed } from './patterns-oracles.js'
import { patternsScenarioForSeed, type LossTarget, type PatternsScenario, type RecordPlan, type TargetedLoss } from './patterns-scenario.js'
import { readRawLog } from './raw-log-reader.js'

const MAIN = 'orders'
const DLT = 'orders-dlt'
const REPLAYED = 'orders-replayed'
const GROUP = 'fulfilment'
const REPLAY_GROUP = 'dlt-replayer'
const REQUEST_TIMEOUT = 2000
const RETRY = { retries: 5, initialRetryTime: 50, maxRetryTime: 1000 }
/**
 * The longest a call may take by its own settings: every attempt timing out, plus the backoffs, plus slack; one
 * attempt of a metadata refresh may ask every broker in turn (as the core adversary counts it).
 */
function callTimeoutFor(brokers: number): number {
  return (RETRY.retries + 1) * (brokers * REQUEST_TIMEOUT + RETRY.maxRetryTime) + 30_000
}

/** A retryable failure of the handler. */
class JobFailedError extends Error {
  override name = 'JobFailedError'
}
/** A failure not worth retrying (`notRetryable`): straight to the dead-letter topic. */
class FatalJobError extends Error {
  override name = 'FatalJobError'
}

interface Order {
  id: string
}

export interface PatternsSeedResult {
  readonly seed: number
  readonly scenario: PatternsScenario
  readonly reports: readonly OracleReport[]
  readonly anomalies: readonly Anomaly[]
  readonly reached: ReadonlySet<PatternsWindow>
  readonly events: readonly string[]
}

/** One instance of the service: one process, one listener container. */
interface Instance {
  readonly id: string
  container: ListenerContainer | null
  crashed: boolean
  stopped: boolean
  /** Calls of this instance that are a retry (attempt or delivery after the first), now running. */
  retrying: number
  /** Until when this instance waits out a blocking backoff. */
  backoffUntil: number
}

/** The retry topics of the plan, as Spring names them (`<topic>-retry-<delay>`), with the deliveries each carries. */
function retryTopicsOf(delays: readonly number[]): Map<string, number[]> {
  const topics = new Map<string, number[]>()
  delays.forEach((delay, i) => topics.set(`${MAIN}-retry-${delay}`, [...(topics.get(`${MAIN}-retry-${delay}`) ?? []), i + 2]))
  return topics
}

/** Runs patterns seed `seed` and judges it. */
export async function runPatternsSeed(seed: number): Promise<PatternsSeedResult> {
  const scenario = patternsScenarioForSeed(seed)
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: scenario.brokers, clock, seed, minInsyncReplicas: 2, defaultReplicationFactor: 3, offsetsTopicNumPartitions: 3, brokerSessionTimeoutMs: 2000, replicaLagTimeMaxMs: 5000 })
  const events: string[] = []
  const note = (line: string): void => void events.push(`${clock.now()} ${line}`)
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason)
  process.on('unhandledRejection', onUnhandled)
  process.on('uncaughtException', onUnhandled)
  const CALL_TIMEOUT = callTimeoutFor(scenario.brokers)
  /** Starting a container creates nothing (the topics exist) but joins groups: a rebalance after a session timeout. */
  const START_TIMEOUT = 2 * CALL_TIMEOUT + 10_000 + 6000
  const calls: CallRecord[] = []
  const track = <T>(name: string, promise: Promise<T>, timeoutMs = CALL_TIMEOUT): Promise<T> => {
    const call = { name, started: clock.now(), timeoutMs, settled: null as number | null }
    calls.push(call)
    const settle = (): void => void (call.settled = clock.now())
    promise.then(settle, settle)
    return promise
  }
  const kafkaFor = (clientId: string): Kafka => new Kafka({ clientId, cluster, logLevel: logLevel.NOTHING, requestTimeout: REQUEST_TIMEOUT, retry: RETRY })

  const retryTopics = retryTopicsOf(scenario.retryDelaysMs)
  const retryDelayOf = new Map(scenario.retryDelaysMs.map((delay) => [`${MAIN}-retry-${delay}`, delay]))
  const retryGroups = new Set(scenario.retryDelaysMs.map((delay) => `${GROUP}-retry-${delay}`))
  const forwardTopics = new Set([...retryTopics.keys(), DLT])
  /** The dead-letter topic's end offsets when the replay begins. */
  const deadLetterEnds = new Map<number, number>()
  const observer = new PatternsObserver(cluster, { retryGroups, forwardTopics, replayGroup: REPLAY_GROUP, replayEnds: deadLetterEnds, deadLetterTopic: DLT })
  const reached = observer.reached
  const requestOf: Record<LossTarget, { api: 'OffsetCommit' | 'Produce'; when: (request: unknown) => boolean }> = {
    mainCommit: { api: 'OffsetCommit', when: (r) => (r as { groupId: string }).groupId === GROUP },
    retryCommit: { api: 'OffsetCommit', when: (r) => retryGroups.has((r as { groupId: string }).groupId) },
    forwardedRecord: { api: 'Produce', when: (r) => (r as { topics: Array<{ topic: string }> }).topics.some((t) => forwardTopics.has(t.topic)) },
    replayCommit: { api: 'OffsetCommit', when: (r) => (r as { groupId: string }).groupId === REPLAY_GROUP },
    replayLastCommit: {
      api: 'OffsetCommit',
      when: (r) => {
        const commit = r as { groupId: string; topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: number }> }> }
        return commit.groupId === REPLAY_GROUP && commit.topics.some((t) => t.topic === DLT && t.partitions.some((p) => Number(p.offset) === deadLetterEnds.get(p.partition)))
      },
    },
    replayProduce: { api: 'Produce', when: (r) => (r as { topics: Array<{ topic: string }> }).topics.some((t) => t.topic === REPLAYED) },
  }
  const instances: Instance[] = []
  /**
   * A crashed instance sends nothing: every request of its client is dropped. Hooks are first-match, so this one goes
   * in before the losses and the fault schedule: one of theirs matching first would serve a dead process's request.
   */
  cluster.transport.hooks.add({ from: 'client', when: (_r, from) => from.kind === 'client' && instances.some((i) => i.crashed && i.id === from.clientId), action: { type: 'drop' } })
  const lossHooks: Array<{ remove(): void }> = []
  /** Ends the losses that have not fired yet, as the schedule's recovery does for its own hooks. */
  const endLosses = (): void => lossHooks.splice(0).forEach((hook) => hook.remove())
  /** Installs each targeted loss at its time; resolves when all are installed (each ends after `times`, or at `endLosses`). */
  const applyLosses = async (losses: readonly TargetedLoss[]): Promise<void> => {
    let at = 0
    for (const loss of [...losses].sort((a, b) => a.atMs - b.atMs)) {
      await clock.sleep(loss.atMs - at)
      at = loss.atMs
      note(`loss ${loss.action} ${loss.target} x${loss.times}`)
      const { api, when } = requestOf[loss.target]
      lossHooks.push(cluster.transport.hooks.add({ api, from: 'client', when: (request) => when(request), action: { type: loss.action }, times: loss.times }))
    }
  }

  // Set-up, before any fault: every topic exists, so that starting a container only joins groups.
  const admin = kafkaFor('setup').admin()
  await clock.run(admin.connect())
  const topicNames = [MAIN, ...retryTopics.keys(), DLT, REPLAYED]
  await clock.run(admin.createTopics({ topics: topicNames.map((topic) => ({ topic, numPartitions: scenario.partitions, replicationFactor: 3 })), waitForLeaders: true }))
  const orders = typedTopic<Order>({ name: MAIN, key: (order) => order.id })
  const plans = new Map<string, RecordPlan>()
  const messageOf = (key: string, plan: RecordPlan) => (plan.kind === 'poison' ? { key, value: Buffer.from(`{"id": "${key}", not json`) } : orders.message({ id: key }))
  const seeded = scenario.records.map((plan, i) => {
    plans.set(`r-${i}`, plan)
    return messageOf(`r-${i}`, plan)
  })
  const seeder = kafkaFor('seeder').producer()
  await clock.run(seeder.connect())
  await clock.run(seeder.send({ topic: MAIN, acks: -1, messages: seeded }))
  await clock.run(seeder.disconnect())
  scenario.lateRecords.forEach((plan, i) => plans.set(`late-${i}`, plan))

  // The service.
  const calls_ = new Map<string, number>()
  const succeeded = new Set<string>()
  const deadLettered = new Set<string>()
  /** Records between their first failure and their outcome. */
  const midChain = new Set<string>()
  const handlerOf = (instance: Instance) => async (order: Order, context: ListenerContext): Promise<void> => {
    const key = order.id
    const call = (calls_.get(key) ?? 0) + 1
    calls_.set(key, call)
    const retry = context.attempt > 1 || context.delivery > 1
    if (retry) instance.retrying++
    note(`call ${instance.id} ${key} delivery ${context.delivery} attempt ${context.attempt} #${call}`)
    try {
      if (succeeded.has(key)) reached.add('handledAgain')
      await clock.sleep(scenario.processingMs)
      // A dead process does nothing more: what it would send is lost anyway.
      if (instance.crashed) throw new Error(`${instance.id} is dead`)
      const plan = plans.get(key)!
      try {
        if (plan.kind === 'always') throw new JobFailedError(`${key}: always fails`)
        if (plan.kind === 'fatal') throw new FatalJobError(`${key}: cannot be done`)
        if (plan.kind === 'flaky' && call <= plan.failures) throw new JobFailedError(`${key}: failed call ${call}`)
        if (plan.kind === 'hang' && call <= plan.failures) {
          await clock.sleep(scenario.timeoutMs * 3)
          throw new JobFailedError(`${key}: hung on call ${call}`)
        }
      } catch (error) {
        midChain.add(key)
        throw error
      }
      if (instance.crashed) throw new Error(`${instance.id} is dead`)
      succeeded.add(key)
      midChain.delete(key)
      note(`succeeded ${key}`)
    } finally {
      if (retry) instance.retrying--
    }
  }
  const onEventOf = (instance: Instance) => (event: ListenerEvent): void => {
    const key = event.message.key?.toString() ?? ''
    if (event.type === 'backoff') instance.backoffUntil = clock.now() + (event.delayMs ?? 0)
    if (event.type === 'dead-lettered') {
      deadLettered.add(key)
      midChain.delete(key)
    }
    if (event.type === 'forwarded-to-retry-topic' || event.type === 'dead-lettered') note(`${event.type} ${instance.id} ${key} -> ${event.target}`)
  }
  /**
   * The instance's client, with its producer (the container's one, for retry and dead-letter topics) watched for failed
   * sends. Being a plain KafkaLike, it exposes no clock or random: the container is given the cluster's (else its
   * backoff jitter would come from an unseeded generator and the run would not replay).
   */
  const watchedKafka = (instance: Instance): KafkaLike => {
    const kafka = kafkaFor(instance.id)
    return {
      admin: () => kafka.admin(),
      consumer: (config) => kafka.consumer(config),
      producer: (config) => {
        const producer = kafka.producer(config)
        return {
          connect: () => producer.connect(),
          disconnect: () => producer.disconnect(),
          send: (record) =>
            producer.send(record).catch((error: unknown) => {
              if (!instance.crashed) reached.add('forwardFailed')
              throw error
            }),
        }
      },
    }
  }
  const notRetryable = [FatalJobError]
  const startInstance = async (): Promise<void> => {
    const instance: Instance = { id: `svc-${instances.length}`, container: null, crashed: false, stopped: false, retrying: 0, backoffUntil: 0 }
    instances.push(instance)
    if (midChain.size > 0) reached.add('scaleOutDuringRetry')
    note(`start ${instance.id}`)
    const listener = kafkaListener<Order>(
      {
        topic: orders,
        groupId: GROUP,
        fromBeginning: true,
        retry: { attempts: scenario.attempts, initialBackoffMs: scenario.backoffMs, maxBackoffMs: scenario.backoffMs * 4, timeoutMs: scenario.timeoutMs, notRetryable },
        ...(scenario.retryDelaysMs.length > 0 ? { retryTopics: { delaysMs: scenario.retryDelaysMs, notRetryable } } : {}),
        deadLetter: { topic: DLT },
      },
      handlerOf(instance),
      instance.id,
    )
    const consumer = { sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 10_000, maxWaitTimeInMs: 100 }
    instance.container = await track(`${instance.id}.start`, startListeners(watchedKafka(instance), [listener], { cluster, consumer, onEvent: onEventOf(instance) }), START_TIMEOUT)
    note(`started ${instance.id}`)
  }
  /** A supervisor: a process that fails to start is started again, a few times. */
  const superviseStart = async (): Promise<void> => {
    for (let tries = 0; tries < 3; tries++) {
      try {
        return await startInstance()
      } catch (e) {
        note(`start failed ${(e as Error).name}`)
        await clock.sleep(1000)
      }
    }
  }
  const running = (): Instance[] => instances.filter((i) => i.container !== null && !i.crashed && !i.stopped)
  const stopInstance = async (instance: Instance): Promise<void> => {
    instance.stopped = true
    note(`stop ${instance.id}`)
    await track(`${instance.id}.stop`, instance.container!.stop(), CALL_TIMEOUT).catch(() => undefined)
  }
  const crashInstance = (instance: Instance): void => {
    instance.crashed = true
    note(`crash ${instance.id}`)
    if (instance.retrying > 0 || instance.backoffUntil > clock.now()) reached.add('crashDuringRetry')
    // Only to stop its loops: everything it sends is dropped, so the cluster sees a silent death.
    void instance.container!.stop().catch(() => undefined)
  }
  const instanceSteps = async (): Promise<void> => {
    let at = 0
    const restarts: Array<Promise<void>> = []
    for (const step of [...scenario.instanceSteps].sort((a, b) => a.atMs - b.atMs)) {
      await clock.sleep(step.atMs - at)
      at = step.atMs
      if (step.kind === 'start') {
        await superviseStart()
        continue
      }
      const live = running()
      const instance = live[step.index % Math.max(1, live.length)]
      if (instance === undefined) continue
      if (step.kind === 'stop') await stopInstance(instance)
      else {
        crashInstance(instance)
        restarts.push(clock.sleep(step.restartAfterMs).then(superviseStart))
      }
    }
    await Promise.all(restarts)
  }
  const acked = new Set(plans.keys())
  for (const key of plans.keys()) if (key.startsWith('late-')) acked.delete(key)
  const lateSends = async (): Promise<void> => {
    const producer = kafkaFor('late').producer()
    await track('late.connect', producer.connect()).catch(() => undefined)
    for (const [i, plan] of scenario.lateRecords.entries()) {
      await clock.sleep(scenario.sendGapMs)
      const key = `late-${i}`
      try {
        await track(`late.send(${key})`, producer.send({ topic: MAIN, acks: -1, messages: [messageOf(key, plan)] }))
        acked.add(key)
        note(`sent ${key}`)
      } catch (e) {
        note(`send failed ${key} ${(e as Error).name}`)
      }
    }
    await track('late.disconnect', producer.disconnect()).catch(() => undefined)
  }

  const schedule = applySchedule(cluster, scenario.schedule, {
    onStep: (step, description) => {
      if (step.kind === 'wait') return
      note(`fault ${description}`)
      if (step.kind === 'crash' && midChain.size > 0) reached.add('brokerCrashDuringRetry')
    },
  })
  const anomaliesOfRun: Anomaly[] = []
  const work = Promise.all([schedule, applyLosses(scenario.losses), lateSends(), instanceSteps(), ...Array.from({ length: scenario.instances }, () => superviseStart())])
  await clock.run(work, { maxMs: 600_000 }).catch((e: Error) => anomaliesOfRun.push({ kind: 'run-stuck', message: `the workload did not finish: ${e.message}` }))
  endLosses()
  note('faults over')

  // Recovery: a live instance must exist to finish the work.
  if (running().length === 0) await clock.run(superviseStart()).catch(() => undefined)
  const settled = (): boolean => [...acked].every((key) => succeeded.has(key) || deadLettered.has(key))
  await clock.runUntil(settled, { maxMs: 180_000 }).catch(() => undefined)
  // Liveness is "eventually": followers may still be catching up to rejoin the ISR, and what was appended while a
  // partition's ISR was below min.insync.replicas (a forward that timed out, say) becomes readable only then, as the
  // high watermark holds until it does (seed 5210). The instances must still be running to read it.
  const recovered = (): boolean => cluster.describe().partitions.every((p) => p.leader >= 0 && p.replicas.every((r) => p.isr.includes(r)))
  await clock.runUntil(recovered, { maxMs: 60_000 }).catch(() => undefined)
  await clock.runUntil(settled, { maxMs: 180_000 }).catch(() => undefined)
  // Let the last offsets be committed (auto-commit every 5 s), then stop every instance: each stop must settle.
  await clock.advance(6000)
  for (const instance of running()) await clock.run(stopInstance(instance), { maxMs: 2 * CALL_TIMEOUT }).catch(() => undefined)
  await clock.runUntil(recovered, { maxMs: 60_000 }).catch(() => undefined)
  const description = cluster.describe()
  const lags: GroupLag[] = []
  const consumedBy = new Map<string, string[]>([[GROUP, [MAIN]]])
  for (const [topic, delay] of retryDelayOf) consumedBy.set(`${GROUP}-retry-${delay}`, [...(consumedBy.get(`${GROUP}-retry-${delay}`) ?? []), topic])
  for (const [group, topics] of consumedBy) {
    const ends = new Map<string, number>()
    for (const topic of topics) for (const o of await clock.run(admin.fetchTopicOffsets(topic))) ends.set(`${topic}/${o.partition}`, Number(o.high))
    const committed = await clock.run(admin.fetchOffsets({ groupId: group, topics })).catch(() => [])
    // An empty partition needs no commit.
    for (const t of committed) for (const p of t.partitions) if ((ends.get(`${t.topic}/${p.partition}`) ?? 0) > 0) lags.push({ group, topic: t.topic, partition: p.partition, committed: Number(p.offset), end: ends.get(`${t.topic}/${p.partition}`) ?? 0 })
  }

  // Replay the dead letters under a second fault schedule: each call settles, succeeds or fails with a typed error;
  // the durable group lets the next call carry on, and once the faults are over a call must finish the job.
  for (const o of await clock.run(admin.fetchTopicOffsets(DLT))) deadLetterEnds.set(o.partition, Number(o.high))
  let replayDone = false
  const replayErrors: Anomaly[] = []
  let replayFailures = 0
  const replayOnce = async (n: number): Promise<void> => {
    try {
      const result = await track(`replayDeadLetters #${n}`, replayDeadLetters(kafkaFor(`replayer-${n}`), { from: DLT, to: REPLAYED, groupId: REPLAY_GROUP }), 2 * CALL_TIMEOUT)
      replayDone = true
      if (replayFailures > 0) reached.add('replayResumed')
      note(`replay #${n} replayed ${result.replayed.length}`)
    } catch (e) {
      replayFailures++
      const name = (e as Error)?.name ?? String(e)
      note(`replay #${n} failed ${name}`)
      if (!(e instanceof Error) || !(name === 'TopicReadError' || name.startsWith('KafkaJS'))) {
        replayErrors.push({ kind: 'replay-untyped-error', message: `replayDeadLetters #${n} failed with ${name}: ${(e as Error)?.message}` })
      }
    }
  }
  let replays = 0
  const replayUnderFaults = async (): Promise<void> => {
    while (!replayDone && replays < 4) {
      await replayOnce(replays++)
      if (!replayDone) await clock.sleep(1000)
    }
  }
  const replaySchedule = applySchedule(cluster, scenario.replaySchedule, { onStep: (step, description) => step.kind !== 'wait' && note(`fault ${description}`) })
  await clock.run(Promise.all([replaySchedule, applyLosses(scenario.replayLosses), replayUnderFaults()]), { maxMs: 600_000 }).catch((e: Error) => anomaliesOfRun.push({ kind: 'run-stuck', message: `the replay did not finish: ${e.message}` }))
  endLosses()
  if (!replayDone) {
    await clock.runUntil(recovered, { maxMs: 60_000 }).catch(() => undefined)
    await clock.run(replayOnce(replays++), { maxMs: 4 * CALL_TIMEOUT }).catch(() => undefined)
    if (!replayDone) replayErrors.push({ kind: 'replay-never-finished', message: 'no replayDeadLetters call succeeded, not even after the faults were over' })
  }
  await clock.run(admin.disconnect()).catch(() => undefined)

  const log = await clock.run(readRawLog(kafkaFor('final-reader'), clock, topicNames))
  process.off('unhandledRejection', onUnhandled)
  process.off('uncaughtException', onUnhandled)
  const inTopic = (topic: string) => log.records.filter((r) => r.topic === topic)
  const observations = { mainTopic: MAIN, group: GROUP, retryTopicDeliveries: retryTopics, retryDelayOf, deadLetterTopic: DLT, plans, succeeded }
  const reports: OracleReport[] = [
    { oracle: 'the final log reads to its end', checked: 1, anomalies: log.complete ? [] : [{ kind: 'final-log-unreadable', message: 'the final reader did not reach every high watermark' }] },
    checkForwardedHeaders(inTopic(MAIN), log.records.filter((r) => retryTopics.has(r.topic)), inTopic(DLT), observations),
    checkOutcomes(inTopic(MAIN), inTopic(DLT), observations),
    checkReplayed(inTopic(DLT), inTopic(REPLAYED)),
    { oracle: 'replayDeadLetters settles: it succeeds, or fails with a typed error', checked: replays, anomalies: replayErrors },
    checkClusterRecovered(description.partitions),
    checkConsumersCaughtUp(lags),
    checkCallsSettled(calls),
    checkNoUnhandledErrors(unhandled),
  ]
  if (anomaliesOfRun.length > 0) reports.push({ oracle: 'the run finishes', checked: 1, anomalies: anomaliesOfRun })
  return { seed, scenario, reports, anomalies: anomaliesOf(reports), reached, events }
}

/** The plan and fault schedules of a seed, to print with its anomalies. */
export function describePatternsScenario(scenario: PatternsScenario): string {
  const { schedule, replaySchedule, ...plan } = scenario
  return `${JSON.stringify(plan)}\nfault schedule:\n${describeSchedule(schedule)}\nduring the replay:\n${describeSchedule(replaySchedule)}`
}

/**
 * Issue 4's isolation guarantee: a read_committed reader never sees a record of an open or aborted transaction,
 * whatever the interleaving of transactional sends, commits, aborts, fencing by a new producer with the same
 * transactional id, transaction timeouts and broker crashes; and once everything settles it sees every record of
 * every committed transaction exactly once.
 *
 * The windows it is about, each asserted to be reached by a fair share of the runs:
 * - `brokerCrashInOpenTxn`: a broker crashes while a transaction with records is open (its records, and the markers
 *   that end it later, meet a new leader);
 * - `fencedInOpenTxn`: a producer is replaced (fenced) while its transaction with records is open (the coordinator
 *   must abort it);
 * - `readWhileTxnOpen`: a reader looks while a transaction with records is open (it must not see them).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Cluster, brokerSideOf } from '../../src/cluster.js'
import { Kafka } from '../../src/client/kafka.js'
import type { Producer } from '../../src/client/producer/producer.js'
import type { Transaction } from '../../src/client/producer/transaction.js'
import { VirtualClock } from '../../src/time/virtual-clock.js'
import { Coverage } from '../support/coverage.js'
import { readCommittedMessages } from '../support/read-committed.js'

const PARTITIONS = 2
const PRODUCERS = 2
const RUNS = Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 100)
/** Each window must be reached by at least this share of the runs. */
const FAIR_SHARE = 0.1
const coverage = new Coverage(['brokerCrashInOpenTxn', 'fencedInOpenTxn', 'readWhileTxnOpen'] as const)

type Step =
  | { kind: 'send'; producer: number; partition: number; count: number }
  | { kind: 'commit'; producer: number }
  | { kind: 'abort'; producer: number }
  | { kind: 'replace'; producer: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'crash'; broker: number }
  | { kind: 'observe' }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('send' as const), producer: fc.nat(PRODUCERS - 1), partition: fc.nat(PARTITIONS - 1), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('commit' as const), producer: fc.nat(PRODUCERS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abort' as const), producer: fc.nat(PRODUCERS - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), producer: fc.nat(PRODUCERS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 8000 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('crash' as const), broker: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'observe' as const }) },
)

type Fate = 'open' | 'committing' | 'committed' | 'aborted'

interface Slot {
  producer: Producer
  txn?: { handle: Transaction; id: number }
}

async function run(steps: Step[]): Promise<void> {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: 3, clock, seed: 2, minInsyncReplicas: 2 })
  const kafka = new Kafka({ clientId: 'rc', cluster, logLevel: 0, requestTimeout: 1000, retry: { retries: 20, initialRetryTime: 50, maxRetryTime: 500 } })
  const admin = kafka.admin()
  await clock.run(admin.connect())
  await clock.run(admin.createTopics({ topics: [{ topic: 'out', numPartitions: PARTITIONS, replicationFactor: 3 }] }))
  const fates = new Map<number, Fate>()
  const valuesOf = new Map<number, string[]>()
  let nextTxn = 0
  const newProducer = async (k: number): Promise<Producer> => {
    const p = kafka.producer({ transactionalId: `tx-${k}`, transactionTimeout: 5000 })
    await clock.run(p.connect())
    return p
  }
  const slots: Slot[] = []
  for (let k = 0; k < PRODUCERS; k++) slots.push({ producer: await newProducer(k) })
  // A transaction whose end we did not see finish: aborted unless a commit was asked for.
  const settle = (id: number) => fates.set(id, fates.get(id) === 'committing' ? 'committing' : 'aborted')

  const observe = async (): Promise<string[]> => {
    const seen: string[] = []
    for (const m of await readCommittedMessages(clock, cluster, 'out', PARTITIONS)) {
      const value = m.value!.toString()
      const fate = fates.get(Number(value.split(':')[1]))
      expect(fate === 'committing' || fate === 'committed', `read_committed saw ${value} of a transaction that is ${fate}`).toBe(true)
      seen.push(value)
    }
    expect(new Set(seen).size, 'no record twice').toBe(seen.length)
    return seen
  }

  const reached = { brokerCrashInOpenTxn: false, fencedInOpenTxn: false, readWhileTxnOpen: false }
  const openAtCoordinator = (k: number) => brokerSideOf(cluster).transactionCoordinator.transaction(`tx-${k}`)?.state === 'Ongoing'
  const anyOpen = () => slots.some((_, k) => openAtCoordinator(k))
  for (const step of steps) {
    if (step.kind === 'send') {
      const slot = slots[step.producer]!
      if (slot.txn === undefined) {
        const handle = await clock.run(slot.producer.transaction()).catch(() => undefined)
        if (handle === undefined) continue
        slot.txn = { handle, id: nextTxn++ }
        fates.set(slot.txn.id, 'open')
      }
      const id = slot.txn.id
      const values = Array.from({ length: step.count }, (_, i) => `${step.producer}:${id}:${valuesOf.get(id)?.length ?? 0}.${i}`)
      valuesOf.set(id, [...(valuesOf.get(id) ?? []), ...values])
      await clock.run(slot.txn.handle.send({ topic: 'out', messages: values.map((value) => ({ value, partition: step.partition })) })).catch(() => undefined)
    } else if (step.kind === 'commit' || step.kind === 'abort') {
      const slot = slots[step.producer]!
      if (slot.txn === undefined) continue
      const { handle, id } = slot.txn
      slot.txn = undefined
      if (step.kind === 'commit') fates.set(id, 'committing')
      const ok = await clock.run(step.kind === 'commit' ? handle.commit() : handle.abort()).then(
        () => true,
        () => false,
      )
      if (ok) fates.set(id, step.kind === 'commit' ? 'committed' : 'aborted')
      else {
        settle(id)
        // A failed end leaves the producer unusable for this test's purposes: replace it (fencing the old one).
        slots[step.producer] = { producer: await newProducer(step.producer) }
      }
    } else if (step.kind === 'replace') {
      reached.fencedInOpenTxn ||= openAtCoordinator(step.producer)
      const slot = slots[step.producer]!
      if (slot.txn !== undefined) settle(slot.txn.id)
      slots[step.producer] = { producer: await newProducer(step.producer) }
    } else if (step.kind === 'advance') {
      await clock.advance(step.ms)
    } else if (step.kind === 'crash') {
      if (brokerSideOf(cluster).broker(step.broker).isUp) {
        reached.brokerCrashInOpenTxn ||= anyOpen()
        cluster.crashBroker(step.broker)
        await clock.advance(200)
        cluster.restartBroker(step.broker)
      }
    } else {
      reached.readWhileTxnOpen ||= anyOpen()
      await observe()
    }
  }
  // Past every transaction timeout: what is still open gets aborted by the coordinator.
  for (const slot of slots) if (slot.txn !== undefined) settle(slot.txn.id)
  await clock.advance(20_000)
  await clock.run(brokerSideOf(cluster).transactionCoordinator.markersWritten())
  await clock.runUntil(() => brokerSideOf(cluster).controller.topics.get('out')!.partitions.every((p) => p.isr.length === 3))
  await clock.advance(1000)
  const seen = new Set(await observe())
  for (const [id, fate] of fates) {
    for (const value of valuesOf.get(id) ?? []) {
      if (fate === 'committed') expect(seen.has(value), `committed ${value} is visible`).toBe(true)
      if (fate === 'aborted' || fate === 'open') expect(seen.has(value)).toBe(false)
    }
  }
  coverage.record(reached)
}

describe('read_committed', () => {
  it('never sees an open or aborted transaction, and sees every committed one exactly once', async () => {
    await fc.assert(fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 25 }), (steps) => run(steps)), { numRuns: RUNS })
    console.info(`read_committed coverage: ${coverage.toString()}`)
    expect(coverage.below(FAIR_SHARE), coverage.toString()).toEqual([])
  })
})

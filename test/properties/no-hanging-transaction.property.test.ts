/**
 * No hanging transaction (KIP-890 part 1): whatever a transactional producer does, and whatever of its Produce requests
 * arrive late or twice, once every transaction has ended (committed, aborted, fenced or timed out) no partition keeps
 * an open transaction, so read_committed readers are never stuck. Random schedules on the raw protocol: InitProducerId
 * (fencing the previous epoch), AddPartitionsToTxn, transactional Produce, EndTxn, stray batches to partitions never
 * added, late re-deliveries of earlier Produce requests, and waits past the transaction timeout. The oracle asks the
 * leader through ListOffsets: the latest offset a read_committed reader may reach must equal the one a read_uncommitted
 * reader may. It shares nothing with the broker's producer state or the coordinator.
 *
 * Window it must reach (asserted): a late or stray transactional batch arriving when its transaction is not ongoing
 * with that partition, the batch that would hang a transaction without the leader's check.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Cluster, brokerSideOf } from '../../src/cluster.js'
import { Errors, type ApiName, type ProduceRequest, type RequestOf, type ResponseOf } from '../../src/protocol/index.js'
import { VirtualClock } from '../../src/time/index.js'
import { Coverage } from '../support/coverage.js'

const CLIENT = { kind: 'client' as const, clientId: 'txn-property' }
const TXN_ID = 'tx'
const PARTITIONS = 2
const TRANSACTION_TIMEOUT_MS = 10_000
const RUNS = Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 100)
const WINDOWS = ['late or stray batch refused'] as const
const coverage = new Coverage(WINDOWS)

type Step =
  | { kind: 'init' }
  | { kind: 'add'; partition: number }
  | { kind: 'produce'; partition: number }
  | { kind: 'stray'; partition: number }
  | { kind: 'end'; commit: boolean }
  | { kind: 'replay'; pick: number }
  | { kind: 'advance'; ms: number }

const partitionArb = fc.nat(PARTITIONS - 1)
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'init' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), partition: partitionArb }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('produce' as const), partition: partitionArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stray' as const), partition: partitionArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('end' as const), commit: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(0, 10, 500, TRANSACTION_TIMEOUT_MS + 2000) }) },
)

async function run(steps: readonly Step[]): Promise<void> {
  const clock = new VirtualClock()
  const cluster = new Cluster({ clock, seed: 5, transactionStateNumPartitions: 1, offsetsTopicNumPartitions: 1 })
  const send = <K extends ApiName>(api: K, request: RequestOf<K>): Promise<ResponseOf<K>> => clock.run(cluster.transport.send(CLIENT, 0, api, request))
  await send('CreateTopics', { topics: [{ name: 't', numPartitions: PARTITIONS, replicationFactor: 1, replicaAssignment: [], configs: [] }], timeoutMs: 1000, validateOnly: false })
  await send('FindCoordinator', { key: TXN_ID, keyType: 1 })
  const markersWritten = () => clock.run(brokerSideOf(cluster).transactionCoordinator.markersWritten())
  const initProducer = async () => {
    // The first InitProducerId of an open transaction aborts it and answers CONCURRENT_TRANSACTIONS; the retry, once
    // the markers are written, gets the bumped epoch.
    let answer = await send('InitProducerId', { transactionalId: TXN_ID, transactionTimeoutMs: TRANSACTION_TIMEOUT_MS })
    while (answer.errorCode === Errors.CONCURRENT_TRANSACTIONS.code) {
      await markersWritten()
      answer = await send('InitProducerId', { transactionalId: TXN_ID, transactionTimeoutMs: TRANSACTION_TIMEOUT_MS })
    }
    expect(answer.errorCode).toBe(0)
    return { producerId: answer.producerId, producerEpoch: answer.producerEpoch }
  }
  let ids = await initProducer()
  let sequences = new Array<number>(PARTITIONS).fill(0)
  const sent: ProduceRequest[] = []
  const reached = { 'late or stray batch refused': false }
  const produceRequest = (partition: number): ProduceRequest => ({
    acks: -1,
    timeoutMs: 1000,
    transactionalId: TXN_ID,
    topics: [{ topic: 't', partitions: [{ partition, batch: { ...ids, baseSequence: sequences[partition]!, transactional: true, records: [{ key: null, value: Buffer.from(`v${sent.length}`), headers: [], timestamp: 0 }] } }] }],
  })
  const errorOf = (answer: ResponseOf<'Produce'>) => answer.topics[0]!.partitions[0]!.errorCode
  const refusedLate = (code: number) => code === Errors.INVALID_TXN_STATE.code || code === Errors.INVALID_PRODUCER_EPOCH.code

  for (const step of steps) {
    switch (step.kind) {
      case 'init':
        ids = await initProducer()
        sequences = new Array<number>(PARTITIONS).fill(0)
        break
      case 'add':
        await send('AddPartitionsToTxn', { transactionalId: TXN_ID, ...ids, topics: [{ topic: 't', partitions: [step.partition] }] })
        break
      case 'produce': {
        const request = produceRequest(step.partition)
        const code = errorOf(await send('Produce', request))
        if (code === 0) {
          sequences[step.partition]!++
          sent.push(request)
        }
        break
      }
      case 'stray': {
        // A batch the client never announced: next in sequence, to a partition perhaps never added.
        const code = errorOf(await send('Produce', produceRequest(step.partition)))
        if (code === 0) sequences[step.partition]!++
        else if (refusedLate(code)) reached['late or stray batch refused'] = true
        break
      }
      case 'end':
        await send('EndTxn', { transactionalId: TXN_ID, ...ids, committed: step.commit })
        break
      case 'replay': {
        // An earlier Produce delivered again, late: a retry the network held back.
        if (sent.length === 0) break
        const code = errorOf(await send('Produce', sent[step.pick % sent.length]!))
        if (refusedLate(code)) reached['late or stray batch refused'] = true
        break
      }
      case 'advance':
        await clock.advance(step.ms)
        break
    }
  }
  // Every transaction ends: the coordinator aborts what times out, and writes its markers.
  await clock.advance(2 * TRANSACTION_TIMEOUT_MS + 20_000)
  await markersWritten()
  const latest = async (isolationLevel: 0 | 1) =>
    (await send('ListOffsets', { replicaId: -1, isolationLevel, topics: [{ topic: 't', partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, timestamp: -1 })) }] })).topics[0]!.partitions.map((p) => p.offset)
  const [committed, uncommitted] = [await latest(1), await latest(0)]
  expect(committed, `read_committed stops at ${committed.join(', ')}, the logs end at ${uncommitted.join(', ')}: a transaction hangs`).toEqual(uncommitted)
  coverage.record(reached)
}

describe('no hanging transaction (property)', () => {
  it('once every transaction has ended, read_committed reaches the end of every partition, whatever arrived late or unannounced', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 3, maxLength: 30 }), async (steps) => run(steps)),
      { numRuns: RUNS },
    )
    // Measured: 27 % of runs from the suite's seed. Without the leader's check it fails within a few runs, on a stray
    // batch to a partition never added.
    expect(coverage.below(0.15), coverage.toString()).toEqual([])
  })
})

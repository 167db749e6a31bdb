/**
 * Issue 4's exactly-once guarantee: a consume-transform-produce processor (KafkaJS consumer, read_committed, no
 * auto-commit; each input's output and its offset go in one transaction through `sendOffsets`) that crashes at
 * random points and is replaced by a new instance with the same transactional id (fencing the old one), while
 * brokers crash and restart: a read_committed reader of the output sees each input's output exactly once.
 *
 * The windows it is about, each asserted to be reached by a fair share of the runs:
 * - `processorCrashInOpenTxn`: the processor is abandoned while its transaction is open at the coordinator (its
 *   output and offsets must be aborted, and the new instance must redo that input once);
 * - `brokerCrashInOpenTxn`: a broker crashes while a transaction is open (markers, offsets and output move leaders).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Cluster, brokerSideOf } from '../../src/cluster.js'
import type { Consumer } from '../../src/client/consumer/index.js'
import { Kafka } from '../../src/client/kafka.js'
import type { Producer } from '../../src/client/producer/producer.js'
import { VirtualClock } from '../../src/time/virtual-clock.js'
import { Coverage } from '../support/coverage.js'
import { readCommittedMessages } from '../support/read-committed.js'

const PARTITIONS = 2
const RUNS = Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 150)
const GROUP = 'eos'
/** Each window must be reached by at least this share of the runs. */
const FAIR_SHARE = 0.1
const coverage = new Coverage(['processorCrashInOpenTxn', 'brokerCrashInOpenTxn'] as const)

type Step = { kind: 'advance'; ms: number } | { kind: 'crashProcessor' } | { kind: 'crashBroker'; broker: number; downMs: number }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 300 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'crashProcessor' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('crashBroker' as const), broker: fc.nat(2), downMs: fc.integer({ min: 0, max: 2000 }) }) },
)

interface Processor {
  consumer: Consumer
  producer: Producer
}

/** Starts a processor instance: fence any older one (InitProducerId), then consume from the committed offsets. */
async function startProcessor(clock: VirtualClock, kafka: Kafka, processingMs: number): Promise<Processor> {
  const producer = kafka.producer({ transactionalId: 'processor', transactionTimeout: 10_000 })
  await clock.run(producer.connect())
  await clock.run(producer.transaction().then((t) => t.abort()))
  const consumer = kafka.consumer({ groupId: GROUP, sessionTimeout: 6000, heartbeatInterval: 1000 })
  await clock.run(consumer.connect())
  await clock.run(consumer.subscribe({ topics: ['in'], fromBeginning: true }))
  await clock.run(
    consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const t = await producer.transaction()
        try {
          await t.send({ topic: 'out', messages: [{ value: `out-${message.value!.toString()}`, partition }] })
          // Processing takes time, so crashes find transactions open, before and after their offsets are sent.
          await clock.sleep(processingMs / 2)
          await t.sendOffsets({ consumerGroupId: GROUP, topics: [{ topic: 'in', partitions: [{ partition, offset: String(Number(message.offset) + 1) }] }] })
          await clock.sleep(processingMs / 2)
          await t.commit()
        } catch (error) {
          if (t.isActive()) await t.abort().catch(() => undefined)
          throw error
        }
      },
    }),
  )
  return { consumer, producer }
}

/** What a read_committed reader sees in `out`, through the client's batch filtering. */
async function readCommitted(clock: VirtualClock, cluster: Cluster): Promise<string[]> {
  return (await readCommittedMessages(clock, cluster, 'out', PARTITIONS)).map((m) => m.value!.toString())
}

async function run(inputs: number, processingMs: number, steps: Step[]): Promise<void> {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: 3, clock, seed: 4, minInsyncReplicas: 2, offsetsTopicNumPartitions: 3, transactionStateNumPartitions: 3 })
  const kafka = new Kafka({ clientId: 'eos', cluster, logLevel: 0, requestTimeout: 1000, retry: { retries: 30, initialRetryTime: 50, maxRetryTime: 1000 } })
  const admin = kafka.admin()
  await clock.run(admin.connect())
  await clock.run(
    admin.createTopics({
      topics: [
        { topic: 'in', numPartitions: PARTITIONS, replicationFactor: 3 },
        { topic: 'out', numPartitions: PARTITIONS, replicationFactor: 3 },
      ],
    }),
  )
  const source = kafka.producer()
  await clock.run(source.connect())
  const values = Array.from({ length: inputs }, (_, i) => `v${i}`)
  await clock.run(source.send({ topic: 'in', messages: values.map((value, i) => ({ value, partition: i % PARTITIONS })) }))

  let processor = await startProcessor(clock, kafka, processingMs)
  const reached = { processorCrashInOpenTxn: false, brokerCrashInOpenTxn: false }
  const txnOpen = () => brokerSideOf(cluster).transactionCoordinator.transaction('processor')?.state === 'Ongoing'
  for (const step of steps) {
    if (step.kind === 'advance') await clock.advance(step.ms)
    else if (step.kind === 'crashProcessor') {
      reached.processorCrashInOpenTxn ||= txnOpen()
      // The old instance is abandoned mid-flight (its transaction may be open); the new one fences it.
      void processor.consumer.disconnect().catch(() => undefined)
      processor = await startProcessor(clock, kafka, processingMs)
    } else if (brokerSideOf(cluster).broker(step.broker).isUp) {
      reached.brokerCrashInOpenTxn ||= txnOpen()
      cluster.crashBroker(step.broker)
      await clock.advance(step.downMs)
      cluster.restartBroker(step.broker)
    }
  }
  const expected = values.map((v) => `out-${v}`).sort()
  let seen: string[] = []
  for (let waited = 0; waited < 120_000 && seen.length < expected.length; waited += 1000) {
    await clock.advance(1000)
    seen = await readCommitted(clock, cluster)
  }
  await clock.advance(5000)
  seen = await readCommitted(clock, cluster)
  expect(seen.sort()).toEqual(expected)
  await clock.run(processor.consumer.disconnect())
  coverage.record(reached)
}

describe('exactly-once', () => {
  it('consume-transform-produce with sendOffsets, under processor and broker crashes: a read_committed reader sees each input output exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 300 }), fc.array(stepArb, { maxLength: 6 }), (inputs, processingMs, steps) => run(inputs, processingMs, steps)),
      { numRuns: RUNS },
    )
    console.info(`exactly-once coverage: ${coverage.toString()}`)
    expect(coverage.below(FAIR_SHARE), coverage.toString()).toEqual([])
  })
})

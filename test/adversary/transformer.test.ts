/**
 * The adversary's consume-transform-produce member stays live when its producer is fenced. Campaign seed 4488: both
 * transformers had their producer fenced (correctly: another member had initialised the partition's transactional id
 * since) and, as KafkaJS's consumer does after a crash whose root cause is not retriable, stopped for good; two inputs
 * were never transformed and the exactly-once oracle reported them missing. Here the fencing comes from a producer
 * that initialises the transformer's transactional id, as the partition's interim owner would.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, logLevel, VirtualClock } from 'kafkalite'
import { readFinalLog } from '../../src/testing/oracles/index.js'
import { createTransformer, inputOfOutput } from './transformer.js'

describe('adversary transformer', () => {
  it('a fenced transformer rejoins with a new producer instead of stopping, and each input has one committed output', async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 3, clock, seed: 4488, transactionStateNumPartitions: 1, offsetsTopicNumPartitions: 1 })
    const kafka = (clientId: string): Kafka => new Kafka({ clientId, cluster, logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 50, maxRetryTime: 1000 } })
    const admin = kafka('admin').admin()
    await clock.run(admin.connect())
    await clock.run(admin.createTopics({ topics: [{ topic: 'in', numPartitions: 1 }, { topic: 'out', numPartitions: 1 }], waitForLeaders: true }))
    const seeder = kafka('seeder').producer()
    await clock.run(seeder.connect())

    const transformed: string[] = []
    const transformer = createTransformer({
      kafka: kafka('transformer-0'),
      index: 0,
      groupId: 'transformers',
      input: 'in',
      output: 'out',
      joinTimeoutMs: 60_000,
      track: (_name, promise) => promise,
      onTransformed: (input) => transformed.push(input),
    })
    const crashes: boolean[] = []
    transformer.consumer.on(transformer.consumer.events.CRASH, (e: { payload: { restart: boolean } }) => crashes.push(e.payload.restart))
    await clock.run(transformer.start())
    await clock.run(seeder.send({ topic: 'in', messages: [{ value: 'in-0' }] }))
    await clock.runUntil(() => transformed.includes('in-0'), { maxMs: 30_000 })

    // The partition's transactional id initialised elsewhere: the transformer's producer is fenced.
    const fencer = kafka('fencer').producer({ transactionalId: 'transform-in-0', idempotent: true, maxInFlightRequests: 1 })
    await clock.run(fencer.connect())
    // As in KafkaJS, the transactional id is initialised (InitProducerId) by the first transaction, not by connect.
    await clock.run(fencer.transaction().then((txn) => txn.abort()))
    await clock.run(fencer.disconnect())
    await clock.run(seeder.send({ topic: 'in', messages: [{ value: 'in-1' }] }))
    await clock.runUntil(() => transformed.includes('in-1'), { maxMs: 60_000 }).catch(() => undefined)

    expect(transformed).toEqual(['in-0', 'in-1'])
    // The fenced transaction failed: the consumer crashed once, after its retries, and restarted.
    expect(crashes).toEqual([true])
    await clock.run(transformer.consumer.disconnect())
    for (const producer of transformer.producers.values()) await clock.run(producer.disconnect())
    const log = await clock.run(readFinalLog(kafka('reader'), clock, ['out'], { isolation: 'read_committed' }))
    expect(log.records.map((r) => inputOfOutput(r.value))).toEqual(['in-0', 'in-1'])
    await clock.run(seeder.disconnect())
    await clock.run(admin.disconnect())
  })
})

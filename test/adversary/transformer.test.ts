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
import { createTransformer, inputOfOutput, type Transformer } from './transformer.js'

/** Transformer `index` of group `transformers` from topic `in` to `out`, noting each input it transformed in `transformed`. */
function transformerOf(kafka: Kafka, index: number, transformed: string[]): Transformer {
  return createTransformer({
    kafka,
    index,
    groupId: 'transformers',
    input: 'in',
    output: 'out',
    joinTimeoutMs: 60_000,
    track: (_name, promise) => promise,
    onTransformed: (input) => transformed.push(input),
  })
}

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
    const transformer = transformerOf(kafka('transformer-0'), 0, transformed)
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
    await clock.run(transformer.admin.disconnect())
    const log = await clock.run(readFinalLog(kafka('reader'), clock, ['out'], { isolation: 'read_committed' }))
    expect(log.records.map((r) => inputOfOutput(r.value))).toEqual(['in-0', 'in-1'])
    await clock.run(seeder.disconnect())
    await clock.run(admin.disconnect())
  })

  it('a new owner fences before it reads its position: an input a zombie commits after the join is not transformed again', async () => {
    // Campaign seed 34806: the zombie committed an input 2 ms before the new owner's first transaction fenced it, and the
    // new owner, starting from the offset it read at the join, transformed that input too.
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 3, clock, seed: 34806, transactionStateNumPartitions: 1, offsetsTopicNumPartitions: 1 })
    const kafka = (clientId: string): Kafka => new Kafka({ clientId, cluster, logLevel: logLevel.NOTHING })
    const admin = kafka('admin').admin()
    await clock.run(admin.connect())
    await clock.run(admin.createTopics({ topics: [{ topic: 'in', numPartitions: 1 }, { topic: 'out', numPartitions: 1 }], waitForLeaders: true }))
    const seeder = kafka('seeder').producer()
    await clock.run(seeder.connect())
    await clock.run(seeder.send({ topic: 'in', messages: [{ value: 'in-0' }] }))

    // The zombie: the partition's earlier owner, its transaction for in-0 open with its output sent.
    const zombie = kafka('zombie').producer({ transactionalId: 'transform-in-0', idempotent: true, maxInFlightRequests: 1 })
    await clock.run(zombie.connect())
    const open = await clock.run(zombie.transaction())
    await clock.run(open.send({ topic: 'out', acks: -1, messages: [{ value: 'out:in-0:zombie' }] }))

    // The new owner's InitProducerId reaches the coordinator 2 s late: it joins and reads its position (offset 0: no
    // offset is pending yet, which a read_committed consumer's OffsetFetch would wait for), and then the zombie sends
    // its offset and commits.
    cluster.transport.hooks.add({ api: 'InitProducerId', from: 'client', when: (_r, from) => from.kind === 'client' && from.clientId === 'transformer-1', action: { type: 'delay', ms: 2000 }, times: 1 })
    const transformed: string[] = []
    const transformer = transformerOf(kafka('transformer-1'), 1, transformed)
    await clock.run(transformer.start())
    await clock.run(clock.sleep(1000))
    await clock.run(open.sendOffsets({ consumerGroupId: 'transformers', topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '1' }] }] }))
    await clock.run(open.commit())
    await clock.run(seeder.send({ topic: 'in', messages: [{ value: 'in-1' }] }))
    await clock.runUntil(() => transformed.includes('in-1'), { maxMs: 30_000 })

    expect(transformed).toEqual(['in-1'])
    await clock.run(transformer.consumer.disconnect())
    for (const producer of transformer.producers.values()) await clock.run(producer.disconnect())
    await clock.run(transformer.admin.disconnect())
    await clock.run(zombie.disconnect())
    const log = await clock.run(readFinalLog(kafka('reader'), clock, ['out'], { isolation: 'read_committed' }))
    expect(log.records.map((r) => r.value)).toEqual(['out:in-0:zombie', 'out:in-1:1'])
    await clock.run(seeder.disconnect())
    await clock.run(admin.disconnect())
  })
})

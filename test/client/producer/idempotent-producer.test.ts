import { describe, expect, it } from 'vitest'
import { Cluster, brokerSideOf } from '../../../src/cluster.js'
import { KafkaJSNonRetriableError } from '../../../src/client/errors.js'
import { Kafka } from '../../../src/client/kafka.js'
import { Errors, type LogRecord } from '../../../src/protocol/index.js'
import { VirtualClock } from '../../../src/time/virtual-clock.js'

async function setup(options: { brokers?: number; requestTimeout?: number } = {}) {
  const clock = new VirtualClock()
  const brokers = options.brokers ?? 1
  const cluster = new Cluster({ brokers, clock, seed: 3, minInsyncReplicas: Math.min(2, brokers) })
  const kafka = new Kafka({ clientId: 'idem', cluster, logLevel: 0, requestTimeout: options.requestTimeout ?? 1000 })
  const admin = kafka.admin()
  await clock.run(admin.connect())
  await clock.run(admin.createTopics({ topics: [{ topic: 't', numPartitions: 1, replicationFactor: brokers }] }))
  const producer = kafka.producer({ idempotent: true })
  await clock.run(producer.connect())
  return { clock, cluster, kafka, producer }
}

function log(cluster: Cluster, topic = 't', partition = 0): LogRecord[] {
  const leader = brokerSideOf(cluster).controller.topics.get(topic)!.partitions[partition]!.leader
  const replica = brokerSideOf(cluster).broker(leader).replica(topic, partition)!
  return replica.log.read(0, Infinity, Infinity)
}

describe('idempotent producer', () => {
  it('sends with a producer id and per-partition sequences', async () => {
    const { clock, cluster, producer } = await setup()
    expect(producer.isIdempotent()).toBe(true)
    await clock.run(producer.send({ topic: 't', messages: [{ value: 'a' }, { value: 'b' }] }))
    await clock.run(producer.send({ topic: 't', messages: [{ value: 'c' }] }))
    const records = log(cluster)
    expect(records.map((r) => r.sequence)).toEqual([0, 1, 2])
    expect(new Set(records.map((r) => r.producerId)).size).toBe(1)
    expect(records[0]!.producerId).toBeGreaterThanOrEqual(0)
  })

  it('a retry after a lost Produce response is deduplicated: the record is in the log once', async () => {
    const { clock, cluster, producer } = await setup()
    cluster.transport.hooks.add({ api: 'Produce', action: { type: 'dropResponse' }, times: 2 })
    const result = await clock.run(producer.send({ topic: 't', messages: [{ value: 'once' }] }))
    expect(result[0]!.baseOffset).toBe('0')
    await clock.run(producer.send({ topic: 't', messages: [{ value: 'next' }] }))
    expect(log(cluster).map((r) => r.value!.toString())).toEqual(['once', 'next'])
  })

  it('a retry across a leader failover is deduplicated by the new leader', async () => {
    const { clock, cluster, producer } = await setup({ brokers: 3 })
    const leader = brokerSideOf(cluster).controller.topics.get('t')!.partitions[0]!.leader
    // The leader appends and replicates, then crashes before its answer reaches the producer.
    cluster.transport.hooks.add({ api: 'Produce', action: { type: 'dropResponse' }, times: 1 })
    const sent = producer.send({ topic: 't', messages: [{ value: 'x' }] })
    await clock.runUntil(() => log(cluster).length === 1 && brokerSideOf(cluster).broker(leader).replica('t', 0)!.highWatermark === 1)
    cluster.crashBroker(leader)
    await clock.run(sent)
    expect(log(cluster).map((r) => r.value!.toString())).toEqual(['x'])
  })

  it('requires acks -1 and retries, with KafkaJS messages', async () => {
    const { clock, kafka, producer } = await setup()
    await expect(clock.run(producer.send({ topic: 't', acks: 1, messages: [{ value: 'a' }] }))).rejects.toThrow(
      "Not requiring ack for all messages invalidates the idempotent producer's EoS guarantees",
    )
    expect(() => kafka.producer({ idempotent: true, retry: { retries: 0 } })).toThrow(KafkaJSNonRetriableError)
  })

  it('bumps its epoch after a send whose outcome stayed unknown (KIP-360): same id, next epoch, sequences from 0', async () => {
    const { clock, cluster, kafka } = await setup()
    const producer = kafka.producer({ idempotent: true, retry: { retries: 1 } })
    await clock.run(producer.connect())
    cluster.transport.hooks.add({ api: 'Produce', action: { type: 'dropResponse' } })
    await expect(clock.run(producer.send({ topic: 't', messages: [{ value: 'maybe' }] }))).rejects.toThrow()
    cluster.transport.hooks.clear()
    await clock.run(producer.send({ topic: 't', messages: [{ value: 'after' }] }))
    const records = log(cluster)
    expect(records.map((r) => r.value!.toString())).toEqual(['maybe', 'after'])
    expect(records[1]).toMatchObject({ producerId: records[0]!.producerId, producerEpoch: records[0]!.producerEpoch + 1, sequence: 0 })
  })

  it('takes a new producer id when the epoch to bump is exhausted (Short.MAX_VALUE)', async () => {
    const { clock, cluster, kafka } = await setup()
    const producer = kafka.producer({ idempotent: true, retry: { retries: 1 } })
    await clock.run(producer.connect())
    await clock.run(producer.send({ topic: 't', messages: [{ value: 'first' }] }))
    const first = log(cluster)[0]!
    // Reach the last epoch through the broker's own answers: each lost answer costs one bump.
    ;(producer as unknown as { idempotence: { reset(id: number, epoch: number): void } }).idempotence.reset(first.producerId, 32767)
    cluster.transport.hooks.add({ api: 'Produce', action: { type: 'dropResponse' } })
    await expect(clock.run(producer.send({ topic: 't', messages: [{ value: 'maybe' }] }))).rejects.toThrow()
    cluster.transport.hooks.clear()
    await clock.run(producer.send({ topic: 't', messages: [{ value: 'after' }] }))
    const after = log(cluster).at(-1)!
    expect(after.value!.toString()).toBe('after')
    expect(after).toMatchObject({ producerEpoch: 0, sequence: 0 })
    expect(after.producerId).not.toBe(first.producerId)
  })

  it('never reuses a sequence after a send given up once the leader appended it (REQUEST_TIMED_OUT): the next record is written, not taken for a duplicate', async () => {
    const { clock, cluster, kafka } = await setup({ brokers: 3, requestTimeout: 30_000 })
    const producer = kafka.producer({ idempotent: true, retry: { retries: 1, initialRetryTime: 50 } })
    await clock.run(producer.connect())
    // The followers' fetches are held back: the leader appends 'lost?' but the ISR never acknowledges it in time.
    const slowReplication = cluster.transport.hooks.add({ api: 'Fetch', from: 'broker', action: { type: 'delay', ms: 5_000 } })
    await expect(clock.run(producer.send({ topic: 't', timeout: 100, messages: [{ value: 'lost?' }] }))).rejects.toThrow()
    slowReplication.remove()
    const [ack] = await clock.run(producer.send({ topic: 't', messages: [{ value: 'next' }] }))
    const records = log(cluster)
    // Acknowledged at acks=all: 'next' must be in the log at the offset the broker answered.
    expect(records.find((r) => r.offset === Number(ack!.baseOffset))?.value?.toString()).toBe('next')
    expect(records.map((r) => r.value!.toString())).toEqual(['lost?', 'next'])
    // Kafka's producer bumps its epoch (KIP-360): same producer id, next epoch, sequences from 0.
    expect(records[1]).toMatchObject({ producerId: records[0]!.producerId, producerEpoch: records[0]!.producerEpoch + 1, sequence: 0 })
  })

  it('the broker rejects a sequence gap with OUT_OF_ORDER_SEQUENCE_NUMBER and a fenced epoch with INVALID_PRODUCER_EPOCH', async () => {
    const { clock, cluster } = await setup()
    const client = { kind: 'client' as const, clientId: 'raw' }
    const produce = (epoch: number, seq: number) =>
      clock.run(
        brokerSideOf(cluster).dispatch(0, client, 'Produce', {
          acks: -1,
          timeoutMs: 1000,
          transactionalId: null,
          topics: [{ topic: 't', partitions: [{ partition: 0, batch: { producerId: 99, producerEpoch: epoch, baseSequence: seq, transactional: false, records: [{ key: null, value: Buffer.from('v'), headers: [], timestamp: 0 }] } }] }],
        }),
      ).then((r) => r.topics[0]!.partitions[0]!)
    expect((await produce(1, 0)).errorCode).toBe(0)
    expect((await produce(1, 2)).errorCode).toBe(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code)
    expect((await produce(0, 1)).errorCode).toBe(Errors.INVALID_PRODUCER_EPOCH.code)
    expect(await produce(1, 0)).toMatchObject({ errorCode: 0, baseOffset: 0 })
    expect(log(cluster)).toHaveLength(1)
  })
})

import { describe, expect, it } from 'vitest'
import { Errors, recordsOf } from '../../src/protocol/index.js'
import { CLIENT, createTopic, fetch, makeCluster, produce, values } from './cluster-test-kit.js'

describe('a single broker', () => {
  it('appends with acks 0, 1 and -1 and serves the records back by offset', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 'orders')
    expect(await produce(clock, cluster, 'orders', ['a', 'b'], { acks: 1 })).toMatchObject({ errorCode: 0, baseOffset: 0 })
    expect(await produce(clock, cluster, 'orders', ['c'], { acks: 0 })).toMatchObject({ errorCode: 0, baseOffset: 2 })
    expect(await produce(clock, cluster, 'orders', ['d'], { acks: -1 })).toMatchObject({ errorCode: 0, baseOffset: 3 })
    const fetched = await fetch(clock, cluster, 'orders', 1)
    expect(fetched.errorCode).toBe(0)
    expect(fetched.highWatermark).toBe(4)
    expect(values(fetched.records)).toEqual(['b', 'c', 'd'])
    expect(fetched.records.map((r) => r.offset)).toEqual([1, 2, 3])
    expect(Object.isFrozen(fetched.batches[0])).toBe(true)
  })

  it('rejects bad produce requests without touching the log', async () => {
    const { clock, cluster } = makeCluster({ maxMessageBytes: 200 })
    await createTopic(cluster, 'orders')
    expect((await produce(clock, cluster, 'orders', ['x'.repeat(500)])).errorCode).toBe(Errors.MESSAGE_TOO_LARGE.code)
    expect((await produce(clock, cluster, 'nope', ['x'], { brokerId: 0 })).errorCode).toBe(Errors.UNKNOWN_TOPIC_OR_PARTITION.code)
    expect((await produce(clock, cluster, 'orders', ['x'], { partition: 3, brokerId: 0 })).errorCode).toBe(Errors.UNKNOWN_TOPIC_OR_PARTITION.code)
    const badAcks = await cluster.dispatch(0, CLIENT, 'Produce', {
      acks: 2 as -1,
      timeoutMs: 100,
      transactionalId: null,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, batch: { producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false, records: [] } }] }],
    })
    expect(badAcks.topics[0]!.partitions[0]!.errorCode).toBe(Errors.INVALID_REQUIRED_ACKS.code)
    expect(cluster.broker(0).replica('orders', 0)!.logEndOffset).toBe(0)
  })

  it('long-polls a fetch until a record arrives, without waiting for maxWaitMs', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 'orders')
    const start = clock.now()
    const pending = cluster.dispatch(0, CLIENT, 'Fetch', {
      replicaId: -1,
      maxWaitMs: 5000,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1 }] }],
    })
    await clock.advance(100)
    await produce(clock, cluster, 'orders', ['late'], { acks: 1 })
    const response = await clock.run(pending)
    expect(values(recordsOf(response.topics[0]!.partitions[0]!.batches))).toEqual(['late'])
    expect(clock.now() - start).toBe(100)
    expect(cluster.broker(0).replica('orders', 0)!.changed.size).toBe(0)
  })

  it('answers an empty long-poll after maxWaitMs', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 'orders')
    const start = clock.now()
    const response = await fetch(clock, cluster, 'orders', 0, { maxWaitMs: 500 })
    expect(response.records).toEqual([])
    expect(clock.now() - start).toBe(500)
  })

  it('returns at least one whole batch even if larger than the fetch limits (KIP-74), then respects them, never cutting a batch', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 'orders')
    for (const value of ['x'.repeat(100), 'y', 'z']) await produce(clock, cluster, 'orders', [value])
    expect((await fetch(clock, cluster, 'orders', 0, { partitionMaxBytes: 10 })).records).toHaveLength(1)
    expect((await fetch(clock, cluster, 'orders', 1, { partitionMaxBytes: 100 })).records).toHaveLength(1)
    expect((await fetch(clock, cluster, 'orders', 1, { partitionMaxBytes: 200 })).records).toHaveLength(2)
    await produce(clock, cluster, 'orders', ['a', 'b', 'c'])
    const whole = await fetch(clock, cluster, 'orders', 4, { partitionMaxBytes: 10 })
    expect(whole.batches).toHaveLength(1)
    expect(values(whole.records)).toEqual(['b', 'c'])
  })

  it('answers OFFSET_OUT_OF_RANGE past the log end', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 'orders')
    await produce(clock, cluster, 'orders', ['a'])
    expect((await fetch(clock, cluster, 'orders', 1)).errorCode).toBe(0)
    expect((await fetch(clock, cluster, 'orders', 2)).errorCode).toBe(Errors.OFFSET_OUT_OF_RANGE.code)
  })

  it('lists earliest, latest and by-timestamp offsets', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 'orders')
    for (const [i, ts] of [100, 200, 300].entries()) {
      await clock.run(
        cluster.dispatch(0, CLIENT, 'Produce', {
          acks: 1,
          timeoutMs: 100,
          transactionalId: null,
          topics: [{ topic: 'orders', partitions: [{ partition: 0, batch: { producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false, records: [{ key: null, value: Buffer.from(String(i)), headers: [], timestamp: ts }] } }] }],
        }),
      )
    }
    const response = await cluster.dispatch(0, CLIENT, 'ListOffsets', {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ topic: 'orders', partitions: [-2, -1, 150, 300, 301].map((timestamp) => ({ partition: 0, timestamp })) }],
    })
    expect(response.topics[0]!.partitions.map((p) => [p.errorCode, p.offset])).toEqual([
      [0, 0],
      [0, 3],
      [0, 1],
      [0, 2],
      [0, -1],
    ])
    expect(response.topics[0]!.partitions[2]!.timestamp).toBe(200)
  })

  it('stamps LogAppendTime from the cluster clock when the topic asks for it', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 'audit', 1, 1, [{ name: 'message.timestamp.type', value: 'LogAppendTime' }])
    await clock.advance(42)
    const produced = await produce(clock, cluster, 'audit', ['a'], { acks: 1 })
    expect(produced.logAppendTime).toBe(clock.now())
    const [record] = (await fetch(clock, cluster, 'audit', 0)).records
    expect(record).toMatchObject({ timestamp: clock.now(), timestampType: 'LogAppendTime' })
  })

  it('reports brokers, controller and partitions in Metadata, auto-creating topics when allowed', async () => {
    const { cluster } = makeCluster({ numPartitions: 3 })
    const response = await cluster.dispatch(0, CLIENT, 'Metadata', { topics: ['fresh'], allowAutoTopicCreation: true })
    expect(response.brokers).toEqual([{ nodeId: 0, host: 'localhost', port: 9092, rack: null }])
    expect(response.controllerId).toBe(0)
    expect(response.topics[0]).toMatchObject({ topic: 'fresh', errorCode: 0, isInternal: false })
    expect(response.topics[0]!.partitions.map((p) => [p.partition, p.leader, p.leaderEpoch, p.replicas, p.isr])).toEqual([
      [0, 0, 0, [0], [0]],
      [1, 0, 0, [0], [0]],
      [2, 0, 0, [0], [0]],
    ])
    const unknown = await cluster.dispatch(0, CLIENT, 'Metadata', { topics: ['other'], allowAutoTopicCreation: false })
    expect(unknown.topics[0]!.errorCode).toBe(Errors.UNKNOWN_TOPIC_OR_PARTITION.code)
    const invalid = await cluster.dispatch(0, CLIENT, 'Metadata', { topics: ['bad name'], allowAutoTopicCreation: true })
    expect(invalid.topics[0]!.errorCode).toBe(Errors.INVALID_TOPIC_EXCEPTION.code)
  })

  it('does not auto-create when auto.create.topics.enable is off', async () => {
    const { cluster } = makeCluster({ autoCreateTopics: false })
    const response = await cluster.dispatch(0, CLIENT, 'Metadata', { topics: ['fresh'], allowAutoTopicCreation: true })
    expect(response.topics[0]!.errorCode).toBe(Errors.UNKNOWN_TOPIC_OR_PARTITION.code)
    expect(cluster.controller.topics.has('fresh')).toBe(false)
  })
})

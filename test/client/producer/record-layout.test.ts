/**
 * The producer lays each partition's messages out in one buffer (record-layout.ts), and the leader copies that buffer:
 * what the log stores must be exactly the records the messages name, and a layout that does not fit its bytes is refused.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, VirtualClock, logLevel } from 'kafkalite'
import { layOutMessages } from '../../../src/client/producer/record-layout.js'
import { recordsOfLayout } from '../../../src/protocol/records.js'
import { brokerSideOf } from '../../../src/cluster.js'
import { Errors } from '../../../src/protocol/index.js'
import { laidOutBatch } from '../../../src/protocol/records.js'

describe('record layout', () => {
  it('writes keys and values as KafkaJS encodes them, per partition in send order', () => {
    const messages = [
      { key: 'order-1', value: Buffer.from('v1') },
      { key: null, value: 'ünïcødé €' },
      { key: 'κλειδί', value: null, headers: { h: 'x', many: ['a', Buffer.from('b')], gone: undefined } },
      { key: Buffer.from([0, 255]), value: 42 as unknown as string, timestamp: '1700000000000' },
      { value: true as unknown as string },
    ]
    const slotOf = Int32Array.from([0, 1, 0, 1, 0])
    const laidOut = layOutMessages({ messages, slotOf, partitions: [3, 1] }, 5)
    const read = laidOut.map((l) => recordsOfLayout(l).map((r) => ({ key: r.key, value: r.value?.toString() ?? null, headers: r.headers.map((h) => `${h.key}=${h.value}`), timestamp: r.timestamp })))
    expect(read).toEqual([
      [
        { key: Buffer.from('order-1'), value: 'v1', headers: [], timestamp: 5 },
        { key: Buffer.from('κλειδί'), value: null, headers: ['h=x', 'many=a', 'many=b'], timestamp: 5 },
        { key: null, value: 'true', headers: [], timestamp: 5 },
      ],
      [
        { key: null, value: 'ünïcødé €', headers: [], timestamp: 5 },
        { key: Buffer.from([0, 255]), value: '42', headers: [], timestamp: 1700000000000 },
      ],
    ])
    // Each partition's bytes hold its own records and nothing else.
    expect(laidOut[1]!.bytes.length).toBe(Buffer.byteLength('ünïcødé €') + 2 + 2)
  })

  it('the log holds what was sent, after the caller changes its buffers (metadata at hand, so the send lays them out at once)', async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 1, clock, seed: 3 })
    const kafka = new Kafka({ clientId: 'layout', cluster, logLevel: logLevel.NOTHING })
    const producer = kafka.producer()
    await clock.run(producer.connect())
    await clock.run(producer.send({ topic: 'orders', messages: [{ key: 'k', value: 'loads metadata' }] }))
    const value = Buffer.from('original')
    const sent = producer.send({ topic: 'orders', messages: [{ key: 'k', value, headers: { h: 'v' } }] })
    value.fill(0)
    const [metadata] = await clock.run(sent)
    const log = brokerSideOf(cluster).broker(0)!.replica('orders', metadata!.partition)!.log
    const [, record] = log.read(0, 1 << 20, Infinity)
    expect(record).toMatchObject({ key: Buffer.from('k'), value: Buffer.from('original'), headers: [{ key: 'h', value: Buffer.from('v') }] })
    await clock.run(cluster.close())
  })

  it("a topic's compression.type is stored with a laid-out batch, its records unchanged", async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 1, clock, seed: 3 })
    const kafka = new Kafka({ clientId: 'layout', cluster, logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await clock.run(admin.connect())
    await clock.run(admin.createTopics({ topics: [{ topic: 'zipped', numPartitions: 1, configEntries: [{ name: 'compression.type', value: 'gzip' }] }] }))
    const producer = kafka.producer()
    await clock.run(producer.connect())
    await clock.run(producer.send({ topic: 'zipped', messages: [{ key: 'k', value: 'v' }, { key: null, value: 'w' }] }))
    const log = brokerSideOf(cluster).broker(0)!.replica('zipped', 0)!.log
    expect(log.allBatches().map((b) => b.compression)).toEqual(['gzip'])
    expect(log.read(0, 1 << 20, Infinity).map((r) => [r.key?.toString() ?? null, r.value?.toString()])).toEqual([['k', 'v'], [null, 'w']])
    await clock.run(cluster.close())
  })

  it('answers CORRUPT_MESSAGE for a layout outside its bytes and appends nothing', async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 1, clock, seed: 3 })
    const kafka = new Kafka({ clientId: 'layout', cluster, logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await clock.run(admin.connect())
    await clock.run(admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 1 }] }))
    const produce = (layout: number[], count = 1) =>
      clock.run(
        cluster.transport.send({ kind: 'client', clientId: 'raw' }, 0, 'Produce', {
          acks: 1,
          timeoutMs: 1000,
          transactionalId: null,
          topics: [{ topic: 'orders', partitions: [{ partition: 0, batch: laidOutBatch({ producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false }, { count, bytes: Buffer.from('kv'), layout: Int32Array.from(layout), timestamps: new Float64Array(count) }) }] }],
        }),
      )
    for (const layout of [[0, 1, 1, 2], [0, -2, 0, 1], [-1, 1, 1, 1], [0, 1, 1]]) {
      expect((await produce(layout)).topics[0]!.partitions[0]!.errorCode).toBe(Errors.CORRUPT_MESSAGE.code)
    }
    expect((await produce([0, 1, 1, 1])).topics[0]!.partitions[0]!.errorCode).toBe(0)
    expect(brokerSideOf(cluster).broker(0)!.replica('orders', 0)!.log.read(0, 1 << 20, Infinity).map((r) => [r.key?.toString(), r.value?.toString()])).toEqual([['k', 'v']])
    await clock.run(cluster.close())
  })
})

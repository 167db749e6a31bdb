import { describe, expect, it } from 'vitest'
import { Cluster, brokerSideOf } from '../../../src/cluster.js'
import { KafkaJSNonRetriableError } from '../../../src/client/errors.js'
import { Kafka } from '../../../src/client/kafka.js'
import type { Consumer } from '../../../src/client/consumer/index.js'
import { VirtualClock } from '../../../src/time/virtual-clock.js'

async function setup(options: { brokers?: number; transactionMaxTimeoutMs?: number } = {}) {
  const clock = new VirtualClock()
  const brokers = options.brokers ?? 1
  const cluster = new Cluster({ brokers, clock, seed: 5, minInsyncReplicas: Math.min(2, brokers), transactionMaxTimeoutMs: options.transactionMaxTimeoutMs })
  const kafka = new Kafka({ clientId: 'txn', cluster, logLevel: 0, requestTimeout: 2000 })
  const admin = kafka.admin()
  await clock.run(admin.connect())
  await clock.run(admin.createTopics({ topics: [{ topic: 'out', numPartitions: 2, replicationFactor: brokers }, { topic: 'in', numPartitions: 1, replicationFactor: brokers }] }))
  const producer = async (transactionalId = 'tx-1', transactionTimeout?: number) => {
    const p = kafka.producer({ transactionalId, transactionTimeout })
    await clock.run(p.connect())
    return p
  }
  return { clock, cluster, kafka, admin, producer }
}

/** Every value a consumer with the given isolation can read from `topic`, partition by partition. */
async function readAll(clock: VirtualClock, kafka: Kafka, topic: string, readUncommitted: boolean): Promise<string[]> {
  const consumer: Consumer = kafka.consumer({ groupId: `reader-${readUncommitted}-${clock.now()}`, readUncommitted })
  const seen: string[] = []
  await clock.run(consumer.connect())
  await clock.run(consumer.subscribe({ topics: [topic], fromBeginning: true }))
  await clock.run(consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) }))
  await clock.advance(3000)
  await clock.run(consumer.disconnect())
  return seen.sort()
}

describe('transactions', () => {
  it('a send given up after the leader appended it is aborted, and the next transaction\'s record is written under a bumped epoch, not taken for that duplicate', async () => {
    const { clock, cluster, kafka } = await setup({ brokers: 3 })
    const p = kafka.producer({ transactionalId: 'tx-bump', retry: { retries: 1, initialRetryTime: 50 } })
    await clock.run(p.connect())
    const t1 = await clock.run(p.transaction())
    const slowReplication = cluster.transport.hooks.add({ api: 'Fetch', from: 'broker', action: { type: 'delay', ms: 1_500 } })
    await expect(clock.run(t1.send({ topic: 'out', timeout: 100, messages: [{ value: 'aborted', partition: 0 }] }))).rejects.toThrow()
    slowReplication.remove()
    await clock.run(t1.abort())
    await clock.run(brokerSideOf(cluster).transactionCoordinator.markersWritten())
    const t2 = await clock.run(p.transaction())
    await clock.run(t2.send({ topic: 'out', messages: [{ value: 'committed', partition: 0 }] }))
    await clock.run(t2.commit())
    expect(await readAll(clock, kafka, 'out', false)).toEqual(['committed'])
  })

  it('committed records are visible to read_committed consumers; aborted ones never are', async () => {
    const { clock, kafka, producer } = await setup()
    const p = await producer()
    const t1 = await clock.run(p.transaction())
    await clock.run(t1.send({ topic: 'out', messages: [{ value: 'c1', partition: 0 }, { value: 'c2', partition: 1 }] }))
    await clock.run(t1.commit())
    expect(t1.isActive()).toBe(false)
    const t2 = await clock.run(p.transaction())
    await clock.run(t2.send({ topic: 'out', messages: [{ value: 'a1', partition: 0 }] }))
    await clock.run(t2.abort())
    const t3 = await clock.run(p.transaction())
    await clock.run(t3.send({ topic: 'out', messages: [{ value: 'c3', partition: 0 }] }))
    await clock.run(t3.commit())
    expect(await readAll(clock, kafka, 'out', false)).toEqual(['c1', 'c2', 'c3'])
    expect(await readAll(clock, kafka, 'out', true)).toEqual(['a1', 'c1', 'c2', 'c3'])
  })

  it('an open transaction holds back the last stable offset, and read_committed ListOffsets answers it', async () => {
    const { clock, cluster, admin, producer } = await setup()
    const p = await producer()
    const t = await clock.run(p.transaction())
    await clock.run(t.send({ topic: 'out', messages: [{ value: 'open', partition: 0 }] }))
    const replica = brokerSideOf(cluster).broker(0).replica('out', 0)!
    expect(replica.highWatermark).toBe(1)
    expect(replica.lastStableOffset).toBe(0)
    const latest = await clock.run(brokerSideOf(cluster).dispatch(0, { kind: 'client', clientId: 'x' }, 'ListOffsets', { replicaId: -1, isolationLevel: 1, topics: [{ topic: 'out', partitions: [{ partition: 0, timestamp: -1 }] }] }))
    expect(latest.topics[0]!.partitions[0]!.offset).toBe(0)
    await clock.run(t.commit())
    await clock.runUntil(() => replica.lastStableOffset === 2)
    void admin
  })

  it('sendOffsets commits the group offsets only with the transaction', async () => {
    const { clock, admin, producer } = await setup()
    const p = await producer()
    const t = await clock.run(p.transaction())
    await clock.run(t.send({ topic: 'out', messages: [{ value: 'x', partition: 0 }] }))
    await clock.run(t.sendOffsets({ consumerGroupId: 'g', topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '5' }] }] }))
    expect(await clock.run(admin.fetchOffsets({ groupId: 'g', topics: ['in'] }))).toEqual([{ topic: 'in', partitions: [expect.objectContaining({ partition: 0, offset: '-1' })] }])
    await clock.run(t.commit())
    await clock.advance(100)
    expect(await clock.run(admin.fetchOffsets({ groupId: 'g', topics: ['in'] }))).toEqual([{ topic: 'in', partitions: [expect.objectContaining({ partition: 0, offset: '5' })] }])
    const aborted = await clock.run(p.transaction())
    await clock.run(aborted.sendOffsets({ consumerGroupId: 'g', topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '9' }] }] }))
    await clock.run(aborted.abort())
    await clock.advance(100)
    expect(await clock.run(admin.fetchOffsets({ groupId: 'g', topics: ['in'] }))).toEqual([{ topic: 'in', partitions: [expect.objectContaining({ partition: 0, offset: '5' })] }])
  })

  it('a new producer with the same transactional id fences the old one and aborts its open transaction', async () => {
    const { clock, kafka, producer } = await setup()
    const old = await producer('shared')
    const t = await clock.run(old.transaction())
    await clock.run(t.send({ topic: 'out', messages: [{ value: 'zombie', partition: 0 }] }))
    const fresh = await producer('shared')
    const t2 = await clock.run(fresh.transaction())
    await clock.run(t2.send({ topic: 'out', messages: [{ value: 'new', partition: 0 }] }))
    await clock.run(t2.commit())
    await expect(clock.run(t.send({ topic: 'out', messages: [{ value: 'late', partition: 0 }] }))).rejects.toThrow()
    await expect(clock.run(t.commit())).rejects.toThrow(/fenced|PRODUCER_FENCED|epoch/i)
    await expect(clock.run(old.transaction())).rejects.toThrow(/fenced/)
    expect(await readAll(clock, kafka, 'out', false)).toEqual(['new'])
  })

  it('the coordinator aborts a transaction left open past its timeout, fencing its producer', async () => {
    const { clock, kafka, producer } = await setup()
    const p = await producer('slow', 5000)
    const t = await clock.run(p.transaction())
    await clock.run(t.send({ topic: 'out', messages: [{ value: 'abandoned', partition: 0 }] }))
    await clock.advance(16_000)
    await expect(clock.run(t.commit())).rejects.toThrow()
    expect(await readAll(clock, kafka, 'out', true)).toEqual(['abandoned'])
    expect(await readAll(clock, kafka, 'out', false)).toEqual([])
  })

  it('a send outside a transaction on a transactional producer is an ordinary idempotent send, as in KafkaJS', async () => {
    const { clock, kafka } = await setup()
    const p = kafka.producer({ transactionalId: 'tx-out', idempotent: true })
    await clock.run(p.connect())
    const [sent] = await clock.run(p.send({ topic: 'out', messages: [{ value: 'outside', partition: 0 }] }))
    expect(sent).toMatchObject({ topicName: 'out', partition: 0, errorCode: 0 })
    const t = await clock.run(p.transaction())
    await clock.run(t.send({ topic: 'out', messages: [{ value: 'aborted', partition: 0 }] }))
    await clock.run(t.abort())
    // Visible at once to read_committed readers; the aborted transaction does not undo it.
    expect(await readAll(clock, kafka, 'out', false)).toEqual(['outside'])
  })

  it('bad input: typed errors, nothing changed', async () => {
    const { clock, cluster, producer } = await setup({ transactionMaxTimeoutMs: 10_000 })
    const p = await producer('tx-1', 5000)
    const t = await clock.run(p.transaction())
    await expect(clock.run(p.transaction())).rejects.toThrow('There is already an ongoing transaction')
    await expect(clock.run(t.send({ topic: 'out', acks: 1, messages: [{ value: 'x' }] }))).rejects.toThrow("invalidates the idempotent producer's EoS guarantees")
    await expect(clock.run(t.sendOffsets({ consumerGroupId: '', topics: [] }))).rejects.toThrow('Missing consumerGroupId')
    await clock.run(t.send({ topic: 'out', messages: [{ value: 'ok', partition: 0 }] }))
    await clock.run(t.commit())
    await expect(clock.run(t.commit())).rejects.toThrow('Cannot continue to use transaction once ended')
    await expect(clock.run(t.abort())).rejects.toThrow('Cannot continue to use transaction once ended')
    await expect(clock.run(t.send({ topic: 'out', messages: [{ value: 'late' }] }))).rejects.toThrow('Cannot continue to use transaction once ended')
    const tooLong = await producer('long', 20_000)
    await expect(clock.run(tooLong.transaction())).rejects.toThrow(/INVALID_TRANSACTION_TIMEOUT|transaction timeout/i)
    await clock.advance(100)
    expect(brokerSideOf(cluster).broker(0).replica('out', 0)!.log.read(0, Infinity, Infinity).filter((r) => r.control === undefined).map((r) => r.value!.toString())).toEqual(['ok'])
  })

  it('a send that failed leaves only abort: commit and later sends are refused, the next transaction starts on a new epoch', async () => {
    const { clock, cluster, kafka } = await setup()
    const p = kafka.producer({ transactionalId: 'flaky', retry: { retries: 1 } })
    await clock.run(p.connect())
    const t = await clock.run(p.transaction())
    cluster.transport.hooks.add({ api: 'Produce', action: { type: 'dropResponse' } })
    await expect(clock.run(t.send({ topic: 'out', messages: [{ value: 'lost?', partition: 0 }] }))).rejects.toThrow()
    cluster.transport.hooks.clear()
    await expect(clock.run(t.commit())).rejects.toThrow('abort it instead')
    await expect(clock.run(t.send({ topic: 'out', messages: [{ value: 'more', partition: 0 }] }))).rejects.toThrow('abort it')
    await clock.run(t.abort())
    const next = await clock.run(p.transaction())
    await clock.run(next.send({ topic: 'out', messages: [{ value: 'fine', partition: 0 }] }))
    await clock.run(next.commit())
    expect(brokerSideOf(cluster).transactionCoordinator.transaction('flaky')!.producerEpoch).toBe(1)
    expect(await readAll(clock, kafka, 'out', false)).toEqual(['fine'])
  })
})

import { describe, expect, it } from 'vitest'
import { Cluster, brokerSideOf } from '../../../src/cluster.js'
import { Errors, type ApiName, type ProducedBatch, type RequestOf, type ResponseOf } from '../../../src/protocol/index.js'
import { VirtualClock } from '../../../src/time/virtual-clock.js'

const CLIENT = { kind: 'client' as const, clientId: 'test' }

async function setup(brokers = 3) {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers, clock, seed: 9, minInsyncReplicas: Math.min(2, brokers), transactionStateNumPartitions: 3, offsetsTopicNumPartitions: 3, checkInvariants: true })
  const send = <K extends ApiName>(brokerId: number, api: K, request: RequestOf<K>): Promise<ResponseOf<K>> => clock.run(cluster.transport.send(CLIENT, brokerId, api, request))
  await send(0, 'CreateTopics', { topics: [{ name: 't', numPartitions: 2, replicationFactor: brokers, replicaAssignment: [], configs: [] }], timeoutMs: 1000, validateOnly: false })
  const coordinatorOf = async (tid: string) => (await send(cluster.liveBrokerIds()[0]!, 'FindCoordinator', { key: tid, keyType: 1 })).nodeId
  const leaderOf = (partition: number) => brokerSideOf(cluster).controller.topics.get('t')!.partitions[partition]!.leader
  const batch = (producerId: number, producerEpoch: number, baseSequence: number, value: string): ProducedBatch => ({
    producerId,
    producerEpoch,
    baseSequence,
    transactional: true,
    records: [{ key: null, value: Buffer.from(value), headers: [], timestamp: 0 }],
  })
  const produce = async (tid: string, partition: number, b: ProducedBatch) =>
    (await send(leaderOf(partition), 'Produce', { acks: -1, timeoutMs: 5000, transactionalId: tid, topics: [{ topic: 't', partitions: [{ partition, batch: b }] }] })).topics[0]!.partitions[0]!
  return { clock, cluster, send, coordinatorOf, leaderOf, batch, produce }
}

describe('transaction coordinator', () => {
  it('InitProducerId: a new id at epoch 0, then epoch bumps; timeouts over transaction.max.timeout.ms are refused; only the coordinator answers', async () => {
    const { send, coordinatorOf } = await setup()
    const c = await coordinatorOf('a')
    const other = (c + 1) % 3
    expect((await send(other, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 1000 })).errorCode).toBe(Errors.NOT_COORDINATOR.code)
    expect((await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 900_001 })).errorCode).toBe(Errors.INVALID_TRANSACTION_TIMEOUT.code)
    expect((await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 0 })).errorCode).toBe(Errors.INVALID_TRANSACTION_TIMEOUT.code)
    const first = await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 1000 })
    expect(first).toMatchObject({ errorCode: 0, producerEpoch: 0 })
    expect(await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 1000 })).toEqual({ errorCode: 0, producerId: first.producerId, producerEpoch: 1 })
  })

  it('InitProducerId with the producer id and epoch held (KIP-360): bumps that epoch, answers a retry with the current one, fences any other, rotates the id when exhausted', async () => {
    const { cluster, send, coordinatorOf } = await setup()
    const c = await coordinatorOf('a')
    const init = (producerId?: number, producerEpoch?: number) => send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 1000, producerId, producerEpoch })
    const { producerId } = await init()
    expect(await init(producerId, 0)).toEqual({ errorCode: 0, producerId, producerEpoch: 1 })
    // A retry of that bump (its answer lost) names epoch 0 again: it gets epoch 1 back, not 2.
    expect(await init(producerId, 0)).toEqual({ errorCode: 0, producerId, producerEpoch: 1 })
    expect((await init(producerId + 100, 1)).errorCode).toBe(Errors.PRODUCER_FENCED.code)
    // A new producer without an id fences the one at epoch 1; that one's bump is then refused.
    expect(await init()).toEqual({ errorCode: 0, producerId, producerEpoch: 2 })
    expect((await init(producerId, 1)).errorCode).toBe(Errors.PRODUCER_FENCED.code)
    brokerSideOf(cluster).transactionCoordinator.transaction('a')!.producerEpoch = 32766
    const rotated = await init(producerId, 32766)
    expect(rotated).toMatchObject({ errorCode: 0, producerEpoch: 0 })
    expect(rotated.producerId).not.toBe(producerId)
    expect(await init(producerId, 32766)).toEqual(rotated)
  })

  it('checks producer id and epoch, and refuses unknown partitions without adding any', async () => {
    const { cluster, send, coordinatorOf } = await setup()
    const c = await coordinatorOf('a')
    const { producerId } = await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 1000 })
    const add = (pid: number, epoch: number, partitions: number[]) => send(c, 'AddPartitionsToTxn', { transactionalId: 'a', producerId: pid, producerEpoch: epoch, topics: [{ topic: 't', partitions }] })
    expect((await add(producerId + 100, 0, [0])).topics[0]!.partitions[0]!.errorCode).toBe(Errors.INVALID_PRODUCER_ID_MAPPING.code)
    expect((await add(producerId, 5, [0])).topics[0]!.partitions[0]!.errorCode).toBe(Errors.PRODUCER_FENCED.code)
    expect((await add(producerId, 0, [0, 7])).topics[0]!.partitions.map((p) => p.errorCode)).toEqual([Errors.OPERATION_NOT_ATTEMPTED.code, Errors.UNKNOWN_TOPIC_OR_PARTITION.code])
    expect(brokerSideOf(cluster).transactionCoordinator.transaction('a')!.state).toBe('Empty')
    expect((await send(c, 'EndTxn', { transactionalId: 'a', producerId, producerEpoch: 0, committed: true })).errorCode).toBe(Errors.INVALID_TXN_STATE.code)
    expect((await add(producerId, 0, [0])).topics[0]!.partitions[0]!.errorCode).toBe(0)
    expect(brokerSideOf(cluster).transactionCoordinator.transaction('a')!.state).toBe('Ongoing')
  })

  it('EndTxn answers CONCURRENT_TRANSACTIONS while markers are written, then succeeds again on a retry of the same outcome', async () => {
    const { clock, cluster, send, coordinatorOf, produce, batch, leaderOf } = await setup()
    const c = await coordinatorOf('a')
    const { producerId } = await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 60_000 })
    await send(c, 'AddPartitionsToTxn', { transactionalId: 'a', producerId, producerEpoch: 0, topics: [{ topic: 't', partitions: [0] }] })
    expect((await produce('a', 0, batch(producerId, 0, 0, 'x'))).errorCode).toBe(0)
    const hook = cluster.transport.hooks.add({ api: 'WriteTxnMarkers', action: { type: 'drop' } })
    const end = { transactionalId: 'a', producerId, producerEpoch: 0 }
    expect((await send(c, 'EndTxn', { ...end, committed: true })).errorCode).toBe(0)
    expect(brokerSideOf(cluster).transactionCoordinator.transaction('a')!.state).toBe('PrepareCommit')
    expect((await send(c, 'EndTxn', { ...end, committed: true })).errorCode).toBe(Errors.CONCURRENT_TRANSACTIONS.code)
    expect((await send(c, 'EndTxn', { ...end, committed: false })).errorCode).toBe(Errors.INVALID_TXN_STATE.code)
    expect((await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 60_000 })).errorCode).toBe(Errors.CONCURRENT_TRANSACTIONS.code)
    expect(brokerSideOf(cluster).broker(leaderOf(0)).replica('t', 0)!.lastStableOffset).toBe(0)
    hook.remove()
    await clock.runUntil(() => brokerSideOf(cluster).transactionCoordinator.transaction('a')!.state === 'CompleteCommit')
    expect((await send(c, 'EndTxn', { ...end, committed: true })).errorCode).toBe(0)
    expect((await send(c, 'EndTxn', { ...end, committed: false })).errorCode).toBe(Errors.INVALID_TXN_STATE.code)
    await clock.runUntil(() => brokerSideOf(cluster).broker(leaderOf(0)).replica('t', 0)!.lastStableOffset === 2)
  })

  it('verifies the first transactional batch at a partition with the coordinator (KIP-890 part 1): a late or unannounced batch is refused and no transaction is left hanging', async () => {
    const { clock, cluster, send, coordinatorOf, produce, batch, leaderOf } = await setup()
    const c = await coordinatorOf('a')
    const { producerId } = await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 60_000 })
    const replica = (p: number) => brokerSideOf(cluster).broker(leaderOf(p)).replica('t', p)!
    // Not added to a transaction: refused, nothing appended.
    expect((await produce('a', 0, batch(producerId, 0, 0, 'unannounced'))).errorCode).toBe(Errors.INVALID_TXN_STATE.code)
    expect(replica(0).logEndOffset).toBe(0)
    const ids = { transactionalId: 'a', producerId, producerEpoch: 0 }
    await send(c, 'AddPartitionsToTxn', { ...ids, topics: [{ topic: 't', partitions: [0] }] })
    expect((await produce('a', 0, batch(producerId, 0, 0, 'x'))).errorCode).toBe(0)
    expect((await produce('a', 0, batch(producerId, 0, 1, 'y'))).errorCode).toBe(0)
    // While the commit's markers are held, a first batch elsewhere is told to retry (NOT_ENOUGH_REPLICAS, retriable).
    const hook = cluster.transport.hooks.add({ api: 'WriteTxnMarkers', action: { type: 'drop' } })
    expect((await send(c, 'EndTxn', { ...ids, committed: true })).errorCode).toBe(0)
    expect((await produce('a', 1, batch(producerId, 0, 0, 'during'))).errorCode).toBe(Errors.NOT_ENOUGH_REPLICAS.code)
    hook.remove()
    await clock.runUntil(() => replica(0).lastStableOffset === 3)
    // A batch of the ended transaction arriving late, next in sequence at the same epoch: without verification it would
    // open a transaction no marker closes, and the last stable offset would stay at 3 for good.
    expect((await produce('a', 0, batch(producerId, 0, 2, 'late'))).errorCode).toBe(Errors.INVALID_TXN_STATE.code)
    expect(replica(0).logEndOffset).toBe(3)
    expect(replica(0).producers.hasOpenTransaction(producerId)).toBe(false)
    // Verified before the batch's own checks, as Kafka's ReplicaManager does: a late batch out of sequence is still
    // INVALID_TXN_STATE, not OUT_OF_ORDER_SEQUENCE_NUMBER.
    expect((await produce('a', 0, batch(producerId, 0, 5, 'later still'))).errorCode).toBe(Errors.INVALID_TXN_STATE.code)
    // A fenced producer's first batch at a partition that holds no state of it: refused for its epoch.
    await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 60_000 })
    expect((await produce('a', 1, batch(producerId, 0, 0, 'zombie'))).errorCode).toBe(Errors.INVALID_PRODUCER_EPOCH.code)
    expect(replica(1).logEndOffset).toBe(0)
  })

  it('below min.insync.replicas: an unannounced transactional batch is refused (INVALID_TXN_STATE, not the retriable NOT_ENOUGH_REPLICAS), and a marker is refused until the ISR regrows, then written once', async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 4, clock, seed: 9, minInsyncReplicas: 2, transactionStateNumPartitions: 1, offsetsTopicNumPartitions: 1, checkInvariants: true, brokerSessionTimeoutMs: 1_000_000, replicaLagTimeMaxMs: 2000 })
    const send = <K extends ApiName>(brokerId: number, api: K, request: RequestOf<K>): Promise<ResponseOf<K>> => clock.run(cluster.transport.send(CLIENT, brokerId, api, request))
    const c = (await send(0, 'FindCoordinator', { key: 'a', keyType: 1 })).nodeId
    const [f1, f2] = [0, 1, 2, 3].filter((b) => b !== c)
    // t-0 led by the coordinator's broker, so isolating its followers leaves the coordinator reaching its leader.
    await send(0, 'CreateTopics', { topics: [{ name: 't', numPartitions: -1, replicationFactor: -1, replicaAssignment: [{ partition: 0, brokerIds: [c, f1!, f2!] }], configs: [] }], timeoutMs: 1000, validateOnly: false })
    const isr = () => brokerSideOf(cluster).controller.topics.get('t')!.partitions[0]!.isr
    await clock.runUntil(() => isr().length === 3)
    const { producerId } = await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 60_000 })
    const ids = { transactionalId: 'a', producerId, producerEpoch: 0 }
    const produce = async (seq: number) =>
      (await send(c, 'Produce', { acks: -1, timeoutMs: 5000, transactionalId: 'a', topics: [{ topic: 't', partitions: [{ partition: 0, batch: { ...ids, baseSequence: seq, transactional: true, records: [{ key: null, value: Buffer.from('x'), headers: [], timestamp: 0 }] } }] }] })).topics[0]!.partitions[0]!.errorCode
    cluster.isolateBroker(f1!)
    cluster.isolateBroker(f2!)
    await clock.runUntil(() => isr().length === 1)
    expect(await produce(0)).toBe(Errors.INVALID_TXN_STATE.code)
    cluster.heal()
    await clock.runUntil(() => isr().length === 3)
    await send(c, 'AddPartitionsToTxn', { ...ids, topics: [{ topic: 't', partitions: [0] }] })
    expect(await produce(0)).toBe(0)
    cluster.isolateBroker(f1!)
    cluster.isolateBroker(f2!)
    await clock.runUntil(() => isr().length === 1)
    expect((await send(c, 'EndTxn', { ...ids, committed: true })).errorCode).toBe(0)
    // Five minutes of the coordinator's retries: Kafka appends markers with acks=all, so none is appended meanwhile.
    await clock.advance(5 * 60_000)
    const replica = brokerSideOf(cluster).broker(c).replica('t', 0)!
    const markers = () => replica.log.allBatches().filter((b) => b.control !== undefined).length
    expect(brokerSideOf(cluster).transactionCoordinator.transaction('a')!.state).toBe('PrepareCommit')
    expect(markers()).toBe(0)
    cluster.heal()
    await clock.runUntil(() => brokerSideOf(cluster).transactionCoordinator.transaction('a')!.state === 'CompleteCommit')
    expect(markers()).toBe(1)
    await clock.runUntil(() => replica.lastStableOffset === 2)
  })

  it('survives the crash of the coordinator broker: the next coordinator ends the transaction', async () => {
    const { clock, cluster, send, coordinatorOf, produce, batch, leaderOf } = await setup()
    const c = await coordinatorOf('a')
    const { producerId } = await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 60_000 })
    await send(c, 'AddPartitionsToTxn', { transactionalId: 'a', producerId, producerEpoch: 0, topics: [{ topic: 't', partitions: [0, 1] }] })
    await produce('a', 0, batch(producerId, 0, 0, 'x'))
    await produce('a', 1, batch(producerId, 0, 0, 'y'))
    cluster.crashBroker(c)
    const next = await coordinatorOf('a')
    expect(next).not.toBe(c)
    expect((await send(next, 'EndTxn', { transactionalId: 'a', producerId, producerEpoch: 0, committed: false })).errorCode).toBe(0)
    await clock.run(brokerSideOf(cluster).transactionCoordinator.markersWritten())
    for (const p of [0, 1]) {
      const replica = brokerSideOf(cluster).broker(leaderOf(p)).replica('t', p)!
      await clock.runUntil(() => replica.lastStableOffset === 2)
      expect(replica.producers.abortedTransactions(0, 2)).toEqual([{ producerId, firstOffset: 0 }])
    }
  })

  it('markers reach the new leader when a partition leader crashes; followers keep the same producer state', async () => {
    const { clock, cluster, send, coordinatorOf, produce, batch, leaderOf } = await setup()
    const c = await coordinatorOf('a')
    const { producerId } = await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 60_000 })
    await send(c, 'AddPartitionsToTxn', { transactionalId: 'a', producerId, producerEpoch: 0, topics: [{ topic: 't', partitions: [0] }] })
    await produce('a', 0, batch(producerId, 0, 0, 'x'))
    const oldLeader = leaderOf(0)
    const hook = cluster.transport.hooks.add({ api: 'WriteTxnMarkers', action: { type: 'drop' } })
    await send(c, 'EndTxn', { transactionalId: 'a', producerId, producerEpoch: 0, committed: false })
    if (c !== oldLeader) cluster.crashBroker(oldLeader)
    else cluster.crashBroker((oldLeader + 1) % 3)
    hook.remove()
    await clock.run(brokerSideOf(cluster).transactionCoordinator.markersWritten())
    const replica = brokerSideOf(cluster).broker(leaderOf(0)).replica('t', 0)!
    await clock.runUntil(() => replica.lastStableOffset === replica.logEndOffset)
    for (const id of cluster.liveBrokerIds()) {
      const r = brokerSideOf(cluster).broker(id).replica('t', 0)!
      await clock.runUntil(() => r.logEndOffset === replica.logEndOffset)
      expect(r.producers.abortedTransactions(0, r.logEndOffset)).toEqual([{ producerId, firstOffset: 0 }])
      expect(r.producers.check(batch(producerId, 0, 0, 'x'))).toEqual({ kind: 'duplicate', baseOffset: 0 })
    }
  })

  it('a newer producer fences the older one at the partition and at the coordinator', async () => {
    const { send, coordinatorOf, produce, batch } = await setup()
    const c = await coordinatorOf('a')
    const { producerId } = await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 60_000 })
    await send(c, 'AddPartitionsToTxn', { transactionalId: 'a', producerId, producerEpoch: 0, topics: [{ topic: 't', partitions: [0] }] })
    await produce('a', 0, batch(producerId, 0, 0, 'old'))
    expect((await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 60_000 })).errorCode).toBe(Errors.CONCURRENT_TRANSACTIONS.code)
    const fresh = await send(c, 'InitProducerId', { transactionalId: 'a', transactionTimeoutMs: 60_000 })
    expect(fresh).toMatchObject({ errorCode: 0, producerId, producerEpoch: 2 })
    expect((await produce('a', 0, batch(producerId, 0, 1, 'zombie'))).errorCode).toBe(Errors.INVALID_PRODUCER_EPOCH.code)
    expect((await send(c, 'EndTxn', { transactionalId: 'a', producerId, producerEpoch: 0, committed: true })).errorCode).toBe(Errors.PRODUCER_FENCED.code)
  })
})

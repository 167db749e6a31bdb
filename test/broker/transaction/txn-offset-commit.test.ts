import { describe, expect, it } from 'vitest'
import { Cluster, brokerSideOf } from '../../../src/cluster.js'
import { Errors, recordsOf, type ApiName, type RequestOf, type ResponseOf } from '../../../src/protocol/index.js'
import { VirtualClock } from '../../../src/time/virtual-clock.js'

const CLIENT = { kind: 'client' as const, clientId: 'test' }

/**
 * A one-broker cluster on virtual time with topic `t`, group `g`'s and transactional id `tx`'s coordinators found, and
 * `tx` initialised (epoch 0); `send` speaks the protocol to broker 0.
 */
async function setUp() {
  const clock = new VirtualClock()
  const cluster = new Cluster({ clock, seed: 1, offsetsTopicNumPartitions: 1, transactionStateNumPartitions: 1 })
  const send = <K extends ApiName>(api: K, request: RequestOf<K>): Promise<ResponseOf<K>> => clock.run(cluster.transport.send(CLIENT, 0, api, request))
  await send('CreateTopics', { topics: [{ name: 't', numPartitions: 1, replicationFactor: 1, replicaAssignment: [], configs: [] }], timeoutMs: 1000, validateOnly: false })
  await send('FindCoordinator', { key: 'g', keyType: 0 })
  await send('FindCoordinator', { key: 'tx', keyType: 1 })
  const { producerId } = await send('InitProducerId', { transactionalId: 'tx', transactionTimeoutMs: 60_000 })
  return { clock, cluster, send, producerId }
}

describe('TxnOffsetCommit and read_committed fetches', () => {
  it('staged offsets answer UNSTABLE_OFFSET_COMMIT to requireStable fetches until the commit marker; fetches carry aborted transactions', async () => {
    const { clock, cluster, send, producerId } = await setUp()
    const ids = { transactionalId: 'tx', producerId, producerEpoch: 0 }
    const fetchOffsets = (requireStable: boolean) => send('OffsetFetch', { groupId: 'g', topics: [{ topic: 't', partitions: [0] }], requireStable })

    // An aborted transaction with a record, then a committed one with offsets.
    await send('AddPartitionsToTxn', { ...ids, topics: [{ topic: 't', partitions: [0] }] })
    const record = { key: null, value: Buffer.from('x'), headers: [], timestamp: 0 }
    await send('Produce', { acks: -1, timeoutMs: 1000, transactionalId: 'tx', topics: [{ topic: 't', partitions: [{ partition: 0, batch: { ...ids, baseSequence: 0, transactional: true, records: [record] } }] }] })
    await send('EndTxn', { ...ids, committed: false })
    await clock.run(brokerSideOf(cluster).transactionCoordinator.markersWritten())

    await send('AddOffsetsToTxn', { ...ids, groupId: 'g' })
    const staged = await send('TxnOffsetCommit', { ...ids, groupId: 'g', generationId: -1, memberId: '', topics: [{ topic: 't', partitions: [{ partition: 0, offset: 2, metadata: null }] }] })
    expect(staged.topics[0]!.partitions[0]!.errorCode).toBe(0)
    const unknown = await send('TxnOffsetCommit', { ...ids, groupId: 'g', generationId: -1, memberId: '', topics: [{ topic: 'nope', partitions: [{ partition: 0, offset: 2, metadata: null }] }] })
    expect(unknown.topics[0]!.partitions[0]!.errorCode).toBe(Errors.UNKNOWN_TOPIC_OR_PARTITION.code)
    expect((await fetchOffsets(true)).topics[0]!.partitions[0]!.errorCode).toBe(Errors.UNSTABLE_OFFSET_COMMIT.code)
    expect((await fetchOffsets(false)).topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset: -1 })
    await send('EndTxn', { ...ids, committed: true })
    await clock.run(brokerSideOf(cluster).transactionCoordinator.markersWritten())
    expect((await fetchOffsets(true)).topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset: 2 })

    const fetched = await send('Fetch', {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel: 1,
      topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1 }] }],
    })
    const p = fetched.topics[0]!.partitions[0]!
    expect(p.abortedTransactions).toEqual([{ producerId, firstOffset: 0 }])
    expect(recordsOf(p.batches).map((r) => r.control ?? 'data')).toEqual(['data', 'ABORT'])
    expect(p.lastStableOffset).toBe(2)
  })

  it('a TxnOffsetCommit after its transaction was fenced, ended or never added the group is refused and stages nothing (KIP-890 part 1)', async () => {
    // Adversary seed 42632: a fenced transaction's late TxnOffsetCommit stayed staged for good, and read_committed
    // consumers were answered UNSTABLE_OFFSET_COMMIT every time they started on the partition.
    const { clock, cluster, send, producerId } = await setUp()
    const zombie = { transactionalId: 'tx', producerId, producerEpoch: 0 }
    const commitOffset = (ids: typeof zombie, offset: number) =>
      send('TxnOffsetCommit', { ...ids, groupId: 'g', generationId: -1, memberId: '', topics: [{ topic: 't', partitions: [{ partition: 0, offset, metadata: null }] }] })
    const errorOf = (answer: ResponseOf<'TxnOffsetCommit'>): number => answer.topics[0]!.partitions[0]!.errorCode
    const stable = async () => (await send('OffsetFetch', { groupId: 'g', topics: [{ topic: 't', partitions: [0] }], requireStable: true })).topics[0]!.partitions[0]

    // No AddOffsetsToTxn yet: the group is not in a transaction.
    expect(errorOf(await commitOffset(zombie, 1))).toBe(Errors.INVALID_TXN_STATE.code)
    // The group added, then the transactional id initialised again (a new owner): the open transaction is aborted and
    // the zombie's TxnOffsetCommit, on its way meanwhile, arrives late.
    await send('AddOffsetsToTxn', { ...zombie, groupId: 'g' })
    // As in Kafka: the first InitProducerId aborts the open transaction and answers CONCURRENT_TRANSACTIONS; the retry,
    // once the markers are written, gets the bumped epoch.
    expect((await send('InitProducerId', { transactionalId: 'tx', transactionTimeoutMs: 60_000 })).errorCode).toBe(Errors.CONCURRENT_TRANSACTIONS.code)
    await clock.run(brokerSideOf(cluster).transactionCoordinator.markersWritten())
    const fenced = await send('InitProducerId', { transactionalId: 'tx', transactionTimeoutMs: 60_000 })
    expect(fenced.errorCode).toBe(0)
    expect(errorOf(await commitOffset(zombie, 1))).toBe(Errors.PRODUCER_FENCED.code)
    expect(await stable()).toMatchObject({ errorCode: 0, offset: -1 })

    // The new owner's transaction commits its offset; a retry of its TxnOffsetCommit after the commit is refused.
    const owner = { transactionalId: 'tx', producerId: fenced.producerId, producerEpoch: fenced.producerEpoch }
    await send('AddOffsetsToTxn', { ...owner, groupId: 'g' })
    expect(errorOf(await commitOffset(owner, 2))).toBe(0)
    await send('EndTxn', { ...owner, committed: true })
    await clock.run(brokerSideOf(cluster).transactionCoordinator.markersWritten())
    expect(errorOf(await commitOffset(owner, 3))).toBe(Errors.INVALID_TXN_STATE.code)
    expect(await stable()).toMatchObject({ errorCode: 0, offset: 2 })
  })
})

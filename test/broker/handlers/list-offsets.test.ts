import { describe, expect, it } from 'vitest'
import { Cluster, brokerSideOf } from '../../../src/cluster.js'
import { Errors } from '../../../src/protocol/index.js'
import { VirtualClock } from '../../../src/time/index.js'
import { CLIENT, createTopic, fetch, leaderOf, values } from '../cluster-test-kit.js'

describe('ListOffsets at a new leader (KIP-207)', () => {
  it('answers OFFSET_NOT_AVAILABLE, not an offset below records consumers read, until the high watermark reaches the start of the leader epoch', async () => {
    const clock = new VirtualClock()
    const outer = new Cluster({ brokers: 3, clock, seed: 7, checkInvariants: true, minInsyncReplicas: 2, brokerSessionTimeoutMs: 3000 })
    const cluster = brokerSideOf(outer)
    await createTopic(cluster, 'orders', 1, 3)
    await clock.runUntil(() => cluster.controller.topics.get('orders')!.partitions[0]!.isr.length === 3)
    const leader = leaderOf(cluster, 'orders')
    const [next, other] = [0, 1, 2].filter((b) => b !== leader) as [number, number]
    const replicaAt = (b: number) => cluster.broker(b).replica('orders', 0)!
    const produce = clock.run(
      cluster.dispatch(leader, CLIENT, 'Produce', {
        acks: -1,
        timeoutMs: 30000,
        transactionalId: null,
        topics: [{ topic: 'orders', partitions: [{ partition: 0, batch: { producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false, records: [{ key: null, value: Buffer.from('a'), headers: [], timestamp: 0 }] } }] }],
      }),
    )
    await clock.runUntil(() => replicaAt(next).logEndOffset === 1)
    // The leader hears `next`'s fetches but `next` never hears the high watermark they moved.
    const deaf = outer.transport.hooks.add({ api: 'Fetch', from: 'broker', when: (_r, from) => from.kind === 'broker' && from.brokerId === next, action: { type: 'dropResponse' } })
    expect((await produce).topics[0]!.partitions[0]!.errorCode).toBe(0)
    expect(values((await fetch(clock, cluster, 'orders', 0)).records)).toEqual(['a'])
    cluster.crashBroker(leader)
    cluster.crashBroker(other)
    deaf.remove()
    await clock.runUntil(() => leaderOf(cluster, 'orders') === next)
    const latest = async () =>
      (await clock.run(cluster.dispatch(next, CLIENT, 'ListOffsets', { replicaId: -1, isolationLevel: 0, topics: [{ topic: 'orders', partitions: [{ partition: 0, timestamp: -1 }] }] }))).topics[0]!.partitions[0]!
    // Alone in the ISR, below min.insync.replicas, its high watermark (0) stays below its epoch's start (1).
    await clock.advance(60_000)
    expect(replicaAt(next).highWatermark).toBe(0)
    expect(await latest()).toMatchObject({ errorCode: Errors.OFFSET_NOT_AVAILABLE.code, offset: -1 })
    cluster.restartBroker(other)
    await clock.runUntil(() => replicaAt(next).highWatermark === 1)
    expect(await latest()).toMatchObject({ errorCode: 0, offset: 1 })
  })
})

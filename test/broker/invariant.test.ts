/** A violated replica invariant stops the run where it happens, named, under the `checkInvariants` flag. */
import { describe, expect, it } from 'vitest'
import { PartitionLog, type FlushPolicy } from '../../src/broker/partition-log.js'
import { batch, createTopic, leaderOf, makeCluster, produce } from './cluster-test-kit.js'

const NEVER: FlushPolicy = { flushMessages: Infinity, flushMs: Infinity, segmentBytes: Infinity, segmentMs: Infinity }

describe('replica invariants under checkInvariants', () => {
  it('a published state whose leader is outside its ISR throws at once, naming the invariant (leader in the ISR, ISR within the replicas, leader epochs increase)', async () => {
    const { cluster } = makeCluster({ brokers: 2 })
    await createTopic(cluster, 'orders', 1, 2)
    const replica = cluster.broker(0).replica('orders', 0)!
    expect(() => replica.applyState({ ...replica.state, leader: 1, isr: [0] })).toThrow(/leader in the ISR/)
    expect(() => replica.applyState({ ...replica.state, isr: [0, 5] })).toThrow(/ISR within the replicas/)
    const epoch = replica.state.leaderEpoch
    replica.applyState({ ...replica.state, leaderEpoch: epoch + 2 })
    expect(() => replica.applyState({ ...replica.state, leaderEpoch: epoch + 1 })).toThrow(/leader epochs increase/)
  })

  it('a log shortened under its high watermark stops the next change, naming the invariant (high watermark within the log)', async () => {
    // One replica, so that no follower's fetch loop meets the shortened log first.
    const { clock, cluster } = makeCluster({ brokers: 2 })
    await createTopic(cluster, 'orders', 1, 1)
    await produce(clock, cluster, 'orders', ['a', 'b', 'c'])
    const leader = leaderOf(cluster, 'orders')
    const replica = cluster.broker(leader).replica('orders', 0)!
    expect(replica.highWatermark).toBe(3)
    // A bug's stand-in: the log loses records behind the replica's back, which its own truncations never do.
    replica.log.truncateTo(1)
    // The crash is published to the other broker, after which the cluster checks itself.
    expect(() => cluster.crashBroker(leader)).toThrow(/high watermark within the log/)
  })
})

describe('partition log invariants', () => {
  it('a batch that does not start at the log end cannot be appended: offsets are dense as appended', () => {
    const leader = new PartitionLog(() => NEVER, 0)
    leader.appendAsLeader(batch(['a', 'b']), 0, 'CreateTime', 0)
    leader.appendAsLeader(batch(['c']), 0, 'CreateTime', 0)
    const gapped = new PartitionLog(() => NEVER, 0)
    const push = (gapped as unknown as { push(batch: unknown, nowMs: number): void }).push.bind(gapped)
    expect(() => push(leader.batchAt(2), 0)).toThrow(/offsets dense on append/)
    expect(gapped.logEndOffset).toBe(0)
  })
})

import { describe, expect, it } from 'vitest'
import { Errors } from '../../../src/protocol/index.js'
import { CLIENT, createTopic, leaderOf, makeCluster, produce } from '../cluster-test-kit.js'

describe('OffsetForLeaderEpoch', () => {
  it("answers where an epoch ends in the leader's log, and fences stale epochs", async () => {
    const { clock, cluster } = makeCluster({ brokers: 3 })
    await createTopic(cluster, 'orders', 1, 3)
    await clock.advance(1)
    await produce(clock, cluster, 'orders', ['a', 'b'])
    cluster.crashBroker(leaderOf(cluster, 'orders'))
    await produce(clock, cluster, 'orders', ['c'])
    const leader = leaderOf(cluster, 'orders')
    const ask = (currentLeaderEpoch: number, leaderEpoch: number) =>
      cluster.dispatch(leader, CLIENT, 'OffsetForLeaderEpoch', {
        replicaId: -1,
        topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch, leaderEpoch }] }],
      })
    expect((await ask(1, 0)).topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, leaderEpoch: 0, endOffset: 2 })
    expect((await ask(1, 1)).topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, leaderEpoch: 1, endOffset: 3 })
    expect((await ask(0, 0)).topics[0]!.partitions[0]!.errorCode).toBe(Errors.FENCED_LEADER_EPOCH.code)
    expect((await ask(2, 0)).topics[0]!.partitions[0]!.errorCode).toBe(Errors.UNKNOWN_LEADER_EPOCH.code)
  })
})

import { describe, expect, it } from 'vitest'
import { EARLIEST_TIMESTAMP, Errors } from '../../../src/protocol/index.js'
import type { BrokerFleet } from '../../../src/broker/broker-fleet.js'
import type { VirtualClock } from '../../../src/time/index.js'
import { CLIENT, createTopic, fetch, leaderOf, makeCluster, produce, values } from '../cluster-test-kit.js'

async function deleteRecords(clock: VirtualClock, cluster: BrokerFleet, topic: string, offset: number) {
  const response = await clock.run(
    cluster.dispatch(leaderOf(cluster, topic), CLIENT, 'DeleteRecords', { topics: [{ topic, partitions: [{ partition: 0, offset }] }], timeoutMs: 1000 }),
  )
  return response.topics[0]!.partitions[0]!
}

async function earliest(clock: VirtualClock, cluster: BrokerFleet, topic: string): Promise<number> {
  const response = await clock.run(
    cluster.dispatch(leaderOf(cluster, topic), CLIENT, 'ListOffsets', { replicaId: -1, isolationLevel: 0, topics: [{ topic, partitions: [{ partition: 0, timestamp: EARLIEST_TIMESTAMP }] }] }),
  )
  return response.topics[0]!.partitions[0]!.offset
}

describe('DeleteRecords', () => {
  it('moves the log start offset: ListOffsets earliest answers it, a fetch below it is OFFSET_OUT_OF_RANGE, reads from it skip the records below', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 't')
    await produce(clock, cluster, 't', ['a', 'b', 'c', 'd'])
    expect(await deleteRecords(clock, cluster, 't', 2)).toEqual({ partition: 0, lowWatermark: 2, errorCode: 0 })
    expect(await earliest(clock, cluster, 't')).toBe(2)
    expect((await fetch(clock, cluster, 't', 1)).errorCode).toBe(Errors.OFFSET_OUT_OF_RANGE.code)
    const read = await fetch(clock, cluster, 't', 2)
    expect(read.logStartOffset).toBe(2)
    expect(values(read.records)).toEqual(['c', 'd'])
  })

  it('-1 deletes up to the high watermark; an offset above it or below -1 is OFFSET_OUT_OF_RANGE; a lower offset changes nothing', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 't')
    await produce(clock, cluster, 't', ['a', 'b', 'c'])
    expect((await deleteRecords(clock, cluster, 't', 4)).errorCode).toBe(Errors.OFFSET_OUT_OF_RANGE.code)
    expect((await deleteRecords(clock, cluster, 't', -2)).errorCode).toBe(Errors.OFFSET_OUT_OF_RANGE.code)
    expect(await earliest(clock, cluster, 't')).toBe(0)
    expect((await deleteRecords(clock, cluster, 't', -1)).lowWatermark).toBe(3)
    expect((await deleteRecords(clock, cluster, 't', 1)).lowWatermark).toBe(3)
    await produce(clock, cluster, 't', ['d'])
    expect(values((await fetch(clock, cluster, 't', 3)).records)).toEqual(['d'])
  })

  it('is refused with POLICY_VIOLATION on a topic with cleanup.policy=compact', async () => {
    const { clock, cluster } = makeCluster()
    await createTopic(cluster, 't', 1, 1, [{ name: 'cleanup.policy', value: 'compact' }])
    expect((await deleteRecords(clock, cluster, 't', -1)).errorCode).toBe(Errors.POLICY_VIOLATION.code)
  })

  it('reaches every replica: followers follow the leader log start offset from its fetch responses', async () => {
    const { clock, cluster } = makeCluster({ brokers: 3 })
    await createTopic(cluster, 't', 1, 3)
    await produce(clock, cluster, 't', ['a', 'b', 'c', 'd', 'e'])
    expect((await deleteRecords(clock, cluster, 't', 3)).lowWatermark).toBe(3)
    await clock.advance(1000)
    for (const id of [0, 1, 2]) expect(cluster.broker(id).replica('t', 0)!.log.logStartOffset).toBe(3)
  })

  it('a follower whose log ends below the leader log start offset starts over there', async () => {
    const { clock, cluster } = makeCluster({ brokers: 2 })
    await createTopic(cluster, 't', 1, 2)
    const leader = leaderOf(cluster, 't')
    const follower = 1 - leader
    cluster.crashBroker(follower)
    await clock.advance(20000)
    await produce(clock, cluster, 't', ['a', 'b', 'c', 'd'])
    expect((await deleteRecords(clock, cluster, 't', -1)).lowWatermark).toBe(4)
    await produce(clock, cluster, 't', ['e'])
    cluster.restartBroker(follower)
    await clock.advance(20000)
    const log = cluster.broker(follower).replica('t', 0)!.log
    expect([log.logStartOffset, log.logEndOffset]).toEqual([4, 5])
    expect(log.recordAt(4)!.value!.toString()).toBe('e')
  })
})

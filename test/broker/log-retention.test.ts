import { describe, expect, it } from 'vitest'
import { Errors } from '../../src/protocol/index.js'
import { createTopic, fetch, leaderOf, makeCluster, produce, values } from './cluster-test-kit.js'

describe('log retention by the cleaner on the cluster clock', () => {
  it('deletes segments older than retention.ms at the next log.retention.check.interval.ms, on every replica; a fetch below the new log start is OFFSET_OUT_OF_RANGE', async () => {
    const { clock, cluster } = makeCluster({ brokers: 3, logRetentionCheckIntervalMs: 60000 })
    await createTopic(cluster, 't', 1, 3, [
      { name: 'retention.ms', value: '3600000' },
      { name: 'segment.ms', value: '600000' },
      // Records stamped by the broker's (virtual) clock.
      { name: 'message.timestamp.type', value: 'LogAppendTime' },
    ])
    await produce(clock, cluster, 't', ['old'])
    await clock.advance(700000)
    await produce(clock, cluster, 't', ['new'])
    await clock.advance(2800000)
    for (const id of [0, 1, 2]) expect(cluster.broker(id).replica('t', 0)!.log.logStartOffset).toBe(0)
    // 'old' is now older than retention.ms; 'new' (in the next segment, rolled by segment.ms) is not.
    await clock.advance(200000)
    for (const id of [0, 1, 2]) expect(cluster.broker(id).replica('t', 0)!.log.logStartOffset).toBe(1)
    expect((await fetch(clock, cluster, 't', 0)).errorCode).toBe(Errors.OFFSET_OUT_OF_RANGE.code)
    expect(values((await fetch(clock, cluster, 't', 1)).records)).toEqual(['new'])
  })

  it('keeps every segment with cleanup.policy=compact, and everything with retention.ms=-1', async () => {
    const { clock, cluster } = makeCluster({ logRetentionCheckIntervalMs: 100000 })
    await createTopic(cluster, 'c', 1, 1, [{ name: 'cleanup.policy', value: 'compact' }, { name: 'retention.ms', value: '1' }, { name: 'segment.ms', value: '1' }])
    await createTopic(cluster, 'f', 1, 1, [{ name: 'retention.ms', value: '-1' }, { name: 'segment.ms', value: '1' }])
    for (const topic of ['c', 'f']) {
      expect((await produce(clock, cluster, topic, ['a'], { keys: ['a'] })).errorCode).toBe(0)
      await clock.advance(10)
      expect((await produce(clock, cluster, topic, ['b'], { keys: ['b'] })).errorCode).toBe(0)
    }
    await clock.advance(1e7)
    for (const topic of ['c', 'f']) expect(cluster.broker(0).replica(topic, 0)!.log.logStartOffset).toBe(0)
  })

  it("a replica whose log start passed a crashed replica's records does not break log matching (checkInvariants)", async () => {
    const { clock, cluster } = makeCluster({ brokers: 2, logRetentionCheckIntervalMs: 1000 })
    await createTopic(cluster, 'r', 1, 2, [{ name: 'retention.ms', value: '0' }, { name: 'segment.ms', value: '1' }, { name: 'message.timestamp.type', value: 'LogAppendTime' }])
    await produce(clock, cluster, 'r', ['a'], { acks: 1 })
    await clock.advance(500)
    cluster.crashBroker(1 - leaderOf(cluster, 'r'))
    await produce(clock, cluster, 'r', ['b'], { acks: 1 })
    // The leader deletes the first segment; the crashed replica still holds it.
    await clock.advance(1500)
    expect(cluster.broker(leaderOf(cluster, 'r')).replica('r', 0)!.log.logStartOffset).toBeGreaterThanOrEqual(1)
  })
})

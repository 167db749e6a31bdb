/** Replication through the public Cluster's transport: follower fetches are requests like any other, so hooks and partitions apply. */
import { describe, expect, it } from 'vitest'
import { Cluster, brokerSideOf } from '../../src/cluster.js'
import { Errors } from '../../src/protocol/index.js'
import { VirtualClock } from '../../src/time/index.js'
import { batch, CLIENT } from './cluster-test-kit.js'

async function setup() {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: 3, clock, seed: 11, checkInvariants: true })
  await cluster.transport.send(CLIENT, 0, 'CreateTopics', {
    topics: [{ name: 'orders', numPartitions: 1, replicationFactor: 3, replicaAssignment: [], configs: [] }],
    timeoutMs: 1000,
    validateOnly: false,
  })
  await clock.advance(1)
  const leader = brokerSideOf(cluster).controller.topics.get('orders')!.partitions[0]!.leader
  const produce = (value: string, timeoutMs = 2000) =>
    clock.run(
      cluster.transport.send(CLIENT, leader, 'Produce', {
        acks: -1,
        timeoutMs,
        transactionalId: null,
        topics: [{ topic: 'orders', partitions: [{ partition: 0, batch: batch([value]) }] }],
      }),
    )
  return { clock, cluster, produce }
}

describe('replication through the in-process transport', () => {
  it('replicates acks=all writes through the transport', async () => {
    const { cluster, produce } = await setup()
    expect((await produce('a')).topics[0]!.partitions[0]!.errorCode).toBe(0)
    expect(cluster.transport.stats.byApi.Fetch).toBeGreaterThan(0)
  })

  it('a hook that drops follower fetches stalls acks=all until it is removed', async () => {
    const { clock, cluster, produce } = await setup()
    await produce('warm-up')
    const hook = cluster.transport.hooks.add({ api: 'Fetch', from: 'broker', action: { type: 'drop' } })
    expect((await produce('two')).topics[0]!.partitions[0]!.errorCode).toBe(Errors.REQUEST_TIMED_OUT.code)
    hook.remove()
    await clock.runUntil(() => cluster.describe().partitions[0]!.highWatermark === 2, { maxMs: 120_000 })
    expect((await produce('three')).topics[0]!.partitions[0]!.errorCode).toBe(0)
  })
})

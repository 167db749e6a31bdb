/**
 * The client's metadata cache: partial answers do not make other topics look fresh (defect 9 of
 * issue 8), a partition whose leader is gone is refreshed at once, and metadata with an older
 * leader epoch than one already seen is ignored (KIP-320).
 */
import { describe, expect, it } from 'vitest'
import { createBrokerRouter } from '../../../src/client/client-context.js'
import { createLogger, logLevel } from '../../../src/client/logger.js'
import { Cluster, brokerSideOf } from '../../../src/cluster.js'
import { VirtualClock } from '../../../src/time/index.js'

async function setup() {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: 3, seed: 5, clock })
  const logger = createLogger({ level: logLevel.NOTHING, now: () => clock.now() })
  const client = createBrokerRouter({ connection: cluster, clientId: 'meta', requestTimeout: 1000, retry: { retries: 3 }, logger })
  const admin = createBrokerRouter({ connection: cluster, clientId: 'admin', requestTimeout: 1000, retry: {}, logger })
  for (const topic of ['orders', 'orders.dlt']) {
    await clock.run(admin.sendToAny('CreateTopics', { topics: [{ name: topic, numPartitions: 1, replicationFactor: 3, replicaAssignment: [], configs: [] }], timeoutMs: 1000, validateOnly: false }))
  }
  await clock.advance(1)
  const state = () => brokerSideOf(cluster).controller.topics.get('orders')!.partitions[0]!
  return { clock, cluster, client, state }
}

describe('client metadata cache', () => {
  it('metadata fetched for another topic does not hide that a subscribed partition\'s leader crashed', async () => {
    const { clock, cluster, client, state } = await setup()
    await clock.run(client.addTargetTopics(['orders']))
    const crashed = client.leaderFor('orders', 0)
    cluster.crashBroker(crashed)
    // What the dead-letter publisher does: ask for its own topic's metadata through the same client.
    await clock.run(client.metadata(['orders.dlt']))
    await clock.run(client.refreshMetadataIfNecessary())
    expect(client.leaderFor('orders', 0)).toBe(state().leader)
    expect(client.leaderFor('orders', 0)).not.toBe(crashed)
  })

  it('a complete answer for only some target topics leaves the cache due for a refresh', async () => {
    const { clock, cluster, client, state } = await setup()
    await clock.run(client.addTargetTopics(['orders', 'orders.dlt']))
    cluster.crashBroker(client.leaderFor('orders', 0))
    await clock.run(client.metadata(['orders.dlt']))
    await clock.run(client.refreshMetadataIfNecessary())
    expect(client.leaderFor('orders', 0)).toBe(state().leader)
  })

  it('an answer for only some target topics does not renew the others\' expired metadata, even when their old leader is back up', async () => {
    const { clock, cluster, client, state } = await setup()
    await clock.run(client.addTargetTopics(['orders', 'orders.dlt']))
    const oldLeader = client.leaderFor('orders', 0)
    cluster.crashBroker(oldLeader)
    cluster.restartBroker(oldLeader)
    // The cache is past metadataMaxAge, and its leader for 'orders' is a live broker again: only the partial
    // answer's completeness tells that it says nothing new about 'orders'.
    await clock.advance(300_000)
    if (state().leader === oldLeader) throw new Error('setup: leadership should have moved off the restarted broker')
    await clock.run(client.metadata(['orders.dlt']))
    await clock.run(client.refreshMetadataIfNecessary())
    expect(client.leaderFor('orders', 0)).toBe(state().leader)
  })

  it('ignores metadata from an isolated broker whose leader epoch is older than one it has seen (KIP-320)', async () => {
    const { clock, cluster, client, state } = await setup()
    const oldLeader = state().leader
    cluster.isolateBroker(oldLeader)
    await clock.advance(cluster.config.brokerSessionTimeoutMs)
    const current = state()
    expect(current.leader).not.toBe(oldLeader)
    await clock.run(client.addTargetTopics(['orders']))
    // Make sure the answer came from an up-to-date broker, then ask only the isolated one.
    await clock.run(client.refreshMetadata())
    const seen = client.findTopicPartitionMetadata('orders')[0]!
    if (seen.leaderEpoch !== current.leaderEpoch) throw new Error('setup: the client should have seen the current epoch')
    const onlyStale = cluster.transport.hooks.add({ api: 'Metadata', when: (_r, _f, brokerId) => brokerId !== oldLeader, action: { type: 'drop' } })
    await clock.run(client.metadata(['orders']))
    onlyStale.remove()
    expect(client.findTopicPartitionMetadata('orders')[0]).toMatchObject({ leader: current.leader, leaderEpoch: current.leaderEpoch })
  })
})

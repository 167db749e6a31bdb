import { describe, expect, it } from 'vitest'
import { Cluster } from '../../../src/cluster.js'
import { Kafka } from '../../../src/client/kafka.js'
import { VirtualClock } from '../../../src/time/virtual-clock.js'

async function threeBrokers(seed: number) {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: 3, clock, seed, minInsyncReplicas: 2 })
  const kafka = new Kafka({ clientId: 'failover', cluster, logLevel: 0 })
  const admin = kafka.admin()
  const producer = kafka.producer()
  await clock.run(admin.connect())
  await clock.run(producer.connect())
  await clock.run(admin.createTopics({ topics: [{ topic: 't', numPartitions: 3, replicationFactor: 3 }] }))
  return { clock, cluster, admin, producer }
}

describe('producer across a leader crash', () => {
  it('finds the new leader through metadata and carries on, with no user code', async () => {
    const { clock, cluster, admin, producer } = await threeBrokers(11)
    await clock.run(producer.send({ topic: 't', messages: [{ value: 'before', partition: 0 }] }))
    const { topics } = await clock.run(admin.fetchTopicMetadata({ topics: ['t'] }))
    const leader = topics[0]!.partitions.find((p) => p.partitionId === 0)!.leader
    cluster.crashBroker(leader)
    const result = await clock.run(producer.send({ topic: 't', messages: [{ value: 'after', partition: 0 }] }))
    expect(result).toEqual([expect.objectContaining({ partition: 0, baseOffset: '1' })])
    const after = await clock.run(admin.fetchTopicMetadata({ topics: ['t'] }))
    expect(after.topics[0]!.partitions.find((p) => p.partitionId === 0)!.leader).not.toBe(leader)
  })
})

import { describe, expect, it } from 'vitest'
import { threeBrokers } from './three-brokers.js'

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

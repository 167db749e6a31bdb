import { describe, expect, it } from 'vitest'
import { brokerSideOf } from '../../../src/cluster.js'
import { KafkaJSNonRetriableError, KafkaJSProtocolError } from '../../../src/client/errors.js'
import { ElectionTypes } from '../../../src/client/admin/reassignment-admin.js'
import { adminSetup } from './admin-helpers.js'

type Setup = Awaited<ReturnType<typeof adminSetup>>

const state = ({ cluster }: Setup) => brokerSideOf(cluster).controller.topics.get('t')!.partitions[0]!

async function withTopic(brokers: number, replicas: number[]) {
  const setup = await adminSetup({ brokers })
  await setup.run(setup.admin.createTopics({ topics: [{ topic: 't', replicaAssignment: [{ partition: 0, replicas }] }] }))
  for (let i = 0; i < 20; i++) await setup.run(setup.producer.send({ topic: 't', acks: -1, messages: [{ key: `k${i}`, value: `v${i}` }] }))
  return setup
}

describe('alterPartitionReassignments / listPartitionReassignments', () => {
  it('adds the new replicas, lets them catch up into the ISR, then removes the old ones (leader moves too)', async () => {
    const setup = await withTopic(4, [0, 1])
    const { admin, run, clock, cluster } = setup
    cluster.isolateBroker(2) // the new replica cannot catch up yet: the move stays in progress
    await run(admin.alterPartitionReassignments({ topics: [{ topic: 't', partitionAssignment: [{ partition: 0, replicas: [2, 3] }] }] }))
    const listed = await run(admin.listPartitionReassignments({}))
    expect(listed.topics).toEqual([{ topic: 't', partitions: [{ partitionIndex: 0, replicas: [2, 3, 0, 1], addingReplicas: [2, 3], removingReplicas: [0, 1] }] }])
    cluster.heal()
    await clock.runUntil(() => state(setup).replicas.length === 2)
    expect(state(setup)).toMatchObject({ replicas: [2, 3] })
    expect([2, 3]).toContain(state(setup).leader)
    expect((await run(admin.listPartitionReassignments())).topics).toEqual([])
    // Every acknowledged record is on the new replicas.
    for (const id of [2, 3]) expect(brokerSideOf(cluster).broker(id).replica('t', 0)!.logEndOffset).toBe(20)
    expect(brokerSideOf(cluster).broker(0).replica('t', 0)).toBeUndefined()
  })

  it('survives a crash of a new replica mid-move: it completes once the broker is back', async () => {
    const setup = await withTopic(3, [0, 1])
    const { admin, run, clock, cluster } = setup
    cluster.crashBroker(2)
    await run(admin.alterPartitionReassignments({ topics: [{ topic: 't', partitionAssignment: [{ partition: 0, replicas: [0, 2] }] }] }))
    await clock.advance(30_000)
    expect(state(setup).replicas).toEqual([0, 2, 1])
    cluster.restartBroker(2)
    await clock.runUntil(() => state(setup).replicas.length === 2)
    expect(state(setup)).toMatchObject({ replicas: [0, 2], isr: [0, 2] })
  })

  it('rejects unknown brokers and unknown partitions with the broker error', async () => {
    const setup = await withTopic(2, [0, 1])
    const bad = await setup.fail(setup.admin.alterPartitionReassignments({ topics: [{ topic: 't', partitionAssignment: [{ partition: 0, replicas: [0, 7] }] }] }))
    expect((bad as KafkaJSProtocolError).type).toBe('INVALID_REPLICA_ASSIGNMENT')
    const ghost = await setup.fail(setup.admin.alterPartitionReassignments({ topics: [{ topic: 't', partitionAssignment: [{ partition: 5, replicas: [0] }] }] }))
    expect((ghost as KafkaJSProtocolError).type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
  })

  it.each([
    ['no topics', { topics: undefined }, 'Invalid topics array undefined'],
    ['a non-string topic', { topics: [{ topic: 1, partitionAssignment: [] }] }, 'Invalid topics array, the topic names have to be a valid string'],
    ['a topic twice', { topics: [{ topic: 'a', partitionAssignment: [] }, { topic: 'a', partitionAssignment: [] }] }, 'Invalid topics array, it cannot have multiple entries for the same topic'],
    ['no partitions', { topics: [{ topic: 'a' }] }, 'Invalid partitions array: undefined for topic: a'],
    ['a negative partition', { topics: [{ topic: 'a', partitionAssignment: [{ partition: -1, replicas: [0] }] }] }, 'Invalid partitions index: -1 for topic: a'],
    ['a negative replica', { topics: [{ topic: 'a', partitionAssignment: [{ partition: 0, replicas: [-1] }] }] }, 'Invalid replica assignment: -1 for topic: a on partition: 0. Replicas must be a non negative number'],
  ])('alterPartitionReassignments rejects %s with the KafkaJS message', async (_case, options, message) => {
    const { admin, fail } = await adminSetup()
    const error = await fail(admin.alterPartitionReassignments(options as never))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect((error as Error).message).toBe(message)
  })

  it('listPartitionReassignments rejects bad partitions with the KafkaJS message', async () => {
    const { admin, fail } = await adminSetup()
    const error = await fail(admin.listPartitionReassignments({ topics: [{ topic: 'a', partitions: [-1] }] }))
    expect((error as Error).message).toBe('Invalid partition array: -1 for topic: a. The partition indices have to be a valid number greater than 0.')
  })
})

describe('electLeaders', () => {
  it('PREFERRED moves leadership back to the first replica once it is in sync', async () => {
    const setup = await withTopic(2, [0, 1])
    const { admin, run, clock, cluster } = setup
    cluster.crashBroker(0)
    expect(state(setup).leader).toBe(1)
    cluster.restartBroker(0)
    await clock.runUntil(() => state(setup).isr.length === 2)
    expect(await run(admin.electLeaders({ electionType: ElectionTypes.PREFERRED, topicPartitions: [{ topic: 't', partitions: [0] }] }))).toEqual([
      { topic: 't', partition: 0, errorCode: 0 },
    ])
    expect(state(setup).leader).toBe(0)
  })

  it('UNCLEAN elects an out-of-sync replica of a leaderless partition', async () => {
    const setup = await withTopic(2, [0, 1])
    const { admin, run, cluster } = setup
    cluster.crashBroker(1)
    cluster.crashBroker(0)
    cluster.restartBroker(1)
    expect(state(setup).leader).toBe(-1)
    await run(admin.electLeaders({ electionType: ElectionTypes.UNCLEAN, topicPartitions: [{ topic: 't', partitions: [0] }] }))
    expect(state(setup)).toMatchObject({ leader: 1, isr: [1] })
  })

  it('PREFERRED answers PREFERRED_LEADER_NOT_AVAILABLE when the preferred replica is down', async () => {
    const setup = await withTopic(2, [0, 1])
    setup.cluster.crashBroker(0)
    const error = await setup.fail(setup.admin.electLeaders({ topicPartitions: [{ topic: 't', partitions: [0] }] }))
    expect((error as KafkaJSProtocolError).type).toBe('PREFERRED_LEADER_NOT_AVAILABLE')
  })
})

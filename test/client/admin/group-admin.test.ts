import { describe, expect, it } from 'vitest'
import { KafkaJSDeleteGroupsError, KafkaJSNonRetriableError } from '../../../src/client/errors.js'
import { adminSetup } from './admin-helpers.js'

async function withRunningGroup() {
  const setup = await adminSetup()
  const { admin, kafka, clock, run, producer } = setup
  await run(admin.createTopics({ topics: [{ topic: 't', numPartitions: 2 }] }))
  await run(producer.send({ topic: 't', messages: [{ value: 'a', partition: 0 }] }))
  const consumer = kafka.consumer({ groupId: 'live' })
  await run(consumer.connect())
  await run(consumer.subscribe({ topics: ['t'], fromBeginning: true }))
  let seen = 0
  void consumer.run({ eachMessage: async () => void seen++ })
  await clock.runUntil(() => seen === 1)
  return { ...setup, consumer }
}

describe('groups', () => {
  it('describeGroups shows a running group with its member; an unknown group is Dead', async () => {
    const { admin, run, consumer } = await withRunningGroup()
    const { groups } = await run(admin.describeGroups(['live', 'nobody']))
    expect(groups).toHaveLength(2)
    const live = groups.find((g) => g.groupId === 'live')!
    expect(live).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' })
    expect(live.members).toHaveLength(1)
    expect(live.members[0]).toEqual({
      memberId: expect.any(String),
      clientId: 'admin-test',
      clientHost: expect.any(String),
      memberMetadata: expect.any(Buffer),
      memberAssignment: expect.any(Buffer),
    })
    expect(groups.find((g) => g.groupId === 'nobody')).toMatchObject({ state: 'Dead', members: [] })
    await run(consumer.disconnect())
  })

  it('listGroups lists every group', async () => {
    const { admin, run, consumer } = await withRunningGroup()
    await run(admin.setOffsets({ groupId: 'offsets-only', topic: 't', partitions: [{ partition: 0, offset: '0' }] }))
    const { groups } = await run(admin.listGroups())
    expect(groups.map((g) => g.groupId).sort()).toEqual(['live', 'offsets-only'])
    expect(groups.find((g) => g.groupId === 'live')).toEqual({ groupId: 'live', protocolType: 'consumer' })
    await run(consumer.disconnect())
  })

  it('deleteGroups deletes an empty group and its offsets; a running group gives KafkaJSDeleteGroupsError NON_EMPTY_GROUP', async () => {
    const { admin, run, fail, consumer } = await withRunningGroup()
    await run(admin.setOffsets({ groupId: 'idle', topic: 't', partitions: [{ partition: 1, offset: '0' }] }))
    expect(await run(admin.deleteGroups(['idle']))).toEqual([{ groupId: 'idle', errorCode: 0 }])
    expect(await run(admin.fetchOffsets({ groupId: 'idle' }))).toEqual([])

    const error = (await fail(admin.deleteGroups(['live']))) as KafkaJSDeleteGroupsError
    expect(error).toBeInstanceOf(KafkaJSDeleteGroupsError)
    expect(error.groups).toEqual([{ groupId: 'live', errorCode: 68, error: expect.objectContaining({ type: 'NON_EMPTY_GROUP' }) }])
    expect((await run(admin.describeGroups(['live']))).groups[0]!.state).toBe('Stable')
    await run(consumer.disconnect())
  })

  it('deleteGroups of an unknown group gives GROUP_ID_NOT_FOUND', async () => {
    const { admin, fail } = await adminSetup()
    const error = (await fail(admin.deleteGroups(['ghost']))) as KafkaJSDeleteGroupsError
    expect(error).toBeInstanceOf(KafkaJSDeleteGroupsError)
    expect(error.groups[0]).toMatchObject({ groupId: 'ghost', errorCode: 69 })
  })

  it.each([
    ['not an array', 'g', 'Invalid groupIds array g'],
    ['non-string ids', [1], 'Invalid groupId name: 1'],
  ])('deleteGroups rejects %s', async (_name, ids, message) => {
    const { admin, fail } = await adminSetup()
    const error = await fail(admin.deleteGroups(ids as never))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect((error as Error).message).toBe(message)
  })
})

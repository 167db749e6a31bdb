/** Static membership (KIP-345) at the coordinator: restarts keep the place and assignment, a newer incarnation fences the old one. */
import { describe, expect, it } from 'vitest'
import { Errors } from '../../../src/protocol/index.js'
import { SESSION_MS, describe1, fixture, isSettled, joinRequest, type Fixture } from './group-fixture.js'

/** Joins static members `instances` (no MEMBER_ID_REQUIRED round trip) and syncs them into a Stable group. */
async function staticGroup(f: Fixture, instances: string[]) {
  const joins = instances.map((id) => f.coordinator.joinGroup(joinRequest({ groupInstanceId: id, clientId: id })))
  const responses = await f.clock.run(Promise.all(joins))
  const { generationId, leader } = responses[0]!
  const memberIds = responses.map((r) => r.memberId)
  await f.clock.run(
    Promise.all(
      memberIds.map((memberId, i) =>
        f.coordinator.syncGroup({
          groupId: 'g',
          generationId,
          memberId,
          groupInstanceId: instances[i]!,
          assignments: memberId === leader ? memberIds.map((m, k) => ({ memberId: m, assignment: Buffer.from(`for ${instances[k]}`) })) : [],
        }),
      ),
    ),
  )
  return { memberIds, generationId, leader }
}

describe('static membership (KIP-345) at the coordinator', () => {
  it('a static member joins without MEMBER_ID_REQUIRED and its member id starts with its instance id', async () => {
    const f = fixture()
    const join = await f.clock.run(f.coordinator.joinGroup(joinRequest({ groupInstanceId: 'pod-1' })))
    expect(join.errorCode).toBe(0)
    expect(join.memberId).toMatch(/^pod-1-/)
    expect(join.members).toEqual([{ memberId: join.memberId, groupInstanceId: 'pod-1', metadata: Buffer.from('sub') }])
  })

  it('a known instance rejoining a Stable group gets the same generation, its assignment, and the old leader id, at once', async () => {
    const f = fixture()
    const { memberIds, generationId, leader } = await staticGroup(f, ['a', 'b'])
    const rejoin = await f.coordinator.joinGroup(joinRequest({ groupInstanceId: 'a' }))
    expect(rejoin).toMatchObject({ errorCode: 0, generationId, leader, members: [] })
    expect(rejoin.memberId).not.toBe(memberIds[0])
    const sync = await f.coordinator.syncGroup({ groupId: 'g', generationId, memberId: rejoin.memberId, groupInstanceId: 'a', assignments: [] })
    expect(sync).toEqual({ errorCode: 0, assignment: Buffer.from('for a') })
    expect(describe1(f).state).toBe('Stable')
    expect(describe1(f).members.map((m) => m.memberId)).toEqual([rejoin.memberId, memberIds[1]])
  })

  it('the old incarnation is fenced on Heartbeat, SyncGroup, OffsetCommit, JoinGroup and LeaveGroup', async () => {
    const f = fixture()
    const { memberIds, generationId } = await staticGroup(f, ['a', 'b'])
    const old = memberIds[0]!
    await f.coordinator.joinGroup(joinRequest({ groupInstanceId: 'a' }))
    const fenced = Errors.FENCED_INSTANCE_ID.code
    expect(f.coordinator.heartbeat({ groupId: 'g', generationId, memberId: old, groupInstanceId: 'a' }).errorCode).toBe(fenced)
    expect((await f.coordinator.syncGroup({ groupId: 'g', generationId, memberId: old, groupInstanceId: 'a', assignments: [] })).errorCode).toBe(fenced)
    const commit = f.coordinator.offsetCommit({ groupId: 'g', generationId, memberId: old, groupInstanceId: 'a', topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: 5, metadata: null }] }] })
    expect(commit.topics[0]!.partitions[0]!.errorCode).toBe(fenced)
    expect((await f.coordinator.joinGroup(joinRequest({ memberId: old, groupInstanceId: 'a' }))).errorCode).toBe(fenced)
    expect(f.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: old, groupInstanceId: 'a' }] }).members[0]!.errorCode).toBe(fenced)
    expect(describe1(f).members).toHaveLength(2)
    // An instance the group does not know is an unknown member.
    expect(f.coordinator.heartbeat({ groupId: 'g', generationId, memberId: old, groupInstanceId: 'zzz' }).errorCode).toBe(Errors.UNKNOWN_MEMBER_ID.code)
  })

  it("a restart answers the old incarnation's parked JoinGroup with FENCED_INSTANCE_ID", async () => {
    const f = fixture()
    const { memberIds } = await staticGroup(f, ['a', 'b'])
    // b rejoins with its member id: a rebalance starts and b's JoinGroup waits for a.
    const parked = f.coordinator.joinGroup(joinRequest({ memberId: memberIds[1]!, groupInstanceId: 'b', protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from('new') }] }))
    expect(await isSettled(f, parked)).toBe(false)
    const restarted = f.coordinator.joinGroup(joinRequest({ groupInstanceId: 'b' }))
    expect((await parked).errorCode).toBe(Errors.FENCED_INSTANCE_ID.code)
    void f.coordinator.joinGroup(joinRequest({ memberId: memberIds[0]!, groupInstanceId: 'a' }))
    expect((await f.clock.run(restarted)).errorCode).toBe(0)
  })

  it('a restart during CompletingRebalance starts a new rebalance (the leader may be assigning to the old id)', async () => {
    const f = fixture()
    const joins = ['a', 'b'].map((id) => f.coordinator.joinGroup(joinRequest({ groupInstanceId: id })))
    const [ja] = await f.clock.run(Promise.all(joins))
    expect(describe1(f).state).toBe('CompletingRebalance')
    const restarted = f.coordinator.joinGroup(joinRequest({ groupInstanceId: 'b' }))
    expect(describe1(f).state).toBe('PreparingRebalance')
    void f.coordinator.joinGroup(joinRequest({ memberId: ja!.memberId, groupInstanceId: 'a' }))
    expect((await f.clock.run(restarted)).generationId).toBe(ja!.generationId + 1)
  })

  it('a restart that changes the protocol the group would select rebalances', async () => {
    const f = fixture()
    const { generationId } = await staticGroup(f, ['a'])
    const rejoin = f.coordinator.joinGroup(joinRequest({ groupInstanceId: 'a', protocols: [{ name: 'RangeAssigner', metadata: Buffer.alloc(0) }, { name: 'RoundRobinAssigner', metadata: Buffer.from('sub') }] }))
    expect((await f.clock.run(rejoin)).generationId).toBe(generationId + 1)
  })

  it('the session timeout removes a static member that does not come back, and LeaveGroup by instance id alone removes one at once', async () => {
    const f = fixture()
    const { memberIds, generationId } = await staticGroup(f, ['a', 'b', 'c'])
    const beat = () => f.coordinator.heartbeat({ groupId: 'g', generationId, memberId: memberIds[1]!, groupInstanceId: 'b' })
    for (let t = 0; t < SESSION_MS; t += 3000) {
      await f.clock.advance(3000)
      beat()
      f.coordinator.heartbeat({ groupId: 'g', generationId, memberId: memberIds[2]!, groupInstanceId: 'c' })
    }
    expect(describe1(f).members.map((m) => m.memberId)).toEqual(memberIds.slice(1))
    expect(describe1(f).state).toBe('PreparingRebalance')
    const left = f.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: '', groupInstanceId: 'c' }, { memberId: '', groupInstanceId: 'nobody' }] })
    expect(left.members.map((m) => m.errorCode)).toEqual([0, Errors.UNKNOWN_MEMBER_ID.code])
    expect(describe1(f).members.map((m) => m.memberId)).toEqual([memberIds[1]])
    // The instance id is free again: a new member with it joins as new.
    const again = await f.clock.run(f.coordinator.joinGroup(joinRequest({ groupInstanceId: 'c' })))
    expect(again.errorCode).toBe(0)
  })
})

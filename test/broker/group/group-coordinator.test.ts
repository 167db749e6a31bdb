import { describe, expect, it } from 'vitest'
import { Errors } from '../../../src/protocol/index.js'
import { NEW_MEMBER_JOIN_TIMEOUT_MS } from '../../../src/broker/group/index.js'
import { REBALANCE_MS, SESSION_MS, describe1, fixture, heartbeat, isSettled, joinNew, joinRequest, stableGroup } from './group-fixture.js'

const E = Errors

describe('GroupCoordinator: join and sync', () => {
  it('gives a new member an id with MEMBER_ID_REQUIRED (KIP-394), then admits it', async () => {
    const f = fixture()
    const first = await f.coordinator.joinGroup(joinRequest({ clientId: 'shop' }))
    expect(first.errorCode).toBe(E.MEMBER_ID_REQUIRED.code)
    expect(first.memberId).toMatch(/^shop-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(first.generationId).toBe(-1)
    const join = await f.clock.run(f.coordinator.joinGroup(joinRequest({ memberId: first.memberId })))
    expect(join).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'RoundRobinAssigner', leader: first.memberId, memberId: first.memberId })
    expect(join.members).toEqual([{ memberId: first.memberId, groupInstanceId: null, metadata: Buffer.from('sub') }])
    expect(describe1(f).state).toBe('CompletingRebalance')
  })

  it('forms one generation of n members: the first to join leads, only the leader sees the members', async () => {
    const f = fixture({ initialRebalanceDelayMs: 3000 })
    const joins = []
    for (let i = 0; i < 4; i++) joins.push(await joinNew(f, { clientId: `c${i}`, protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from(`m${i}`) }] }))
    const responses = await f.clock.run(Promise.all(joins.map((j) => j.join)))
    const leader = joins[0]!.memberId
    for (const [i, r] of responses.entries()) {
      expect(r).toMatchObject({ errorCode: 0, generationId: 1, leader, memberId: joins[i]!.memberId })
      expect(r.members).toEqual(i === 0 ? joins.map((j, k) => ({ memberId: j.memberId, groupInstanceId: null, metadata: Buffer.from(`m${k}`) })) : [])
    }
  })

  it('followers wait for the leader; then every member gets its own assignment and the group is Stable', async () => {
    const f = fixture()
    const a = await joinNew(f, { clientId: 'a' })
    const b = await joinNew(f, { clientId: 'b' })
    const [ja] = await f.clock.run(Promise.all([a.join, b.join]))
    const follower = f.coordinator.syncGroup({ groupId: 'g', generationId: ja!.generationId, memberId: b.memberId, groupInstanceId: null, assignments: [] })
    expect(await isSettled(f, follower)).toBe(false)
    const leader = await f.coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
      assignments: [
        { memberId: a.memberId, assignment: Buffer.from('A') },
        { memberId: b.memberId, assignment: Buffer.from('B') },
        { memberId: 'not-a-member', assignment: Buffer.from('X') },
      ],
    })
    expect(leader).toEqual({ errorCode: 0, assignment: Buffer.from('A') })
    expect(await follower).toEqual({ errorCode: 0, assignment: Buffer.from('B') })
    const d = describe1(f)
    expect(d).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' })
    expect(d.members.map((m) => m.memberAssignment.toString())).toEqual(['A', 'B'])
    expect(heartbeat(f, a.memberId, 1)).toBe(0)
  })

  it('gives a member the leader left out an empty assignment', async () => {
    const f = fixture()
    const a = await joinNew(f, { clientId: 'a' })
    const b = await joinNew(f, { clientId: 'b' })
    await f.clock.run(Promise.all([a.join, b.join]))
    const follower = f.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: null, assignments: [] })
    await f.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, assignments: [{ memberId: a.memberId, assignment: Buffer.from('A') }] })
    expect((await follower).assignment.length).toBe(0)
  })

  it('a member joining a Stable group starts a rebalance: heartbeats answer REBALANCE_IN_PROGRESS, the generation bumps, the leader stays', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 2)
    const c = await joinNew(f, { clientId: 'new' })
    expect(describe1(f).state).toBe('PreparingRebalance')
    expect(heartbeat(f, g1.memberIds[0]!, 1)).toBe(E.REBALANCE_IN_PROGRESS.code)
    expect(await isSettled(f, c.join)).toBe(false)
    // The follower rejoins first; the leader still leads.
    const rejoinB = f.coordinator.joinGroup(joinRequest({ memberId: g1.memberIds[1]! }))
    const rejoinA = f.coordinator.joinGroup(joinRequest({ memberId: g1.memberIds[0]! }))
    const [jb, ja, jc] = await f.clock.run(Promise.all([rejoinB, rejoinA, c.join]))
    for (const r of [ja!, jb!, jc!]) expect(r).toMatchObject({ errorCode: 0, generationId: 2, leader: g1.leader })
    expect(ja!.members.map((m) => m.memberId)).toEqual([...g1.memberIds, c.memberId])
    expect(heartbeat(f, c.memberId, 1)).toBe(E.ILLEGAL_GENERATION.code)
    expect(heartbeat(f, c.memberId, 2)).toBe(0)
  })

  it('a follower rejoining a Stable group with the same protocols gets the current generation without a rebalance', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 2)
    const again = await f.coordinator.joinGroup(joinRequest({ memberId: g1.memberIds[1]! }))
    expect(again).toMatchObject({ errorCode: 0, generationId: 1, leader: g1.leader, members: [] })
    expect(describe1(f).state).toBe('Stable')
  })

  it('a follower rejoining with changed protocols, or the leader rejoining, starts a rebalance', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 2)
    void f.coordinator.joinGroup(joinRequest({ memberId: g1.memberIds[1]!, protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from('other') }] }))
    expect(describe1(f).state).toBe('PreparingRebalance')
    const f2 = fixture()
    const g2 = await stableGroup(f2, 2)
    void f2.coordinator.joinGroup(joinRequest({ memberId: g2.leader }))
    expect(describe1(f2).state).toBe('PreparingRebalance')
  })

  it('a member that asks again while CompletingRebalance gets the same join answer', async () => {
    const f = fixture()
    const a = await joinNew(f)
    await f.clock.run(a.join)
    const again = await f.coordinator.joinGroup(joinRequest({ memberId: a.memberId }))
    expect(again).toMatchObject({ errorCode: 0, generationId: 1, leader: a.memberId })
    expect(again.members.map((m) => m.memberId)).toEqual([a.memberId])
  })

  it('a second JoinGroup from a parked member supersedes the first, which is told to rejoin', async () => {
    const f = fixture({ initialRebalanceDelayMs: 3000 })
    const a = await joinNew(f)
    const second = f.coordinator.joinGroup(joinRequest({ memberId: a.memberId }))
    expect((await a.join).errorCode).toBe(E.REBALANCE_IN_PROGRESS.code)
    expect((await f.clock.run(second)).generationId).toBe(1)
  })

  it('selects the protocol every member supports, by the members\' preference votes', async () => {
    const f = fixture()
    const p = (...names: string[]) => names.map((name) => ({ name, metadata: Buffer.from(name) }))
    const joins = [
      await joinNew(f, { protocols: p('range', 'roundrobin', 'sticky') }),
      await joinNew(f, { protocols: p('roundrobin', 'range') }),
      await joinNew(f, { protocols: p('range', 'roundrobin') }),
    ]
    const [leader] = await f.clock.run(Promise.all(joins.map((j) => j.join)))
    expect(leader!.protocolName).toBe('range')
    expect(leader!.members.map((m) => m.metadata.toString())).toEqual(['range', 'range', 'range'])
    const f2 = fixture()
    const only = [await joinNew(f2, { protocols: p('range', 'roundrobin') }), await joinNew(f2, { protocols: p('roundrobin') })]
    const [r] = await f2.clock.run(Promise.all(only.map((j) => j.join)))
    expect(r!.protocolName).toBe('roundrobin')
  })
})

describe('GroupCoordinator: leaving, timeouts and delays', () => {
  it('a member leaving a Stable group triggers a rebalance; the remaining one forms the next generation', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 2)
    const leave = f.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: g1.memberIds[1]!, groupInstanceId: null }] })
    expect(leave).toEqual({ errorCode: 0, members: [{ memberId: g1.memberIds[1]!, errorCode: 0 }] })
    expect(heartbeat(f, g1.memberIds[0]!, 1)).toBe(E.REBALANCE_IN_PROGRESS.code)
    const r = await f.clock.run(f.coordinator.joinGroup(joinRequest({ memberId: g1.memberIds[0]! })))
    expect(r).toMatchObject({ errorCode: 0, generationId: 2, leader: g1.memberIds[0] })
    expect(r.members).toHaveLength(1)
  })

  it('when the leader leaves, the next member in join order leads', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 3)
    f.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: g1.leader, groupInstanceId: null }] })
    const rejoins = g1.memberIds.slice(1).map((memberId) => f.coordinator.joinGroup(joinRequest({ memberId })))
    const [r] = await f.clock.run(Promise.all(rejoins))
    expect(r!.leader).toBe(g1.memberIds[1])
  })

  it('the last member leaving leaves the group Empty, with a bumped generation', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 1)
    f.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: g1.leader, groupInstanceId: null }] })
    await f.clock.flush()
    expect(describe1(f)).toMatchObject({ state: 'Empty', members: [] })
    const again = await joinNew(f)
    expect((await f.clock.run(again.join)).generationId).toBe(3)
  })

  it('LeaveGroup reports unknown members per member and accepts pending (KIP-394) members', async () => {
    const f = fixture()
    const pending = await f.coordinator.joinGroup(joinRequest())
    const r = f.coordinator.leaveGroup({
      groupId: 'g',
      members: [
        { memberId: pending.memberId, groupInstanceId: null },
        { memberId: 'ghost', groupInstanceId: null },
      ],
    })
    expect(r.members.map((m) => m.errorCode)).toEqual([0, E.UNKNOWN_MEMBER_ID.code])
    expect(f.coordinator.leaveGroup({ groupId: 'nope', members: [{ memberId: 'x', groupInstanceId: null }] }).members[0]!.errorCode).toBe(E.UNKNOWN_MEMBER_ID.code)
    expect(f.coordinator.leaveGroup({ groupId: '', members: [] }).errorCode).toBe(E.INVALID_GROUP_ID.code)
  })

  it('evicts a member that stops heartbeating after its session timeout, and rebalances', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 2)
    const [a, b] = g1.memberIds as [string, string]
    for (let i = 0; i < 3; i++) {
      await f.clock.advance(3000)
      expect(heartbeat(f, a, 1)).toBe(0)
    }
    expect(describe1(f).state).toBe('Stable')
    await f.clock.advance(SESSION_MS - 9000)
    expect(describe1(f).state).toBe('PreparingRebalance')
    expect(heartbeat(f, b, 1)).toBe(E.UNKNOWN_MEMBER_ID.code)
    expect(heartbeat(f, a, 1)).toBe(E.REBALANCE_IN_PROGRESS.code)
    const r = await f.clock.run(f.coordinator.joinGroup(joinRequest({ memberId: a })))
    expect(r.members.map((m) => m.memberId)).toEqual([a])
  })

  it('heartbeats keep a member alive well past its session timeout', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 1)
    for (let i = 0; i < 20; i++) {
      await f.clock.advance(SESSION_MS - 1)
      expect(heartbeat(f, g1.leader, 1)).toBe(0)
    }
    expect(describe1(f).state).toBe('Stable')
  })

  it('the rebalance timeout ends the join phase without members that did not rejoin', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 2)
    const [a, b] = g1.memberIds as [string, string]
    const rejoin = f.coordinator.joinGroup(joinRequest({ memberId: a }))
    // b stays alive by heartbeating, but never rejoins.
    for (let t = 0; t + 5000 < REBALANCE_MS; t += 5000) {
      await f.clock.advance(5000)
      expect(heartbeat(f, b, 1)).toBe(E.REBALANCE_IN_PROGRESS.code)
      expect(await isSettled(f, rejoin)).toBe(false)
    }
    await f.clock.advance(5000)
    const r = await rejoin
    expect(r).toMatchObject({ errorCode: 0, generationId: 2 })
    expect(r.members.map((m) => m.memberId)).toEqual([a])
    expect(heartbeat(f, b, 1)).toBe(E.UNKNOWN_MEMBER_ID.code)
  })

  it('a member parked in JoinGroup is not evicted by its session timeout', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 2)
    const [a, b] = g1.memberIds as [string, string]
    const rejoin = f.coordinator.joinGroup(joinRequest({ memberId: a }))
    await f.clock.advance(SESSION_MS + 1)
    expect(await isSettled(f, rejoin)).toBe(true)
    expect((await rejoin).members.map((m) => m.memberId)).toEqual([a])
    expect(heartbeat(f, b, 1)).toBe(E.UNKNOWN_MEMBER_ID.code)
  })

  it('group.initial.rebalance.delay.ms delays the first rebalance of an empty group, extending as members join, up to the rebalance timeout', async () => {
    const f = fixture({ initialRebalanceDelayMs: 3000 })
    const a = await joinNew(f, { rebalanceTimeoutMs: 8000 })
    await f.clock.advance(2500)
    const b = await joinNew(f, { rebalanceTimeoutMs: 8000 })
    await f.clock.advance(500) // t=3000: b joined meanwhile, so wait another delay
    expect(await isSettled(f, a.join)).toBe(false)
    await f.clock.advance(2000)
    const c = await joinNew(f, { rebalanceTimeoutMs: 8000 })
    await f.clock.advance(1000) // t=6000: c joined; only 8000 - 6000 = 2000 ms remain
    expect(await isSettled(f, a.join)).toBe(false)
    await f.clock.advance(1999)
    expect(await isSettled(f, a.join)).toBe(false)
    await f.clock.advance(1)
    const [ra] = await Promise.all([a.join, b.join, c.join])
    expect(ra.members).toHaveLength(3)
    expect(ra.generationId).toBe(1)
  })

  it('the initial delay does not end early when everyone has joined', async () => {
    const f = fixture({ initialRebalanceDelayMs: 3000 })
    const a = await joinNew(f)
    await f.clock.advance(2999)
    expect(await isSettled(f, a.join)).toBe(false)
    await f.clock.advance(1)
    expect((await a.join).generationId).toBe(1)
  })

  it('a join phase waits for a member id handed out with MEMBER_ID_REQUIRED until it joins or its session timeout passes', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 1)
    const pending = await f.coordinator.joinGroup(joinRequest({ clientId: 'late' }))
    const rejoin = f.coordinator.joinGroup(joinRequest({ memberId: g1.leader }))
    await f.clock.advance(SESSION_MS - 1)
    expect(await isSettled(f, rejoin)).toBe(false)
    await f.clock.advance(1)
    expect((await rejoin).members.map((m) => m.memberId)).toEqual([g1.leader])
    const late = await f.coordinator.joinGroup(joinRequest({ memberId: pending.memberId }))
    expect(late.errorCode).toBe(E.UNKNOWN_MEMBER_ID.code)
  })

  it('a new member parked in its first join is dropped after 5 minutes (NewMemberJoinTimeoutMs)', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 2)
    const slowRebalance = 10 * 60_000
    const c = await joinNew(f, { clientId: 'c', rebalanceTimeoutMs: slowRebalance })
    // a keeps heartbeating and rejoins; b never rejoins but heartbeats, so the phase waits for the 10 min rebalance timeout.
    void f.coordinator.joinGroup(joinRequest({ memberId: g1.memberIds[0]!, rebalanceTimeoutMs: slowRebalance }))
    for (let t = 0; t < NEW_MEMBER_JOIN_TIMEOUT_MS; t += 5000) {
      await f.clock.advance(5000)
      heartbeat(f, g1.memberIds[1]!, 1)
    }
    expect(await c.join).toMatchObject({ errorCode: E.UNKNOWN_MEMBER_ID.code, memberId: '' })
  })

  it('a pending sync times out: a leader that never syncs is removed, the waiting follower told to rejoin', async () => {
    const f = fixture()
    const a = await joinNew(f, { clientId: 'a' })
    const b = await joinNew(f, { clientId: 'b' })
    await f.clock.run(Promise.all([a.join, b.join]))
    const followerSync = f.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: null, assignments: [] })
    // The leader stays alive (heartbeats are fine while CompletingRebalance) but never sends its SyncGroup.
    for (let t = 0; t < REBALANCE_MS; t += 5000) {
      expect(heartbeat(f, a.memberId, 1)).toBe(0)
      await f.clock.advance(5000)
    }
    expect(await followerSync).toMatchObject({ errorCode: E.REBALANCE_IN_PROGRESS.code })
    expect(heartbeat(f, a.memberId, 1)).toBe(E.UNKNOWN_MEMBER_ID.code)
    const r = await f.clock.run(f.coordinator.joinGroup(joinRequest({ memberId: b.memberId })))
    expect(r).toMatchObject({ generationId: 2, leader: b.memberId })
  })

  it('a pending sync times out: a follower that never syncs is removed and the group rebalances', async () => {
    const f = fixture()
    const a = await joinNew(f, { clientId: 'a' })
    const b = await joinNew(f, { clientId: 'b' })
    await f.clock.run(Promise.all([a.join, b.join]))
    await f.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, assignments: [] })
    // Both stay alive, but b never sends its SyncGroup.
    for (let t = 0; t < REBALANCE_MS; t += 5000) {
      expect(heartbeat(f, a.memberId, 1)).toBe(0)
      expect(heartbeat(f, b.memberId, 1)).toBe(0)
      await f.clock.advance(5000)
    }
    expect(describe1(f).members.map((m) => m.memberId)).toEqual([a.memberId])
    expect(heartbeat(f, a.memberId, 1)).toBe(E.REBALANCE_IN_PROGRESS.code)
  })

  it('a rebalance during CompletingRebalance answers the parked syncs with REBALANCE_IN_PROGRESS', async () => {
    const f = fixture()
    const a = await joinNew(f, { clientId: 'a' })
    const b = await joinNew(f, { clientId: 'b' })
    await f.clock.run(Promise.all([a.join, b.join]))
    const followerSync = f.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: null, assignments: [] })
    await joinNew(f, { clientId: 'c' })
    expect(await followerSync).toMatchObject({ errorCode: E.REBALANCE_IN_PROGRESS.code })
    const sync = await f.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, assignments: [] })
    expect(sync.errorCode).toBe(E.REBALANCE_IN_PROGRESS.code)
  })
})

describe('GroupCoordinator: error codes', () => {
  it('INVALID_GROUP_ID for an empty group id in the membership APIs', async () => {
    const f = fixture()
    expect((await f.coordinator.joinGroup(joinRequest({ groupId: '' }))).errorCode).toBe(E.INVALID_GROUP_ID.code)
    expect((await f.coordinator.syncGroup({ groupId: '', generationId: 1, memberId: 'm', groupInstanceId: null, assignments: [] })).errorCode).toBe(
      E.INVALID_GROUP_ID.code,
    )
    expect(heartbeat(f, 'm', 1, '')).toBe(E.INVALID_GROUP_ID.code)
    expect(f.coordinator.listGroups({ statesFilter: [] }).groups).toEqual([])
  })

  it('INVALID_SESSION_TIMEOUT outside [group.min.session.timeout.ms, group.max.session.timeout.ms], changing nothing', async () => {
    const f = fixture()
    for (const sessionTimeoutMs of [5999, 1_800_001, Number.NaN]) {
      expect((await f.coordinator.joinGroup(joinRequest({ sessionTimeoutMs }))).errorCode).toBe(E.INVALID_SESSION_TIMEOUT.code)
    }
    expect((await f.coordinator.joinGroup(joinRequest({ sessionTimeoutMs: 6000 }))).errorCode).toBe(E.MEMBER_ID_REQUIRED.code)
    expect((await f.coordinator.joinGroup(joinRequest({ groupId: 'h', sessionTimeoutMs: 1_800_000 }))).errorCode).toBe(E.MEMBER_ID_REQUIRED.code)
    expect(f.coordinator.listGroups({ statesFilter: [] }).groups.map((g) => g.groupId)).toEqual(['g', 'h'])
  })

  it('UNKNOWN_MEMBER_ID for a member id the group does not know', async () => {
    const f = fixture()
    expect((await f.coordinator.joinGroup(joinRequest({ memberId: 'ghost' }))).errorCode).toBe(E.UNKNOWN_MEMBER_ID.code)
    expect(describe1(f).state).toBe('Dead')
    await stableGroup(f, 1)
    expect((await f.coordinator.joinGroup(joinRequest({ memberId: 'ghost' }))).errorCode).toBe(E.UNKNOWN_MEMBER_ID.code)
    expect(heartbeat(f, 'ghost', 1)).toBe(E.UNKNOWN_MEMBER_ID.code)
    expect(heartbeat(f, 'ghost', 1, 'other')).toBe(E.UNKNOWN_MEMBER_ID.code)
    expect((await f.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: 'ghost', groupInstanceId: null, assignments: [] })).errorCode).toBe(
      E.UNKNOWN_MEMBER_ID.code,
    )
  })

  it('ILLEGAL_GENERATION for a stale generation in Heartbeat and SyncGroup', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 1)
    expect(heartbeat(f, g1.leader, 0)).toBe(E.ILLEGAL_GENERATION.code)
    expect((await f.coordinator.syncGroup({ groupId: 'g', generationId: 7, memberId: g1.leader, groupInstanceId: null, assignments: [] })).errorCode).toBe(
      E.ILLEGAL_GENERATION.code,
    )
  })

  it('INCONSISTENT_GROUP_PROTOCOL for another protocol type, no common protocol, or no protocols at all', async () => {
    const f = fixture()
    await stableGroup(f, 1)
    expect((await f.coordinator.joinGroup(joinRequest({ protocolType: 'connect' }))).errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL.code)
    expect((await f.coordinator.joinGroup(joinRequest({ protocols: [{ name: 'range', metadata: Buffer.alloc(0) }] }))).errorCode).toBe(
      E.INCONSISTENT_GROUP_PROTOCOL.code,
    )
    expect((await f.coordinator.joinGroup(joinRequest({ groupId: 'fresh', protocols: [] }))).errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL.code)
    expect((await f.coordinator.joinGroup(joinRequest({ groupId: 'fresh2', protocolType: '' }))).errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL.code)
    expect(f.coordinator.listGroups({ statesFilter: [] }).groups.map((g) => g.groupId)).toEqual(['g'])
  })

  it('REBALANCE_IN_PROGRESS for a SyncGroup while the group prepares a rebalance', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 2)
    f.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: g1.memberIds[1]!, groupInstanceId: null }] })
    const sync = await f.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: g1.leader, groupInstanceId: null, assignments: [] })
    expect(sync.errorCode).toBe(E.REBALANCE_IN_PROGRESS.code)
  })

  it('a member of an Empty group (after the join phase dropped everyone) is unknown', async () => {
    const f = fixture()
    const g1 = await stableGroup(f, 1)
    await f.clock.advance(SESSION_MS)
    expect(describe1(f).state).toBe('Empty')
    expect(heartbeat(f, g1.leader, 1)).toBe(E.UNKNOWN_MEMBER_ID.code)
  })
})

import { describe, expect, it } from 'vitest'
import { Errors, type OffsetCommitRequest } from '../../../src/protocol/index.js'
import { OFFSET_METADATA_MAX_BYTES } from '../../../src/broker/group/index.js'
import { describe1, fixture, joinNew, joinRequest, stableGroup, type Fixture } from './group-fixture.js'

const E = Errors

function commit(f: Fixture, overrides: Partial<OffsetCommitRequest> = {}, offsets: Array<[string, number, number]> = [['orders', 0, 10]]) {
  return f.coordinator.offsetCommit({
    groupId: 'g',
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [...new Set(offsets.map(([t]) => t))].map((topic) => ({
      topic,
      partitions: offsets.filter(([t]) => t === topic).map(([, partition, offset]) => ({ partition, offset, metadata: null })),
    })),
    ...overrides,
  })
}

function codes(r: ReturnType<typeof commit>): number[] {
  return r.topics.flatMap((t) => t.partitions.map((p) => p.errorCode))
}

function fetch(f: Fixture, topics: Array<{ topic: string; partitions: number[] }> | null, groupId = 'g', requireStable = false) {
  return f.coordinator.offsetFetch({ groupId, topics, requireStable })
}

describe('GroupCoordinator: offsets', () => {
  it('a simple commit (generation -1, no member) creates an Empty group and is fetched back; none is -1', () => {
    const f = fixture()
    expect(codes(commit(f, {}, [['orders', 0, 10], ['orders', 2, 4]]))).toEqual([0, 0])
    expect(describe1(f).state).toBe('Empty')
    expect(fetch(f, [{ topic: 'orders', partitions: [0, 1, 2] }])).toEqual({
      errorCode: 0,
      topics: [
        {
          topic: 'orders',
          partitions: [
            { partition: 0, offset: 10, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
            { partition: 1, offset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
            { partition: 2, offset: 4, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
          ],
        },
      ],
    })
    expect(fetch(f, [{ topic: 'orders', partitions: [0] }], 'unknown').topics[0]!.partitions[0]!.offset).toBe(-1)
  })

  it('topics: null fetches every committed offset of the group', () => {
    const f = fixture()
    commit(f, {}, [['payments', 1, 7], ['orders', 2, 3], ['orders', 0, 1]])
    const all = fetch(f, null)
    expect(all.topics).toEqual([
      { topic: 'payments', partitions: [{ partition: 1, offset: 7, committedLeaderEpoch: -1, metadata: '', errorCode: 0 }] },
      {
        topic: 'orders',
        partitions: [
          { partition: 0, offset: 1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
          { partition: 2, offset: 3, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
        ],
      },
    ])
    expect(fetch(f, null, 'unknown').topics).toEqual([])
  })

  it('a later commit overwrites, and keeps the metadata string', () => {
    const f = fixture()
    commit(f)
    f.coordinator.offsetCommit({
      groupId: 'g',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: 42, metadata: 'why' }] }],
    })
    expect(fetch(f, [{ topic: 'orders', partitions: [0] }]).topics[0]!.partitions[0]).toMatchObject({ offset: 42, metadata: 'why' })
  })

  it('UNKNOWN_TOPIC_OR_PARTITION per partition, while the other partitions commit', () => {
    const f = fixture()
    expect(codes(commit(f, {}, [['orders', 0, 1], ['orders', 3, 1], ['nope', 0, 1]]))).toEqual([0, E.UNKNOWN_TOPIC_OR_PARTITION.code, E.UNKNOWN_TOPIC_OR_PARTITION.code])
    expect(fetch(f, [{ topic: 'orders', partitions: [3] }]).topics[0]!.partitions[0]!.offset).toBe(-1)
  })

  it('OFFSET_METADATA_TOO_LARGE beyond offset.metadata.max.bytes', () => {
    const f = fixture()
    const r = f.coordinator.offsetCommit({
      groupId: 'g',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: 1, metadata: 'x'.repeat(OFFSET_METADATA_MAX_BYTES + 1) }] }],
    })
    expect(codes(r)).toEqual([E.OFFSET_METADATA_TOO_LARGE.code])
    expect(f.coordinator.listGroups({ statesFilter: [] }).groups).toEqual([])
  })

  it('a member commits with its generation; stale generations, unknown members and simple commits to a live group are refused', async () => {
    const f = fixture()
    const g = await stableGroup(f, 2)
    expect(codes(commit(f, { generationId: 1, memberId: g.leader }))).toEqual([0])
    expect(codes(commit(f, { generationId: 0, memberId: g.leader }))).toEqual([E.ILLEGAL_GENERATION.code])
    expect(codes(commit(f, { generationId: 1, memberId: 'ghost' }))).toEqual([E.UNKNOWN_MEMBER_ID.code])
    expect(codes(commit(f))).toEqual([E.UNKNOWN_MEMBER_ID.code])
    expect(codes(commit(f, { groupId: 'never-seen', generationId: 3, memberId: 'm' }))).toEqual([E.ILLEGAL_GENERATION.code])
    expect(fetch(f, [{ topic: 'orders', partitions: [0] }]).topics[0]!.partitions[0]!.offset).toBe(10)
  })

  it('commits are allowed while PreparingRebalance but not while CompletingRebalance (REBALANCE_IN_PROGRESS)', async () => {
    const f = fixture()
    const g = await stableGroup(f, 1)
    const c = await joinNew(f, { clientId: 'late' })
    expect(describe1(f).state).toBe('PreparingRebalance')
    expect(codes(commit(f, { generationId: 1, memberId: g.leader }))).toEqual([0])
    const rejoin = f.coordinator.joinGroup(joinRequest({ memberId: g.leader }))
    await f.clock.run(Promise.all([rejoin, c.join]))
    expect(describe1(f).state).toBe('CompletingRebalance')
    expect(codes(commit(f, { generationId: 2, memberId: g.leader }))).toEqual([E.REBALANCE_IN_PROGRESS.code])
  })

  it('committed offsets survive every member leaving', async () => {
    const f = fixture()
    const g = await stableGroup(f, 1)
    commit(f, { generationId: 1, memberId: g.leader }, [['orders', 1, 99]])
    f.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: g.leader, groupInstanceId: null }] })
    await f.clock.flush()
    expect(describe1(f).state).toBe('Empty')
    expect(fetch(f, [{ topic: 'orders', partitions: [1] }]).topics[0]!.partitions[0]!.offset).toBe(99)
    // Now that the group is empty, an admin may reset its offsets with a simple commit.
    expect(codes(commit(f, {}, [['orders', 1, 0]]))).toEqual([0])
  })

  it('a commit resets the committing member\'s session timer', async () => {
    const f = fixture()
    const g = await stableGroup(f, 1)
    for (let i = 0; i < 5; i++) {
      await f.clock.advance(9000)
      commit(f, { generationId: 1, memberId: g.leader })
    }
    expect(describe1(f).state).toBe('Stable')
  })
})

describe('GroupCoordinator: describe, list, delete', () => {
  it('describeGroups of an unknown group answers Dead with no members', () => {
    const f = fixture()
    expect(describe1(f, 'nobody')).toEqual({ errorCode: 0, groupId: 'nobody', state: 'Dead', protocolType: '', protocol: '', members: [] })
  })

  it('describeGroups shows metadata and assignments only once Stable', async () => {
    const f = fixture()
    const a = await joinNew(f, { clientId: 'a' })
    await f.clock.run(a.join)
    const completing = describe1(f)
    expect(completing).toMatchObject({ state: 'CompletingRebalance', protocol: '' })
    expect(completing.members[0]).toMatchObject({ memberId: a.memberId, clientId: 'a', clientHost: '/127.0.0.1', memberMetadata: Buffer.alloc(0) })
    await f.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, assignments: [{ memberId: a.memberId, assignment: Buffer.from('A') }] })
    expect(describe1(f).members[0]).toMatchObject({ memberMetadata: Buffer.from('sub'), memberAssignment: Buffer.from('A') })
  })

  it('listGroups lists every group, or those in the requested states', async () => {
    const f = fixture()
    await stableGroup(f, 1, 'live')
    commit(f, { groupId: 'offsets-only' })
    expect(f.coordinator.listGroups({ statesFilter: [] }).groups).toEqual([
      { groupId: 'live', protocolType: 'consumer', groupState: 'Stable' },
      { groupId: 'offsets-only', protocolType: '', groupState: 'Empty' },
    ])
    expect(f.coordinator.listGroups({ statesFilter: ['Empty'] }).groups.map((g) => g.groupId)).toEqual(['offsets-only'])
  })

  it('deleteGroups: NON_EMPTY_GROUP with members, GROUP_ID_NOT_FOUND if unknown, else the group and its offsets are gone', async () => {
    const f = fixture()
    await stableGroup(f, 1, 'live')
    commit(f, { groupId: 'idle' })
    expect(f.coordinator.deleteGroups({ groupIds: ['live', 'nobody', 'idle'] }).results).toEqual([
      { groupId: 'live', errorCode: E.NON_EMPTY_GROUP.code },
      { groupId: 'nobody', errorCode: E.GROUP_ID_NOT_FOUND.code },
      { groupId: 'idle', errorCode: 0 },
    ])
    expect(describe1(f, 'idle').state).toBe('Dead')
    expect(fetch(f, null, 'idle').topics).toEqual([])
    expect(describe1(f, 'live').state).toBe('Stable')
  })

  it('onTopicDeleted drops the topic\'s offsets, and removes a group left empty by it', async () => {
    const f = fixture()
    commit(f, { groupId: 'both' }, [['orders', 0, 1], ['payments', 0, 2]])
    commit(f, { groupId: 'only-orders' }, [['orders', 1, 5]])
    await stableGroup(f, 1, 'live')
    f.coordinator.onTopicDeleted('orders')
    expect(fetch(f, null, 'both').topics.map((t) => t.topic)).toEqual(['payments'])
    expect(describe1(f, 'only-orders').state).toBe('Dead')
    expect(describe1(f, 'live').state).toBe('Stable')
  })
})

import { describe, expect, it } from 'vitest'
import { MemberMetadata, PartitionAssigners, decodeOwnedPartitions, encodeOwnedPartitions } from '../../../src/client/assigners/index.js'
import { cooperativeStickyAssignment } from '../../../src/client/assigners/sticky-assignment.js'
import { clusterOf, decoded, silentLogger } from './assigner-fixture.js'

const parts = (topic: string, ...ps: number[]) => ps.map((partition) => ({ topic, partition }))
const asObject = (m: Map<string, Map<string, number[]>>) => Object.fromEntries([...m].map(([id, a]) => [id, Object.fromEntries(a)]))

describe('cooperative-sticky: ownership in userData', () => {
  it('round-trips owned partitions and generation, in StickyAssignor user data v1 layout', () => {
    const data = encodeOwnedPartitions({ owned: { t: [0, 2] }, generation: 5 })
    expect(data.readInt32BE(0)).toBe(1)
    expect(data.readInt32BE(data.length - 4)).toBe(5)
    expect(decodeOwnedPartitions(data)).toEqual({ owned: { t: [0, 2] }, generation: 5 })
    expect(decodeOwnedPartitions(Buffer.alloc(0))).toEqual({ owned: {}, generation: -1 })
  })

  it('a member subscribes with what onAssignment last told it it owns', () => {
    const assigner = PartitionAssigners.cooperativeSticky({ cluster: clusterOf({ t: 4 }), groupId: 'g', logger: silentLogger })
    expect(decodeOwnedPartitions(MemberMetadata.decode(assigner.protocol({ topics: ['t'] }).metadata).userData)).toEqual({ owned: {}, generation: -1 })
    assigner.onAssignment!({ assignment: { t: [1, 3] }, generationId: 7 })
    const metadata = MemberMetadata.decode(assigner.protocol({ topics: ['t'] }).metadata)
    expect(metadata.topics).toEqual(['t'])
    expect(decodeOwnedPartitions(metadata.userData)).toEqual({ owned: { t: [1, 3] }, generation: 7 })
  })
})

describe('cooperative-sticky: assignment', () => {
  const topics = new Map([['t', [0, 1, 2, 3, 4, 5]]])
  const subs = new Set(['t'])

  it('spreads a fresh group evenly', () => {
    const r = cooperativeStickyAssignment(
      [
        { memberId: 'a', topics: subs, owned: [], generation: -1 },
        { memberId: 'b', topics: subs, owned: [], generation: -1 },
      ],
      topics,
    )
    expect(asObject(r)).toEqual({ a: { t: [0, 2, 4] }, b: { t: [1, 3, 5] } })
  })

  it('when a member joins, owners keep what balance allows and what moves is withheld for a generation', () => {
    const r = cooperativeStickyAssignment(
      [
        { memberId: 'a', topics: subs, owned: parts('t', 0, 1, 2), generation: 1 },
        { memberId: 'b', topics: subs, owned: parts('t', 3, 4, 5), generation: 1 },
        { memberId: 'c', topics: subs, owned: [], generation: -1 },
      ],
      topics,
    )
    const a = r.get('a')!.get('t')!
    const b = r.get('b')!.get('t')!
    expect(a).toHaveLength(2)
    expect(b).toHaveLength(2)
    expect(r.get('c')!.size).toBe(0)
  })

  it('the partitions of a member that left go to the others at once (nobody owns them)', () => {
    const r = cooperativeStickyAssignment(
      [
        { memberId: 'a', topics: subs, owned: parts('t', 0, 1), generation: 4 },
        { memberId: 'b', topics: subs, owned: parts('t', 2, 3), generation: 4 },
      ],
      topics,
    )
    expect(asObject(r)).toEqual({ a: { t: [0, 1, 4] }, b: { t: [2, 3, 5] } })
  })

  it('of two claims on a partition, the higher generation wins; claims tied at the same generation are both dropped', () => {
    const r = cooperativeStickyAssignment(
      [
        { memberId: 'a', topics: subs, owned: parts('t', 0, 1, 2), generation: 3 },
        { memberId: 'b', topics: subs, owned: parts('t', 2, 3, 4, 5), generation: 2 },
      ],
      topics,
    )
    expect(r.get('a')!.get('t')).toEqual([0, 1, 2])
    expect(r.get('b')!.get('t')).toEqual([3, 4, 5])
    const tied = cooperativeStickyAssignment(
      [
        { memberId: 'a', topics: subs, owned: parts('t', 0, 1, 2), generation: 3 },
        { memberId: 'b', topics: subs, owned: parts('t', 2, 3, 4), generation: 3 },
      ],
      topics,
    )
    const owners = [...tied].filter(([, a]) => a.get('t')?.includes(2)).map(([id]) => id)
    expect(owners).toHaveLength(1)
  })

  it('drops claims on partitions that no longer exist or topics no longer subscribed to', () => {
    const r = cooperativeStickyAssignment([{ memberId: 'a', topics: subs, owned: [...parts('t', 9), ...parts('gone', 0)], generation: 1 }], topics)
    expect(asObject(r)).toEqual({ a: { t: [0, 1, 2, 3, 4, 5] } })
  })

  it('gives a topic only to its subscribers', async () => {
    const cluster = clusterOf({ x: 2, y: 2 })
    const assigner = PartitionAssigners.cooperativeSticky({ cluster, groupId: 'g', logger: silentLogger })
    const members = [
      { memberId: 'a', memberMetadata: MemberMetadata.encode({ version: 0, topics: ['x'] }) },
      { memberId: 'b', memberMetadata: MemberMetadata.encode({ version: 0, topics: ['x', 'y'] }) },
    ]
    const result = decoded(await assigner.assign({ members, topics: ['x', 'y'] }), ['a', 'b'])
    // a can only take x; balance gives it both x partitions and b both y partitions.
    expect(result.get('a')).toEqual({ x: [0, 1] })
    expect(result.get('b')).toEqual({ y: [0, 1] })
  })
})

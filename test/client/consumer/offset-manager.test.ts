import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { OffsetCommitRequest, OffsetCommitResponse } from '../../../src/protocol/index.js'
import { OffsetManager, type OffsetManagerOptions } from '../../../src/client/consumer/offset-manager.js'

/**
 * An OffsetManager over a coordinator that answers OffsetCommit with `errorFor(partition)` (0 = committed), and a
 * cluster with `cluster`'s members besides a clock at 0 and no known leader epochs.
 */
function manager(errorFor: (partition: number) => number = () => 0, cluster: Record<string, unknown> = {}) {
  const commits: OffsetCommitRequest[] = []
  const options = {
    cluster: { clock: { now: () => 0 }, leaderEpochFor: () => -1, ...cluster },
    coordinator: {
      send: async (_api: 'OffsetCommit', request: OffsetCommitRequest): Promise<OffsetCommitResponse> => {
        commits.push(request)
        return { topics: request.topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode: errorFor(p.partition) })) })) } as OffsetCommitResponse
      },
      noteError: () => undefined,
    },
    emitter: { emit: () => undefined },
    identity: () => ({ groupId: 'g', memberId: 'm', generationId: 1, groupInstanceId: null }),
    fromBeginning: () => true,
    isolationLevel: 0,
    autoCommit: true,
    autoCommitInterval: null,
    autoCommitThreshold: null,
  } as unknown as OffsetManagerOptions
  return { offsets: new OffsetManager(options), commits }
}

const listed = (offsets: OffsetManager) => offsets.uncommittedOffsets().topics.map((t) => `${t.topic}:${t.partitions.map((p) => `${p.partition}@${p.offset}`).join(',')}`)

describe('OffsetManager: uncommitted offsets', () => {
  it('lists partitions in ascending order, as KafkaJS does, whatever order they were resolved in', () => {
    const { offsets } = manager()
    offsets.assign(new Map([['orders', Array.from({ length: 3000 }, (_, p) => p)]]))
    for (const partition of [2999, 5, 1, 3]) offsets.resolveOffset('orders', partition, 9)
    expect(listed(offsets)).toEqual(['orders:1@10,3@10,5@10,2999@10'])
  })

  it('after a commit lists only the partitions that moved again', async () => {
    const { offsets, commits } = manager()
    offsets.assign(new Map([['orders', Array.from({ length: 3000 }, (_, p) => p)]]))
    for (let partition = 0; partition < 3000; partition++) offsets.resolveOffset('orders', partition, 0)
    await offsets.commitOffsets()
    expect(commits[0]!.topics[0]!.partitions).toHaveLength(3000)
    expect(listed(offsets)).toEqual([])
    offsets.resolveOffset('orders', 7, 4)
    offsets.resolveOffset('orders', 7, 5)
    expect(listed(offsets)).toEqual(['orders:7@6'])
    await offsets.commitOffsets()
    expect(commits[1]!.topics[0]!.partitions.map((p) => [p.partition, p.offset])).toEqual([[7, 6]])
    expect(listed(offsets)).toEqual([])
  })

  it('resolves across topics in any order and follows reassignments (resolveOffset keeps the last topic it wrote)', () => {
    const { offsets } = manager()
    offsets.assign(new Map([['a', [0, 1]], ['b', [0]]]))
    offsets.resolveOffset('a', 0, 4)
    offsets.resolveOffset('b', 0, 7)
    offsets.resolveOffset('a', 1, 2)
    offsets.resolveOffset('a', 0, 5)
    expect(listed(offsets)).toEqual(['a:0@6,1@3', 'b:0@8'])
    offsets.assign(new Map([['a', [1]], ['b', [0]]]), () => true)
    offsets.resolveOffset('a', 1, 3)
    // No longer assigned, right after a write to the same topic: ignored.
    offsets.resolveOffset('a', 0, 9)
    offsets.resolveOffset('c', 0, 1)
    expect(listed(offsets)).toEqual(['a:1@4', 'b:0@8'])
    expect(offsets.hasPosition('a', 0)).toBe(false)
    expect(offsets.hasPosition('c', 0)).toBe(false)
  })

  it('keeps a partition whose commit failed, and drops one no longer assigned', async () => {
    const { offsets } = manager((partition) => (partition === 1 ? 27 /* REBALANCE_IN_PROGRESS */ : 0))
    offsets.assign(new Map([['orders', [0, 1, 2]]]))
    for (const partition of [0, 1, 2]) offsets.resolveOffset('orders', partition, 3)
    await expect(offsets.commitOffsets()).rejects.toThrow()
    expect(listed(offsets)).toEqual(['orders:1@4'])
    offsets.assign(new Map([['orders', [0, 2]]]), () => true)
    expect(listed(offsets)).toEqual([])
  })
})

type Step =
  | { kind: 'resolve'; partition: number; offset: number }
  | { kind: 'commit'; failing: number[] }
  | { kind: 'commitExplicit'; partition: number; offset: number }
  | { kind: 'assign'; partitions: number[] }

const PARTITIONS = 6

describe('OffsetManager: uncommitted offsets against a model', () => {
  it('lists exactly the assigned partitions whose resolved offset differs from the committed one', async () => {
    const step = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('resolve' as const), partition: fc.nat(PARTITIONS - 1), offset: fc.nat(20) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('commit' as const), failing: fc.subarray([...Array(PARTITIONS).keys()]) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('assign' as const), partitions: fc.subarray([...Array(PARTITIONS).keys()]) }) },
      // An application's own commit of any offset (consumer.commitOffsets).
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('commitExplicit' as const), partition: fc.nat(PARTITIONS - 1), offset: fc.nat(21) }) },
    )
    let commitsWithFailures = 0
    let reassignments = 0
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        let failing = new Set<number>()
        const { offsets } = manager((partition) => (failing.has(partition) ? 27 : 0))
        // The model: plain maps, no bookkeeping of what moved.
        let assigned = new Set([...Array(PARTITIONS).keys()])
        const resolved = new Map<number, number>()
        const committed = new Map<number, number>()
        offsets.assign(new Map([['t', [...assigned]]]))
        for (const s of steps) {
          if (s.kind === 'resolve') {
            offsets.resolveOffset('t', s.partition, s.offset)
            if (assigned.has(s.partition)) resolved.set(s.partition, s.offset + 1)
          } else if (s.kind === 'commit') {
            failing = new Set(s.failing)
            const sent = offsets.uncommittedOffsets().topics[0]?.partitions ?? []
            if (sent.some((p) => failing.has(p.partition))) commitsWithFailures++
            await offsets.commitOffsets().catch(() => undefined)
            for (const { partition, offset } of sent) if (!failing.has(partition)) committed.set(partition, Number(offset))
          } else if (s.kind === 'commitExplicit') {
            failing = new Set()
            await offsets.commitOffsets({ topics: [{ topic: 't', partitions: [{ partition: s.partition, offset: String(s.offset) }] }] })
            committed.set(s.partition, s.offset)
          } else {
            reassignments++
            // Cooperative: kept partitions keep their offsets; the others start afresh.
            const next = new Set(s.partitions)
            offsets.assign(new Map([['t', [...next]]]), (_topic, partition) => assigned.has(partition))
            for (const p of [...resolved.keys()]) if (!next.has(p) || !assigned.has(p)) resolved.delete(p)
            for (const p of [...committed.keys()]) if (!next.has(p) || !assigned.has(p)) committed.delete(p)
            assigned = next
          }
          const expected = [...resolved]
            .filter(([p, offset]) => assigned.has(p) && offset !== committed.get(p))
            .sort(([a], [b]) => a - b)
            .map(([p, offset]) => `${p}@${offset}`)
          const listedNow = offsets.uncommittedOffsets().topics.flatMap((t) => t.partitions.map((p) => `${p.partition}@${p.offset}`))
          expect(listedNow).toEqual(expected)
        }
      }),
      { numRuns: 300 },
    )
    // The windows the bookkeeping could get wrong: commits that partly fail, and reassignments.
    expect(commitsWithFailures).toBeGreaterThan(50)
    expect(reassignments).toBeGreaterThan(80)
  })
})

describe('OffsetManager: seeks', () => {
  it('a seek to the earliest offset that resolves after the partition was reassigned away commits nothing', async () => {
    let answer: (() => void) | undefined
    const { offsets, commits } = manager(() => 0, {
      retrier: (work: () => Promise<unknown>) => work(),
      addTargetTopics: async () => undefined,
      refreshMetadataIfNecessary: async () => undefined,
      leaderFor: () => 0,
      // ListOffsets answers only when the test says so: a rebalance happens meanwhile.
      send: () =>
        new Promise((resolve) => {
          answer = () => resolve({ topics: [{ topic: 't', partitions: [{ partition: 1, errorCode: 0, offset: 0, timestamp: -1 }] }] })
        }),
    })
    offsets.assign(new Map([['t', [0, 1]]]))
    offsets.requestSeek('t', 1, -2)
    const seeking = offsets.applyPendingSeeks([{ topic: 't', partition: 1 }])
    for (let turns = 0; answer === undefined && turns < 50; turns++) await Promise.resolve()
    // The group rebalanced: partition 1 is another member's now.
    offsets.assign(new Map([['t', [0]]]))
    answer!()
    await seeking
    expect(commits).toEqual([])
    expect(offsets.uncommittedOffsets().topics).toEqual([])
  })
})

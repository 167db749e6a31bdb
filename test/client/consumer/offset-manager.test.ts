import { describe, expect, it } from 'vitest'
import type { OffsetCommitRequest, OffsetCommitResponse } from '../../../src/protocol/index.js'
import { OffsetManager, type OffsetManagerOptions } from '../../../src/client/consumer/offset-manager.js'

/** An OffsetManager over a coordinator that answers OffsetCommit with `errorFor(partition)` (0 = committed). */
function manager(errorFor: (partition: number) => number = () => 0) {
  const commits: OffsetCommitRequest[] = []
  const options = {
    cluster: { clock: { now: () => 0 }, leaderEpochFor: () => -1 },
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

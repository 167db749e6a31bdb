/** Offsets retention at the coordinator (KIP-211): what expires, from when, and what never does. */
import { describe, expect, it } from 'vitest'
import { fixture, stableGroup, describe1, type Fixture } from './group-fixture.js'

const RETENTION_MS = 60_000
const CHECK_MS = 600_000

function commit(f: Fixture, partition: number, offset: number, member = { memberId: '', generationId: -1 }) {
  return f.coordinator.offsetCommit({ groupId: 'g', ...member, groupInstanceId: null, topics: [{ topic: 'orders', partitions: [{ partition, offset, metadata: null }] }] })
}

function committed(f: Fixture): number[] {
  const response = f.coordinator.offsetFetch({ groupId: 'g', topics: [{ topic: 'orders', partitions: [0, 1, 2] }], requireStable: false })
  return response.topics[0]!.partitions.map((p) => p.offset)
}

describe('offsets retention at the coordinator', () => {
  it("a Stable group's offsets never expire, however old its last commit", async () => {
    const f = fixture({ offsetsRetentionMs: RETENTION_MS })
    const { memberIds, generationId } = await stableGroup(f, 1)
    commit(f, 0, 5, { memberId: memberIds[0]!, generationId })
    for (let t = 0; t < 20 * 60_000; t += 3_000) {
      await f.clock.advance(3_000)
      f.coordinator.heartbeat({ groupId: 'g', memberId: memberIds[0]!, generationId, groupInstanceId: null })
      if (t % 60_000 === 0) expect(f.coordinator.removeExpiredOffsets()).toBe(0)
    }
    expect(describe1(f).state).toBe('Stable')
    expect(committed(f)).toEqual([5, -1, -1])
  })

  it('an offset staged by an open transaction keeps its partition from expiring; the others of the group go', async () => {
    const f = fixture({ offsetsRetentionMs: RETENTION_MS })
    commit(f, 0, 5)
    commit(f, 1, 7)
    f.coordinator.txnOffsetCommit({ transactionalId: 't', producerId: 9, producerEpoch: 0, groupId: 'g', generationId: -1, memberId: '', topics: [{ topic: 'orders', partitions: [{ partition: 1, offset: 8, metadata: null }] }] })
    await f.clock.advance(RETENTION_MS + CHECK_MS)
    expect(committed(f)).toEqual([-1, 7, -1])
    f.coordinator.completeTransaction(9, true, () => true)
    expect(committed(f)).toEqual([-1, 8, -1])
    await f.clock.advance(RETENTION_MS + CHECK_MS)
    expect(committed(f)).toEqual([-1, -1, -1])
    expect(describe1(f).state).toBe('Dead')
  })
})

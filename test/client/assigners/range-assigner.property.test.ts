import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MemberMetadata, PartitionAssigners } from '../../../src/client/assigners/index.js'
import { allPartitions, clusterOf, decoded, memberIdsArb, ownerCounts, silentLogger, topicsArb } from './assigner-fixture.js'

function member(memberId: string, topics: string[]) {
  return { memberId, memberMetadata: MemberMetadata.encode({ version: 0, topics }) }
}

describe('range assigner properties', () => {
  it('a stable group gives every partition exactly one owner, for 1..20 members', async () => {
    await fc.assert(
      fc.asyncProperty(topicsArb(), memberIdsArb(), async (topics, ids) => {
        const assigner = PartitionAssigners.range({ cluster: clusterOf(topics), groupId: 'g', logger: silentLogger })
        const result = decoded(await assigner.assign({ members: ids.map((id) => member(id, Object.keys(topics))), topics: Object.keys(topics) }), ids)
        const counts = ownerCounts(result.values())
        expect([...counts.keys()].sort()).toEqual(allPartitions(topics).sort())
        expect([...counts.values()].every((n) => n === 1)).toBe(true)
      }),
      { numRuns: 100 },
    )
  })

  it('with mixed subscriptions, every partition of a subscribed topic has exactly one owner, and it subscribes to the topic', async () => {
    await fc.assert(
      fc.asyncProperty(
        topicsArb().chain((topics) =>
          fc.tuple(fc.constant(topics), memberIdsArb().chain((ids) => fc.tuple(fc.constant(ids), fc.array(fc.subarray(Object.keys(topics)), { minLength: ids.length, maxLength: ids.length })))),
        ),
        async ([topics, [ids, subscriptions]]) => {
          const assigner = PartitionAssigners.range({ cluster: clusterOf(topics), groupId: 'g', logger: silentLogger })
          const result = decoded(await assigner.assign({ members: ids.map((id, i) => member(id, subscriptions[i]!)), topics: Object.keys(topics) }), ids)
          const subscribed = new Set(subscriptions.flat())
          const expected = allPartitions(Object.fromEntries(Object.entries(topics).filter(([t]) => subscribed.has(t))))
          const counts = ownerCounts(result.values())
          expect([...counts.keys()].sort()).toEqual(expected.sort())
          expect([...counts.values()].every((n) => n === 1)).toBe(true)
          ids.forEach((id, i) => expect(Object.keys(result.get(id)!).every((t) => subscriptions[i]!.includes(t))).toBe(true))
        },
      ),
      { numRuns: 100 },
    )
  })
})

import fc from 'fast-check'
import { PartitionAssigners as KafkaJSAssigners } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { MemberMetadata, PartitionAssigners } from '../../../src/client/assigners/index.js'
import { allPartitions, clusterOf, decoded, memberIdsArb, ownerCounts, silentLogger, topicsArb } from './assigner-fixture.js'

function members(ids: readonly string[], topics: string[]) {
  return ids.map((memberId) => ({ memberId, memberMetadata: MemberMetadata.encode({ version: 0, topics }) }))
}

describe('round-robin assigner', () => {
  it('a stable group gives every partition exactly one owner, for 1..20 members', async () => {
    await fc.assert(
      fc.asyncProperty(topicsArb(), memberIdsArb(), async (topics, ids) => {
        const assigner = PartitionAssigners.roundRobin({ cluster: clusterOf(topics), groupId: 'g', logger: silentLogger })
        const result = decoded(await assigner.assign({ members: members(ids, Object.keys(topics)), topics: Object.keys(topics) }), ids)
        const counts = ownerCounts(result.values())
        expect([...counts.keys()].sort()).toEqual(allPartitions(topics).sort())
        expect([...counts.values()].every((n) => n === 1)).toBe(true)
        const loads = [...result.values()].map((a) => Object.values(a).flat().length)
        expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1)
      }),
      { numRuns: 100 },
    )
  })

  it('matches KafkaJS\'s RoundRobinAssigner byte for byte on the same input', async () => {
    const partitionOrder = fc.integer({ min: 1, max: 10 }).chain((n) => fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n }))
    const topics = fc.dictionary(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,6}$/), partitionOrder, { minKeys: 1, maxKeys: 4 })
    await fc.assert(
      fc.asyncProperty(topics, memberIdsArb(), async (spec, ids) => {
        const cluster = clusterOf(spec)
        const input = { members: members(ids, Object.keys(spec)), topics: Object.keys(spec) }
        const ours = await PartitionAssigners.roundRobin({ cluster, groupId: 'g', logger: silentLogger }).assign(input)
        // KafkaJS's assigner reads only findTopicPartitionMetadata from its cluster argument.
        const theirs = await KafkaJSAssigners.roundRobin({ cluster: cluster as never, groupId: 'g', logger: silentLogger as never }).assign(input)
        expect(ours.map((r) => r.memberId)).toEqual(theirs.map((r) => r.memberId))
        ours.forEach((r, i) => expect(r.memberAssignment.equals(theirs[i]!.memberAssignment)).toBe(true))
        const ourProtocol = PartitionAssigners.roundRobin({ cluster, groupId: 'g', logger: silentLogger }).protocol({ topics: input.topics })
        const theirProtocol = KafkaJSAssigners.roundRobin({ cluster: cluster as never, groupId: 'g', logger: silentLogger as never }).protocol({ topics: input.topics })
        expect(ourProtocol).toEqual(theirProtocol)
      }),
      { numRuns: 200 },
    )
  })
})

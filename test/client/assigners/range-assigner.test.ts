import { describe, expect, it } from 'vitest'
import { MemberMetadata, PartitionAssigners } from '../../../src/client/assigners/index.js'
import { clusterOf, decoded, silentLogger } from './assigner-fixture.js'

function member(memberId: string, topics: string[]) {
  return { memberId, memberMetadata: MemberMetadata.encode({ version: 0, topics }) }
}

describe('range assigner', () => {
  it('is named after Kafka\'s protocol, "range"', () => {
    expect(PartitionAssigners.range({ cluster: clusterOf({}), groupId: 'g', logger: silentLogger }).name).toBe('range')
  })

  it('gives each member a contiguous range per topic, the first members one extra (Kafka\'s RangeAssignor example)', async () => {
    // Kafka's javadoc: C0, C1 subscribed to t0, t1 with 3 partitions each → C0: t0p0, t0p1, t1p0, t1p1; C1: t0p2, t1p2.
    const assigner = PartitionAssigners.range({ cluster: clusterOf({ t0: 3, t1: 3 }), groupId: 'g', logger: silentLogger })
    const result = decoded(await assigner.assign({ members: [member('C1', ['t0', 't1']), member('C0', ['t0', 't1'])], topics: ['t0', 't1'] }), ['C0', 'C1'])
    expect(result.get('C0')).toEqual({ t0: [0, 1], t1: [0, 1] })
    expect(result.get('C1')).toEqual({ t0: [2], t1: [2] })
  })

  it('assigns a topic only among the members subscribed to it', async () => {
    const assigner = PartitionAssigners.range({ cluster: clusterOf({ a: 2, b: 4 }), groupId: 'g', logger: silentLogger })
    const result = decoded(await assigner.assign({ members: [member('m1', ['a']), member('m2', ['a', 'b']), member('m3', ['b'])], topics: ['a', 'b'] }), [
      'm1',
      'm2',
      'm3',
    ])
    expect(result.get('m1')).toEqual({ a: [0] })
    expect(result.get('m2')).toEqual({ a: [1], b: [0, 1] })
    expect(result.get('m3')).toEqual({ b: [2, 3] })
  })
})

import { describe, expect, it } from 'vitest'
import { MemberMetadata, PartitionAssigners } from '../../../src/client/assigners/index.js'
import { clusterOf, decoded, silentLogger } from './assigner-fixture.js'

describe('RoundRobinAssigner with members subscribed to different topics', () => {
  it('deals each partition only to members subscribed to its topic, so every partition has a reader', async () => {
    const assigner = PartitionAssigners.roundRobin({ cluster: clusterOf({ t1: 3, t2: 3 }), groupId: 'g', logger: silentLogger })
    const members = [
      { memberId: 'a', memberMetadata: MemberMetadata.encode({ version: 0, topics: ['t1'], userData: Buffer.alloc(0) }) },
      { memberId: 'b', memberMetadata: MemberMetadata.encode({ version: 0, topics: ['t2'], userData: Buffer.alloc(0) }) },
    ]
    const result = decoded(await assigner.assign({ members, topics: ['t1', 't2'] }), ['a', 'b'])
    expect(result.get('a')).toEqual({ t1: [0, 1, 2] })
    expect(result.get('b')).toEqual({ t2: [0, 1, 2] })
  })

  it('members without metadata (as KafkaJS specs pass them) count as subscribed to every topic: KafkaJS assignment, no crash', async () => {
    const assigner = PartitionAssigners.roundRobin({ cluster: clusterOf({ t1: 2, t2: 2 }), groupId: 'g', logger: silentLogger })
    const members = [{ memberId: 'b' }, { memberId: 'a' }] as Array<{ memberId: string; memberMetadata: Buffer }>
    const result = decoded(await assigner.assign({ members, topics: ['t1', 't2'] }), ['a', 'b'])
    expect(result.get('a')).toEqual({ t1: [0], t2: [0] })
    expect(result.get('b')).toEqual({ t1: [1], t2: [1] })
  })
})

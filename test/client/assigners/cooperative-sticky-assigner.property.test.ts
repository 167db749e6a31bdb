import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PartitionAssigners, type Assigner, type Assignment } from '../../../src/client/assigners/index.js'
import { allPartitions, clusterOf, decoded, ownerCounts, silentLogger, topicsArb } from './assigner-fixture.js'

interface SimMember {
  id: string
  assigner: Assigner
  owned: Assignment
}

const keys = (a: Assignment) => Object.entries(a).flatMap(([t, ps]) => ps.map((p) => `${t}/${p}`))

/** A group whose members run cooperative-sticky, rebalanced as Kafka's cooperative protocol does. */
class SimGroup {
  members: SimMember[] = []
  generation = 0
  private next = 0

  constructor(private readonly topics: Record<string, number>) {}

  join(): void {
    const id = `m-${String(this.next++).padStart(3, '0')}`
    this.members.push({ id, assigner: PartitionAssigners.cooperativeSticky({ cluster: clusterOf(this.topics), groupId: 'g', logger: silentLogger }), owned: {} })
  }

  leave(index: number): void {
    this.members.splice(index % this.members.length, 1)
  }

  /** One generation; returns whether some member lost partitions (it then rejoins, as Kafka's consumer does). */
  async rebalance(): Promise<boolean> {
    this.generation++
    const topicNames = Object.keys(this.topics)
    const joined = this.members.map((m) => ({ memberId: m.id, memberMetadata: m.assigner.protocol({ topics: topicNames }).metadata }))
    const result = decoded(await this.members[0]!.assigner.assign({ members: joined, topics: topicNames }), this.members.map((m) => m.id))
    let revoked = false
    for (const m of this.members) {
      const next = result.get(m.id)!
      // The guarantee: nothing is given to a member while another member still owns it.
      for (const key of keys(next)) {
        const holder = this.members.find((o) => o !== m && keys(o.owned).includes(key))
        expect(holder, `${key} given to ${m.id} while ${holder?.id} owns it`).toBeUndefined()
      }
    }
    for (const m of this.members) {
      const next = result.get(m.id)!
      if (keys(m.owned).some((k) => !keys(next).includes(k))) revoked = true
      m.owned = next
      m.assigner.onAssignment!({ assignment: next, generationId: this.generation })
    }
    return revoked
  }

  /** Rebalances until no member revoked anything; returns the number of generations it took. */
  async settle(): Promise<number> {
    let rounds = 1
    while (await this.rebalance()) rounds++
    return rounds
  }
}

const events = fc.array(fc.oneof(fc.constant({ kind: 'join' as const }), fc.nat().map((i) => ({ kind: 'leave' as const, index: i }))), { minLength: 1, maxLength: 8 })

describe('cooperative-sticky assigner', () => {
  it('is named after Kafka\'s protocol, "cooperative-sticky"', () => {
    expect(PartitionAssigners.cooperativeSticky({ cluster: clusterOf({}), groupId: 'g', logger: silentLogger }).name).toBe('cooperative-sticky')
  })

  it('no partition is assigned to a new owner in the generation in which another member still owns it; a stable group gives every partition exactly one owner', async () => {
    await fc.assert(
      fc.asyncProperty(topicsArb(3, 10), fc.integer({ min: 1, max: 8 }), events, async (topics, initial, evs) => {
        const group = new SimGroup(topics)
        for (let i = 0; i < initial; i++) group.join()
        await group.settle()
        for (const ev of evs) {
          if (ev.kind === 'join' && group.members.length < 20) group.join()
          else if (ev.kind === 'leave' && group.members.length > 1) group.leave(ev.index)
          // Kafka needs at most one follow-up generation to hand over what was revoked.
          expect(await group.settle()).toBeLessThanOrEqual(2)
          const counts = ownerCounts(group.members.map((m) => m.owned))
          expect([...counts.keys()].sort()).toEqual(allPartitions(topics).sort())
          expect([...counts.values()].every((n) => n === 1)).toBe(true)
        }
      }),
      { numRuns: 100 },
    )
  })

  it('owners keep their partitions when balance allows, and a settled group is balanced', async () => {
    await fc.assert(
      fc.asyncProperty(topicsArb(3, 10), fc.integer({ min: 1, max: 8 }), events, async (topics, initial, evs) => {
        const group = new SimGroup(topics)
        for (let i = 0; i < initial; i++) group.join()
        await group.settle()
        const total = allPartitions(topics).length
        for (const ev of evs) {
          const before = new Map(group.members.map((m) => [m.id, keys(m.owned)]))
          if (ev.kind === 'join' && group.members.length < 20) group.join()
          else if (ev.kind === 'leave' && group.members.length > 1) group.leave(ev.index)
          await group.settle()
          const floor = Math.floor(total / group.members.length)
          const loads = group.members.map((m) => keys(m.owned).length)
          expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1)
          for (const m of group.members) {
            const had = before.get(m.id) ?? []
            const kept = had.filter((k) => keys(m.owned).includes(k)).length
            expect(kept).toBeGreaterThanOrEqual(Math.min(had.length, floor))
          }
        }
      }),
      { numRuns: 100 },
    )
  })

  it('a rebalance with no change in membership moves nothing', async () => {
    await fc.assert(
      fc.asyncProperty(topicsArb(3, 10), fc.integer({ min: 1, max: 12 }), async (topics, n) => {
        const group = new SimGroup(topics)
        for (let i = 0; i < n; i++) group.join()
        await group.settle()
        const before = group.members.map((m) => keys(m.owned).sort())
        expect(await group.rebalance()).toBe(false)
        expect(group.members.map((m) => keys(m.owned).sort())).toEqual(before)
      }),
      { numRuns: 50 },
    )
  })
})

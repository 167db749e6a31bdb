/**
 * KIP-345's promise, as a property at the coordinator: static members that restart (a crash and a
 * new incarnation within the session timeout, or a second incarnation that fences a live one)
 * never cause a rebalance, and no partition ever has two owning instances in one generation.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Errors } from '../../../src/protocol/index.js'
import { SESSION_MS, describe1, fixture, joinRequest, type Fixture } from './group-fixture.js'

const HEARTBEAT_MS = 3000
const PARTITIONS = 6

/** One incarnation of a static member: joins with its instance id, assigns round-robin when it leads, heartbeats until stopped or fenced. */
class Incarnation {
  memberId = ''
  generationId = -1
  stopped = false
  fenced = false
  /** The first (re)join of this incarnation was answered in the generation it found. */
  joinedWithoutRebalance = false

  constructor(
    private readonly f: Fixture,
    readonly instance: string,
    private readonly owned: (generationId: number, instance: string, partitions: number[]) => void,
    /** The group's generation when this incarnation started, if the group had settled by then. */
    private readonly generationBefore: number | undefined,
  ) {}

  async run(): Promise<void> {
    const { coordinator, clock } = this.f
    while (!this.stopped) {
      const join = await coordinator.joinGroup(joinRequest({ memberId: this.memberId, groupInstanceId: this.instance, clientId: this.instance }))
      if (this.stopped) return
      if (join.errorCode === Errors.FENCED_INSTANCE_ID.code) return this.fence()
      if (join.errorCode !== 0) continue
      this.memberId = join.memberId
      this.generationId = join.generationId
      if (this.generationBefore !== undefined && join.generationId === this.generationBefore) this.joinedWithoutRebalance = true
      const assignments = join.leader === this.memberId ? roundRobin(join.members.map((m) => ({ memberId: m.memberId, instance: m.groupInstanceId! }))) : []
      const sync = await coordinator.syncGroup({ groupId: 'g', generationId: join.generationId, memberId: this.memberId, groupInstanceId: this.instance, assignments })
      if (this.stopped) return
      if (sync.errorCode === Errors.FENCED_INSTANCE_ID.code) return this.fence()
      if (sync.errorCode !== 0) continue
      this.owned(join.generationId, this.instance, JSON.parse(sync.assignment.toString()) as number[])
      while (!this.stopped) {
        await clock.sleep(HEARTBEAT_MS)
        if (this.stopped) return
        const error = coordinator.heartbeat({ groupId: 'g', generationId: this.generationId, memberId: this.memberId, groupInstanceId: this.instance }).errorCode
        if (error === Errors.FENCED_INSTANCE_ID.code) return this.fence()
        if (error !== 0) break
      }
    }
  }

  private fence(): void {
    this.fenced = true
    this.stopped = true
  }
}

function roundRobin(members: Array<{ memberId: string; instance: string }>): Array<{ memberId: string; assignment: Buffer }> {
  const sorted = [...members].sort((a, b) => a.instance.localeCompare(b.instance))
  return sorted.map((m, i) => ({
    memberId: m.memberId,
    assignment: Buffer.from(JSON.stringify(Array.from({ length: PARTITIONS }, (_, p) => p).filter((p) => p % sorted.length === i))),
  }))
}

const step = fc.record({
  kind: fc.constantFrom('restart' as const, 'restart' as const, 'duplicate' as const, 'wait' as const),
  pick: fc.nat(),
  // A crashed incarnation was last heard at most one heartbeat ago, so a restart within the session timeout is down less than this.
  downMs: fc.integer({ min: 0, max: SESSION_MS - HEARTBEAT_MS - 1 }),
  afterMs: fc.integer({ min: 0, max: 15_000 }),
})

describe('static membership (KIP-345)', () => {
  it('restarts of static members within the session timeout never cause a rebalance and never give a partition two owners in a generation', async () => {
    let rejoinedWithoutRebalance = 0
    let fencedLive = 0
    let runs = 0
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(step, { minLength: 1, maxLength: 8 }), async (size, steps) => {
        runs++
        const f = fixture()
        const owners = new Map<number, Map<number, string>>()
        const owned = (generationId: number, instance: string, partitions: number[]) => {
          const byPartition = owners.get(generationId) ?? new Map<number, string>()
          owners.set(generationId, byPartition)
          for (const p of partitions) {
            expect(byPartition.get(p) ?? instance, `partition ${p} in generation ${generationId}`).toBe(instance)
            byPartition.set(p, instance)
          }
        }
        const instances = Array.from({ length: size }, (_, i) => `i${i}`)
        const live = new Map<string, Incarnation>()
        const all: Incarnation[] = []
        let generation: number | undefined
        const start = (instance: string) => {
          const incarnation = new Incarnation(f, instance, owned, generation)
          live.set(instance, incarnation)
          all.push(incarnation)
          void incarnation.run()
        }
        for (const instance of instances) start(instance)
        await f.clock.advance(HEARTBEAT_MS)
        expect(describe1(f).state).toBe('Stable')
        generation = live.get('i0')!.generationId
        for (const s of steps) {
          const instance = instances[s.pick % size]!
          if (s.kind === 'restart') {
            live.get(instance)!.stopped = true
            await f.clock.advance(s.downMs)
            start(instance)
          } else if (s.kind === 'duplicate') {
            start(instance)
          }
          await f.clock.advance(s.afterMs)
        }
        await f.clock.advance(2 * SESSION_MS)
        const group = describe1(f)
        expect(group.state).toBe('Stable')
        expect(group.members).toHaveLength(size)
        for (const incarnation of live.values()) expect(incarnation.generationId).toBe(generation)
        expect([...owners.keys()]).toEqual([generation])
        expect([...owners.get(generation)!.keys()].sort()).toEqual(Array.from({ length: PARTITIONS }, (_, p) => p))
        const restarted = all.slice(size)
        rejoinedWithoutRebalance += restarted.filter((i) => i.joinedWithoutRebalance).length > 0 ? 1 : 0
        fencedLive += all.some((i) => i.fenced) ? 1 : 0
        for (const incarnation of all) incarnation.stopped = true
      }),
      { numRuns: 60 },
    )
    console.info(`static membership: ${runs} runs, a restart rejoined without a rebalance in ${rejoinedWithoutRebalance}, a live incarnation was fenced in ${fencedLive}`)
    // Coverage: the windows the property is about were reached in a fair share of runs.
    expect(rejoinedWithoutRebalance / runs).toBeGreaterThan(0.5)
    expect(fencedLive / runs).toBeGreaterThan(0.2)
  })
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Errors } from '../../../src/protocol/index.js'
import { REBALANCE_MS, describe1, fixture, heartbeat, joinRequest, type Fixture } from './group-fixture.js'

const HEARTBEAT_MS = 3000

/** A well-behaved classic-protocol client: join (KIP-394), sync, heartbeat, rejoin when told to. */
class SimClient {
  memberId = ''
  generationId = -1
  assignment: Buffer | null = null
  stopped = false

  constructor(
    private readonly f: Fixture,
    readonly name: string,
  ) {}

  async run(): Promise<void> {
    const { coordinator, clock } = this.f
    while (!this.stopped) {
      this.assignment = null
      const join = await coordinator.joinGroup(joinRequest({ memberId: this.memberId, clientId: this.name }))
      if (this.stopped) return
      if (join.errorCode === Errors.MEMBER_ID_REQUIRED.code) {
        this.memberId = join.memberId
        continue
      }
      if (join.errorCode === Errors.UNKNOWN_MEMBER_ID.code) this.memberId = ''
      if (join.errorCode !== 0) continue
      this.generationId = join.generationId
      const assignments = join.members.map((m) => ({ memberId: m.memberId, assignment: Buffer.from(`${join.generationId}:${m.memberId}`) }))
      const sync = await coordinator.syncGroup({ groupId: 'g', generationId: join.generationId, memberId: this.memberId, groupInstanceId: null, assignments })
      if (this.stopped) return
      if (sync.errorCode === Errors.UNKNOWN_MEMBER_ID.code) this.memberId = ''
      if (sync.errorCode !== 0) continue
      this.assignment = sync.assignment
      while (!this.stopped) {
        await clock.sleep(HEARTBEAT_MS)
        if (this.stopped) return
        const error = heartbeat(this.f, this.memberId, this.generationId)
        if (error === 0) continue
        if (error === Errors.UNKNOWN_MEMBER_ID.code) this.memberId = ''
        break
      }
    }
  }
}

const action = fc.record({
  kind: fc.constantFrom('start' as const, 'start' as const, 'leave' as const, 'crash' as const),
  pick: fc.nat(),
  afterMs: fc.integer({ min: 0, max: 20_000 }),
})

describe('GroupCoordinator membership', () => {
  it('whatever members start, leave and crash, the group settles Stable with exactly the live members, one leader, and each member holding the assignment of the current generation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 12 }), fc.constantFrom(0, 3000), async (actions, initialRebalanceDelayMs) => {
        const f = fixture({ initialRebalanceDelayMs })
        const live: SimClient[] = []
        let n = 0
        for (const a of actions) {
          if (a.kind === 'start' || live.length === 0) {
            const c = new SimClient(f, `c${n++}`)
            live.push(c)
            void c.run()
          } else {
            const [c] = live.splice(a.pick % live.length, 1)
            c!.stopped = true
            if (a.kind === 'leave' && c!.memberId !== '') f.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: c!.memberId, groupInstanceId: null }] })
          }
          await f.clock.advance(a.afterMs)
        }
        // Long enough for crashed members' sessions and any pending join or sync phase to run out, several times over.
        await f.clock.advance(4 * REBALANCE_MS)
        const group = describe1(f)
        if (live.length === 0) {
          expect(group.members).toEqual([])
          return
        }
        expect(group.state).toBe('Stable')
        const generation = live[0]!.generationId
        expect(group.members.filter((m) => m.memberAssignment.toString().startsWith(`${generation}:`))).toHaveLength(live.length)
        expect(new Set(group.members.map((m) => m.memberId))).toEqual(new Set(live.map((c) => c.memberId)))
        for (const c of live) {
          expect(c.generationId).toBe(generation)
          expect(c.assignment?.toString()).toBe(`${generation}:${c.memberId}`)
        }
        for (const c of live) c.stopped = true
      }),
      { numRuns: 60 },
    )
  })
})

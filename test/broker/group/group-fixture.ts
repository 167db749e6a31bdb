/** A GroupCoordinator on a VirtualClock, with helpers that speak the classic protocol as a client would. */
import { GroupCoordinator } from '../../../src/broker/group/index.js'
import { Errors, type JoinGroupRequest, type JoinGroupResponse, type SyncGroupResponse } from '../../../src/protocol/index.js'
import { SeededRandom, VirtualClock } from '../../../src/time/index.js'

export const SESSION_MS = 10_000
export const REBALANCE_MS = 30_000

export interface Fixture {
  clock: VirtualClock
  coordinator: GroupCoordinator
  topics: Map<string, number>
}

export function fixture(opts: { initialRebalanceDelayMs?: number; offsetsRetentionMs?: number } = {}): Fixture {
  // These tests drive the coordinator by hand and end with its session timers pending: no forgotten clock.run().
  const clock = new VirtualClock(undefined, { idleWarning: { afterMs: 0 } })
  const topics = new Map<string, number>([['orders', 3], ['payments', 2]])
  const coordinator = new GroupCoordinator({
    clock,
    random: new SeededRandom(42),
    config: { minSessionTimeoutMs: 6000, maxSessionTimeoutMs: 1_800_000, initialRebalanceDelayMs: opts.initialRebalanceDelayMs ?? 0, offsetsRetentionMs: opts.offsetsRetentionMs ?? 7 * 86_400_000, offsetsRetentionCheckIntervalMs: 600_000 },
    partitionExists: (topic, partition) => partition >= 0 && partition < (topics.get(topic) ?? 0),
  })
  return { clock, coordinator, topics }
}

export function joinRequest(overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: 'g',
    sessionTimeoutMs: SESSION_MS,
    rebalanceTimeoutMs: REBALANCE_MS,
    memberId: '',
    groupInstanceId: null,
    clientId: 'client',
    protocolType: 'consumer',
    protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from('sub') }],
    ...overrides,
  }
}

/** Does the KIP-394 dance: asks for a member id, then joins with it; returns the parked join. */
export async function joinNew(f: Fixture, overrides: Partial<JoinGroupRequest> = {}): Promise<{ memberId: string; join: Promise<JoinGroupResponse> }> {
  const first = await f.coordinator.joinGroup(joinRequest(overrides))
  if (first.errorCode !== Errors.MEMBER_ID_REQUIRED.code) throw new Error(`expected MEMBER_ID_REQUIRED, got ${first.errorCode}`)
  return { memberId: first.memberId, join: f.coordinator.joinGroup(joinRequest({ ...overrides, memberId: first.memberId })) }
}

/** Whether a promise has settled, after letting pending callbacks run. */
export async function isSettled(f: Fixture, promise: Promise<unknown>): Promise<boolean> {
  let settled = false
  void promise.then(() => (settled = true))
  await f.clock.flush()
  return settled
}

/** Joins and syncs `count` fresh members into a Stable group; the leader assigns `assignment(memberId)` to each. */
export async function stableGroup(
  f: Fixture,
  count: number,
  groupId = 'g',
): Promise<{ memberIds: string[]; generationId: number; leader: string; syncs: SyncGroupResponse[] }> {
  const joins = []
  for (let i = 0; i < count; i++) joins.push(await joinNew(f, { groupId, clientId: `c${i}` }))
  const responses = await f.clock.run(Promise.all(joins.map((j) => j.join)))
  const { generationId, leader } = responses[0]!
  const memberIds = joins.map((j) => j.memberId)
  const syncs = await f.clock.run(
    Promise.all(
      memberIds.map((memberId) =>
        f.coordinator.syncGroup({
          groupId,
          generationId,
          memberId,
          groupInstanceId: null,
          assignments: memberId === leader ? memberIds.map((m) => ({ memberId: m, assignment: Buffer.from(`for ${m}`) })) : [],
        }),
      ),
    ),
  )
  return { memberIds, generationId, leader, syncs }
}

export function heartbeat(f: Fixture, memberId: string, generationId: number, groupId = 'g'): number {
  return f.coordinator.heartbeat({ groupId, memberId, generationId, groupInstanceId: null }).errorCode
}

export function describe1(f: Fixture, groupId = 'g') {
  return f.coordinator.describeGroups({ groups: [groupId] }).groups[0]!
}

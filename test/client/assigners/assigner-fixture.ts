/** Shared helpers for assignor tests: a fake cluster view, a silent logger, and fast-check arbitraries. */
import fc from 'fast-check'
import { MemberAssignment, type AssignerCluster, type Assignment, type GroupMemberAssignment } from '../../../src/client/assigners/index.js'
import type { Logger } from '../../../src/client/logger.js'

export const silentLogger: Logger = {
  info: () => undefined,
  error: () => undefined,
  warn: () => undefined,
  debug: () => undefined,
  namespace: () => silentLogger,
  setLogLevel: () => undefined,
}

/** A cluster view over `topic → partition count`, partitions listed in the given order. */
export function clusterOf(topics: Record<string, number | number[]>): AssignerCluster {
  return {
    findTopicPartitionMetadata(topic: string) {
      const spec = topics[topic]
      if (spec === undefined) throw new Error(`no metadata for ${topic}`)
      const ids = typeof spec === 'number' ? Array.from({ length: spec }, (_, i) => i) : spec
      return ids.map((partitionId) => ({ partitionId, leader: 0 }))
    },
  }
}

/** Decodes the leader's answer to memberId → assignment (a member left out gets {}). */
export function decoded(result: GroupMemberAssignment[], memberIds: readonly string[]): Map<string, Assignment> {
  const out = new Map<string, Assignment>(memberIds.map((m) => [m, {}]))
  for (const r of result) out.set(r.memberId, MemberAssignment.decode(r.memberAssignment)?.assignment ?? {})
  return out
}

/** How many members own each `topic/partition`. */
export function ownerCounts(assignments: Iterable<Assignment>): Map<string, number> {
  const counts = new Map<string, number>()
  for (const a of assignments) for (const [t, ps] of Object.entries(a)) for (const p of ps) counts.set(`${t}/${p}`, (counts.get(`${t}/${p}`) ?? 0) + 1)
  return counts
}

/** Every `topic/partition` of a topic spec. */
export function allPartitions(topics: Record<string, number>): string[] {
  return Object.entries(topics).flatMap(([t, n]) => Array.from({ length: n }, (_, p) => `${t}/${p}`))
}

/** 1..maxTopics topics with 1..maxPartitions partitions each. */
export const topicsArb = (maxTopics = 4, maxPartitions = 12) =>
  fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9._-]{0,8}$/), fc.integer({ min: 1, max: maxPartitions }), { minKeys: 1, maxKeys: maxTopics })

/** 1..maxMembers distinct member ids, shaped like KafkaJS's (`clientId-uuid`). */
export const memberIdsArb = (maxMembers = 20) =>
  fc.uniqueArray(fc.tuple(fc.constantFrom('app', 'svc', 'App'), fc.uuid()).map(([c, u]) => `${c}-${u}`), { minLength: 1, maxLength: maxMembers })

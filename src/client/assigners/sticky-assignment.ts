/**
 * The sticky assignment algorithm behind 'cooperative-sticky' (Kafka's AbstractStickyAssignor,
 * KIP-54 and KIP-429), as a pure function: members keep the partitions they validly own as far
 * as balance allows, unowned partitions go to the least-loaded eligible member, and partitions
 * move from the most- to the least-loaded member until no move can even the load further.
 * The cooperative step then withholds every partition that changes owner, so its old owner
 * revokes it first and a follow-up rebalance hands it over (at most one owner at any time).
 */

/** One member as the algorithm sees it: what it subscribes to, what it says it owns, and from which generation. */
export interface StickyMember {
  readonly memberId: string
  readonly topics: ReadonlySet<string>
  readonly owned: ReadonlyArray<{ readonly topic: string; readonly partition: number }>
  /** The generation its `owned` comes from; -1 when it owns nothing yet. */
  readonly generation: number
}

/** A member's assigned partitions, topic → sorted partitions. */
export type TopicPartitions = Map<string, number[]>

type Key = string
const keyOf = (topic: string, partition: number): Key => `${topic}\u0000${partition}`
const topicOf = (key: Key): string => key.slice(0, key.indexOf('\u0000'))

/**
 * Kafka's ownership validation: a claim on a partition that no longer exists or that the member
 * no longer subscribes to is dropped; of several claims, the highest generation wins, and
 * claims tied at the highest generation are all dropped (neither member can be trusted).
 */
function validOwners(members: readonly StickyMember[], exists: ReadonlySet<Key>): Map<Key, string> {
  const best = new Map<Key, { memberId: string | null; generation: number }>()
  for (const m of members) {
    for (const key of new Set(m.owned.map((o) => keyOf(o.topic, o.partition)))) {
      if (!exists.has(key) || !m.topics.has(topicOf(key))) continue
      const current = best.get(key)
      if (current === undefined || m.generation > current.generation) best.set(key, { memberId: m.memberId, generation: m.generation })
      else if (m.generation === current.generation) best.set(key, { memberId: null, generation: m.generation })
    }
  }
  const owners = new Map<Key, string>()
  for (const [key, { memberId }] of best) if (memberId !== null) owners.set(key, memberId)
  return owners
}

/**
 * The balanced, sticky target assignment (what an eager sticky assignor would hand out) and the
 * validated previous owner of each partition.
 */
export function stickyTarget(
  members: readonly StickyMember[],
  partitionsByTopic: ReadonlyMap<string, readonly number[]>,
): { target: Map<string, Set<Key>>; previousOwner: Map<Key, string> } {
  const order: Key[] = []
  for (const topic of [...partitionsByTopic.keys()].sort()) for (const p of [...partitionsByTopic.get(topic)!].sort((a, b) => a - b)) order.push(keyOf(topic, p))
  const rank = new Map(order.map((k, i) => [k, i]))
  const previousOwner = validOwners(members, new Set(order))
  const ids = members.map((m) => m.memberId).sort()
  const subscribed = new Map(members.map((m) => [m.memberId, m.topics]))
  const target = new Map<string, Set<Key>>(ids.map((id) => [id, new Set()]))
  for (const [key, owner] of previousOwner) target.get(owner)!.add(key)
  const load = (id: string) => target.get(id)!.size

  for (const key of order) {
    if (previousOwner.has(key)) continue
    const eligible = ids.filter((id) => subscribed.get(id)!.has(topicOf(key)))
    if (eligible.length === 0) continue
    const least = eligible.reduce((a, b) => (load(b) < load(a) ? b : a))
    target.get(least)!.add(key)
  }

  // Each move strictly lowers the sum of squared loads, so this ends.
  for (;;) {
    const byLoad = [...ids].sort((a, b) => load(b) - load(a) || (a < b ? -1 : 1))
    const move = findMove(byLoad, target, subscribed, previousOwner, rank, load)
    if (move === undefined) break
    target.get(move.from)!.delete(move.key)
    target.get(move.to)!.add(move.key)
  }
  return { target, previousOwner }
}

/** From the most loaded member, a partition to give to a member with at least 2 fewer, preferring one it did not own before. */
function findMove(
  byLoad: readonly string[],
  target: ReadonlyMap<string, ReadonlySet<Key>>,
  subscribed: ReadonlyMap<string, ReadonlySet<string>>,
  previousOwner: ReadonlyMap<Key, string>,
  rank: ReadonlyMap<Key, number>,
  load: (id: string) => number,
): { from: string; to: string; key: Key } | undefined {
  for (const from of byLoad) {
    for (const to of [...byLoad].reverse()) {
      if (load(from) - load(to) <= 1) break
      const candidates = [...target.get(from)!].filter((k) => subscribed.get(to)!.has(topicOf(k)))
      if (candidates.length === 0) continue
      // Moving a partition the member only just got costs no revocation; otherwise give up the last one.
      candidates.sort((a, b) => Number(previousOwner.get(a) === from) - Number(previousOwner.get(b) === from) || rank.get(b)! - rank.get(a)!)
      return { from, to, key: candidates[0]! }
    }
  }
  return undefined
}

/**
 * KIP-429's cooperative assignment: the sticky target, minus every partition that another
 * member still owns. Every member appears in the result, possibly with nothing.
 */
export function cooperativeStickyAssignment(
  members: readonly StickyMember[],
  partitionsByTopic: ReadonlyMap<string, readonly number[]>,
): Map<string, TopicPartitions> {
  const { target, previousOwner } = stickyTarget(members, partitionsByTopic)
  const result = new Map<string, TopicPartitions>()
  for (const [memberId, keys] of target) {
    const byTopic: TopicPartitions = new Map()
    for (const key of keys) {
      const owner = previousOwner.get(key)
      if (owner !== undefined && owner !== memberId) continue
      const topic = topicOf(key)
      const partition = Number(key.slice(topic.length + 1))
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition])
    }
    for (const partitions of byTopic.values()) partitions.sort((a, b) => a - b)
    result.set(memberId, new Map([...byTopic].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))
  }
  return result
}

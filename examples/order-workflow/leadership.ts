/**
 * Who leads each partition, read from `cluster.describe()`: every partition has one leader (the
 * broker that takes its writes and reads) and followers that copy it; the in-sync replicas (ISR)
 * are those that are caught up. When a leader's broker crashes, the controller makes another
 * in-sync replica the leader and bumps the leader epoch.
 */
import type { ClusterDescription } from '../../src/index.js'

/** One partition's leadership. */
export interface Leadership {
  topic: string
  partition: number
  leader: number
  leaderEpoch: number
  replicas: readonly number[]
  isr: readonly number[]
}

/** The leadership of every partition of `topics`, in topic and partition order. */
export function leadershipOf(description: ClusterDescription, topics: readonly string[]): Leadership[] {
  return description.partitions
    .filter((p) => topics.includes(p.topic))
    .map(({ topic, partition, leader, leaderEpoch, replicas, isr }) => ({ topic, partition, leader, leaderEpoch, replicas, isr }))
    .sort((a, b) => topics.indexOf(a.topic) - topics.indexOf(b.topic) || a.partition - b.partition)
}

/** `order-placed-3: leader 1, replicas [1,2,0], isr [1,2,0]` */
export function leadershipText(p: Leadership): string {
  return `${p.topic}-${p.partition}: leader ${p.leader < 0 ? 'none' : p.leader}, replicas [${p.replicas.join(',')}], isr [${p.isr.join(',')}]`
}

/**
 * What changed between two descriptions: each new leader (with the new epoch and ISR), then one line
 * per kind of ISR change among the partitions that kept their leader.
 */
export function leadershipChanges(before: readonly Leadership[], after: readonly Leadership[]): string[] {
  const changes: string[] = []
  const isrOnly = new Map<string, number>()
  for (const now of after) {
    const was = before.find((p) => p.topic === now.topic && p.partition === now.partition)
    if (was === undefined) continue
    if (was.leader !== now.leader) {
      changes.push(`${now.topic}-${now.partition}: leader ${was.leader} -> ${now.leader} (epoch ${was.leaderEpoch} -> ${now.leaderEpoch}), isr [${now.isr.join(',')}]`)
      continue
    }
    const left = was.isr.filter((id) => !now.isr.includes(id))
    const joined = now.isr.filter((id) => !was.isr.includes(id))
    const what = [left.length > 0 ? `broker ${left.join(',')} leaves their ISR` : '', joined.length > 0 ? `broker ${joined.join(',')} rejoins their ISR` : '']
      .filter((text) => text !== '')
      .join(', ')
    if (what !== '') isrOnly.set(what, (isrOnly.get(what) ?? 0) + 1)
  }
  for (const [what, count] of isrOnly) changes.push(`${count} ${changes.length > 0 ? 'other ' : ''}partitions keep their leader; ${what}`)
  return changes
}

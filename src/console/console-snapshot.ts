/**
 * The picture of the cluster that the console pushes to the page (as JSON over server-sent events):
 * brokers and partitions from `describe()`, consumer groups from the admin API, the records the
 * console produced with the reason for their partition, dead-letter topics, the guided tour and a
 * timeline of what happened.
 */
import type { ConsoleBrokerView, ConsolePartitionView } from './console-types.js'

/** A group member and the partitions it owns (from its assignment, as `describeGroups` returns it). */
export interface MemberSnapshot {
  readonly memberId: string
  readonly clientId: string
  readonly partitions: readonly { readonly topic: string; readonly partition: number }[]
}

/** A partition's committed offset (−1: none yet) and lag in a group: high watermark − committed, or the whole log when nothing is committed. */
export interface GroupOffsetSnapshot {
  readonly topic: string
  readonly partition: number
  readonly committed: number
  readonly lag: number
}

/** A consumer group as the admin API describes it, with its lag over time. */
export interface GroupSnapshot {
  readonly groupId: string
  readonly state: string
  readonly protocol: string
  readonly members: readonly MemberSnapshot[]
  readonly offsets: readonly GroupOffsetSnapshot[]
  /** Total lag at each refresh, oldest first ([cluster time ms, lag]). */
  readonly lagHistory: readonly (readonly [number, number])[]
}

/** A record the console produced: where its key sent it and why. */
export interface RecordSnapshot {
  readonly topic: string
  readonly key: string
  /** `murmur2(key)` as a signed 32-bit int, as Kafka's `Utils.murmur2` returns it. */
  readonly hash: number
  readonly partition: number
  readonly offset: string
  /** The default partitioner's arithmetic for this key, in words. */
  readonly why: string
}

/** A record of a dead-letter or retry topic with its headers (as UTF-8 text, binary ones as numbers). */
export interface DeadLetterSnapshot {
  readonly topic: string
  readonly partition: number
  readonly offset: string
  readonly key: string | null
  readonly value: string | null
  readonly headers: Readonly<Record<string, string>>
}

/** One step of the guided tour. */
export interface TourStepSnapshot {
  readonly title: string
  readonly sentence: string
  readonly button: string
  readonly done: boolean
}

/** A line of the timeline: cluster time and what happened. */
export interface TimelineEntry {
  readonly time: number
  readonly text: string
}

/** Everything the page shows. */
export interface ConsoleSnapshot {
  readonly brokers: readonly ConsoleBrokerView[]
  readonly partitions: readonly ConsolePartitionView[]
  /** Log start offset per `topic-partition` (the leader's, from ListOffsets earliest). */
  readonly logStart: Readonly<Record<string, string>>
  readonly groups: readonly GroupSnapshot[]
  readonly records: readonly RecordSnapshot[]
  readonly deadLetters: readonly DeadLetterSnapshot[]
  readonly tour: readonly TourStepSnapshot[]
  readonly timeline: readonly TimelineEntry[]
  /** Members this console started (they can be removed, slowed or sped up from the page). */
  readonly consoleMembers: readonly { readonly groupId: string; readonly memberId: string | null; readonly slow: boolean }[]
}

/**
 * The picture of the cluster that the console pushes to the page (as JSON over server-sent events):
 * brokers, partitions and transactions from `describe()`, consumer groups from the admin API, the
 * newest records of every topic (whoever produced them) with the reason for their partition,
 * dead-letter topics, the guided tour and a timeline of what happened.
 */
import type { ConsoleBrokerView, ConsolePartitionView, ConsoleTransactionView } from './console-types.js'

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

/** A record as a consumer read it (or as the console produced it): where its key sent it and why. */
export interface RecordSnapshot {
  readonly topic: string
  readonly key: string | null
  /** `murmur2(key)` as a signed 32-bit int, as Kafka's `Utils.murmur2` returns it; null without a key. */
  readonly hash: number | null
  readonly partition: number
  readonly offset: string
  /** The value as UTF-8 text, cut to its first characters. */
  readonly value: string | null
  /** The partitioner's arithmetic for this key, in words, or why the record is elsewhere. */
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

/** A line of the timeline: cluster time, what happened, and maybe a label and detail lines. */
export interface TimelineEntry {
  readonly time: number
  readonly text: string
  readonly kind?: string
  readonly details?: readonly string[]
}

/** Everything the page shows. */
export interface ConsoleSnapshot {
  readonly brokers: readonly ConsoleBrokerView[]
  readonly partitions: readonly ConsolePartitionView[]
  /** Log start offset per `topic-partition` (the leader's, from ListOffsets earliest). */
  readonly logStart: Readonly<Record<string, string>>
  readonly groups: readonly GroupSnapshot[]
  readonly transactions: readonly ConsoleTransactionView[]
  readonly records: readonly RecordSnapshot[]
  readonly deadLetters: readonly DeadLetterSnapshot[]
  readonly tour: readonly TourStepSnapshot[]
  readonly timeline: readonly TimelineEntry[]
  /** Cluster time of the timeline's first line (now, before there is one): the timeline counts from it. */
  readonly startedAt: number
  /** Members this console started (they can be removed, slowed or sped up from the page). */
  readonly consoleMembers: readonly { readonly groupId: string; readonly memberId: string | null; readonly slow: boolean }[]
}

/**
 * The consumer's instrumentation events: KafkaJS's names (`consumer.events.GROUP_JOIN` is
 * `'consumer.group_join'`) and payload shapes, so listeners written for KafkaJS work unchanged.
 */
import type { InstrumentationEvent } from '../instrumentation/instrumentation-emitter.js'

/** KafkaJS's consumer event names. */
export const ConsumerEvents = {
  HEARTBEAT: 'consumer.heartbeat',
  COMMIT_OFFSETS: 'consumer.commit_offsets',
  GROUP_JOIN: 'consumer.group_join',
  FETCH_START: 'consumer.fetch_start',
  FETCH: 'consumer.fetch',
  START_BATCH_PROCESS: 'consumer.start_batch_process',
  END_BATCH_PROCESS: 'consumer.end_batch_process',
  CONNECT: 'consumer.connect',
  DISCONNECT: 'consumer.disconnect',
  STOP: 'consumer.stop',
  CRASH: 'consumer.crash',
  REBALANCING: 'consumer.rebalancing',
  RECEIVED_UNSUBSCRIBED_TOPICS: 'consumer.received_unsubscribed_topics',
  // Network events: REQUEST and REQUEST_TIMEOUT come from the cluster client; in-process there is no request queue, so REQUEST_QUEUE_SIZE never fires.
  REQUEST: 'consumer.network.request',
  REQUEST_TIMEOUT: 'consumer.network.request_timeout',
  REQUEST_QUEUE_SIZE: 'consumer.network.request_queue_size',
} as const

/** The `consumer.events` object's type. */
export type ConsumerEventNames = typeof ConsumerEvents
/** One consumer event name, e.g. `'consumer.group_join'`. */
export type ConsumerEventName = ConsumerEventNames[keyof ConsumerEventNames]

/** Offsets by topic and partition, as KafkaJS's commit payloads carry them. */
export interface TopicOffsets {
  topic: string
  partitions: Array<{ partition: number; offset: string }>
}

export type ConsumerHeartbeatEvent = InstrumentationEvent<{ groupId: string; memberId: string; groupGenerationId: number }>
export type ConsumerCommitOffsetsEvent = InstrumentationEvent<{
  groupId: string
  memberId: string
  groupGenerationId: number
  /** `partition` is a string, as KafkaJS emits it (the keys of its resolved offsets). */
  topics: Array<{ topic: string; partitions: Array<{ partition: string; offset: string }> }>
}>
/** A member's partitions by topic, e.g. `{ orders: [0, 2] }`. */
export interface IMemberAssignment {
  [topic: string]: number[]
}
export type ConsumerGroupJoinEvent = InstrumentationEvent<{
  duration: number
  groupId: string
  /** The generation this assignment belongs to (not in KafkaJS's payload; the recorders of `kafkalite/testing` use it). */
  generationId: number
  isLeader: boolean
  leaderId: string
  groupProtocol: string
  memberId: string
  memberAssignment: IMemberAssignment
}>
/** `nodeId` is the broker id as a string, as KafkaJS emits it. */
export type ConsumerFetchStartEvent = InstrumentationEvent<{ nodeId: string }>
export type ConsumerFetchEvent = InstrumentationEvent<{ numberOfBatches: number; duration: number; nodeId: string }>
/** What START_BATCH_PROCESS and END_BATCH_PROCESS carry. */
export interface IBatchProcessEvent {
  topic: string
  partition: number
  highWatermark: string
  offsetLag: string
  offsetLagLow: string
  batchSize: number
  firstOffset: string | null
  lastOffset: string
}
export type ConsumerStartBatchProcessEvent = InstrumentationEvent<IBatchProcessEvent>
export type ConsumerEndBatchProcessEvent = InstrumentationEvent<IBatchProcessEvent & { duration: number }>
export type ConsumerCrashEvent = InstrumentationEvent<{ error: Error; groupId: string; restart: boolean }>
export type ConsumerRebalancingEvent = InstrumentationEvent<{ groupId: string; memberId: string }>
export type ConsumerReceivedUnsubscribedTopicsEvent = InstrumentationEvent<{
  groupId: string
  generationId: number
  memberId: string
  assignedTopics: string[]
  topicsSubscribed: string[]
  topicsNotSubscribed: string[]
}>

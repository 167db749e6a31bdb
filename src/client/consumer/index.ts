/** The consumer's public surface: the class, its configuration, handler payloads and events (KafkaJS's names). */
export { Consumer, type TopicPartitionOffset, type TopicPartitionOffsetAndMetadata } from './consumer.js'
export type { GroupDescription, MemberDescription } from './group-description.js'
export type { ConsumerConfig, ConsumerRunConfig, ConsumerSubscribeTopics } from './consumer-config.js'
export type { EachBatchHandler, EachBatchPayload, EachMessageHandler, EachMessagePayload, MessageDelivery } from './handler-payloads.js'
export type { Batch } from './batch.js'
export type { OffsetsByTopicPartition } from './offset-manager.js'
export type { TopicPartitions } from './subscription-state.js'
export type { MessageProcessor } from './runner.js'
export {
  ConsumerEvents,
  type ConsumerEventName,
  type ConsumerEventNames,
  type ConsumerCommitOffsetsEvent,
  type ConsumerCrashEvent,
  type ConsumerEndBatchProcessEvent,
  type ConsumerFetchEvent,
  type ConsumerFetchStartEvent,
  type ConsumerGroupJoinEvent,
  type ConsumerHeartbeatEvent,
  type ConsumerRebalancingEvent,
  type ConsumerReceivedUnsubscribedTopicsEvent,
  type ConsumerStartBatchProcessEvent,
  type IBatchProcessEvent,
  type IMemberAssignment,
  type TopicOffsets,
} from './consumer-events.js'

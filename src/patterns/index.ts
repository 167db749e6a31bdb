/**
 * The patterns layer: typed topics and serdes, `@KafkaListener` with a listener container, blocking
 * retries and non-blocking retry topics, dead-letter topics and the tools to read and replay them.
 * Built on the public KafkaJS-compatible client only.
 */
export type { AdminLike, ConsumerLike, ConsumerOptions, EachMessagePayloadLike, KafkaLike, MessageSender, ProducerLike, TimeSource } from './client-api.js'
export { readDeadLetters, replayDeadLetters, type DeadLetterRecord, type ReplayOptions, type ReplayResult } from './dead-letter-tools.js'
export { InvalidListenerError, InvalidTypedTopicError, ListenerStoppedError, TopicReadError } from './errors.js'
export { KafkaListener, kafkaListener, listenersOf, type ListenerContext, type ListenerDefinition, type ListenerHandler } from './kafka-listener.js'
export { startListeners, type ListenerContainer, type RunningConsumer, type StartListenersOptions } from './listener-container.js'
export type { KafkaListenerOptions, TopicRef } from './listener-options.js'
export type { ListenerEvent } from './listener-pipeline.js'
export {
  RETRY_TOPIC_HEADER_PREFIX,
  RetryTopicHeaders,
  parseRetryTopicHeaders,
  planRetryTopics,
  type RetryTopicPlan,
  type RetryTopicState,
  type RetryTopicsOptions,
} from './retry-topics.js'
export { DecodeError, bufferSerde, jsonSerde, stringSerde, type JsonSerdeOptions, type Serde } from './serde.js'
export { readTopicToEnd, type ReadTopicOptions, type TopicRecord } from './topic-reader.js'
export { isTypedTopic, typedTopic, type RecordKey, type TypedMessageOptions, type TypedSendOptions, type TypedTopic, type TypedTopicOptions } from './typed-topic.js'

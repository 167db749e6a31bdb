/**
 * Metadata (API key 3), answered from this broker's metadata cache (stale on an isolated
 * broker, as in Kafka): the live brokers, the controller, and per partition its leader, leader
 * epoch, replicas, ISR and offline replicas. A partition without a leader reports
 * LEADER_NOT_AVAILABLE. An unknown topic is created when the request allows it and
 * `auto.create.topics.enable` is on (instantly: kafkalite's controller has no propagation delay).
 *
 * Authorization (with an authorizer, KafkaApis.handleTopicMetadataRequest): a topic needs
 * DESCRIBE; asked by name it answers TOPIC_AUTHORIZATION_FAILED, asked as "all topics" it is left
 * out. Auto-creation needs CREATE on the cluster or the topic, else TOPIC_AUTHORIZATION_FAILED.
 */
import { AclOperation, Errors, type MetadataRequest, type MetadataResponse, type TopicMetadata } from '../../protocol/index.js'
import type { TopicSnapshot } from '../controller.js'
import { isInternalTopic, topicNameProblem } from '../topic-name.js'
import { allowedOnTopic, mayCreateTopic } from './authorization.js'
import { brokerAddress, type HandlerContext } from './handler-context.js'

function describeTopic(topic: TopicSnapshot, live: readonly number[]): TopicMetadata {
  return {
    topic: topic.name,
    topicId: topic.topicId,
    errorCode: 0,
    isInternal: topic.internal,
    partitions: topic.partitions.map((p) => ({
      partition: p.partition,
      errorCode: p.leader < 0 ? Errors.LEADER_NOT_AVAILABLE.code : 0,
      leader: p.leader,
      leaderEpoch: p.leaderEpoch,
      replicas: p.replicas,
      isr: p.isr,
      offlineReplicas: p.replicas.filter((id) => !live.includes(id)),
    })),
  }
}

function topicError(topic: string, errorCode: number): TopicMetadata {
  return { topic, errorCode, isInternal: isInternalTopic(topic), partitions: [] }
}

/** Serves a Metadata request at a broker. */
export function handleMetadata(ctx: HandlerContext, request: MetadataRequest): MetadataResponse {
  const cache = ctx.broker.metadata
  const live = cache.liveBrokers
  const names = request.topics ?? [...cache.topics.keys()].sort().filter((name) => allowedOnTopic(ctx, AclOperation.DESCRIBE, name))
  const topics = names.map((name): TopicMetadata => {
    const cached = cache.topic(name)
    if (cached !== undefined && !allowedOnTopic(ctx, AclOperation.DESCRIBE, name)) return topicError(name, Errors.TOPIC_AUTHORIZATION_FAILED.code)
    if (cached !== undefined) return describeTopic(cached, live)
    if (topicNameProblem(name) !== null) return topicError(name, Errors.INVALID_TOPIC_EXCEPTION.code)
    if (!request.allowAutoTopicCreation || !ctx.cluster.config.autoCreateTopics || isInternalTopic(name)) {
      return topicError(name, Errors.UNKNOWN_TOPIC_OR_PARTITION.code)
    }
    if (!mayCreateTopic(ctx, name)) return topicError(name, Errors.TOPIC_AUTHORIZATION_FAILED.code)
    // Creation goes through the controller; a broker cut off from it cannot create (clients retry).
    if (!ctx.cluster.canReachController(ctx.broker.id)) return topicError(name, Errors.LEADER_NOT_AVAILABLE.code)
    const result = ctx.cluster.autoCreateTopic(name)
    const created = cache.topic(name)
    if (result.errorCode !== 0 || created === undefined) return topicError(name, result.errorCode || Errors.LEADER_NOT_AVAILABLE.code)
    return describeTopic(created, live)
  })
  return {
    brokers: live.map((id) => ({ nodeId: id, ...brokerAddress(id), rack: null })),
    clusterId: ctx.cluster.clusterId,
    controllerId: cache.controllerId,
    topics,
  }
}

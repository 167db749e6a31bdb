/**
 * CreateTopics (API key 19), forwarded to the controller, which validates as Kafka does: topic
 * name, partitions >= 1, replication factor <= live brokers, known configs with valid values,
 * `min.insync.replicas` <= replication factor (a kafkalite check, see docs/semantics.md),
 * TOPIC_ALREADY_EXISTS. A name given twice in one request fails with INVALID_REQUEST.
 * `validateOnly` checks everything and changes nothing. Creation is instantaneous.
 * Authorization: CREATE on the cluster or the topic (TOPIC_AUTHORIZATION_FAILED).
 */
import { Errors, type CreateTopicsRequest, type CreateTopicsResponse } from '../../protocol/index.js'
import { mayCreateTopic } from './authorization.js'
import { atController, controllerTimedOut } from './controller-forwarding.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a CreateTopics request at a broker. */
export async function handleCreateTopics(ctx: HandlerContext, request: CreateTopicsRequest): Promise<CreateTopicsResponse> {
  const counts = new Map<string, number>()
  for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1)
  const results = await atController(ctx, request.timeoutMs, () =>
    request.topics.map((t) => {
      if (counts.get(t.name)! > 1) {
        return { name: t.name, errorCode: Errors.INVALID_REQUEST.code, errorMessage: `Create topics request from client contains a duplicate topic name: ${t.name}` }
      }
      if (!mayCreateTopic(ctx, t.name)) return { name: t.name, errorCode: Errors.TOPIC_AUTHORIZATION_FAILED.code, errorMessage: `Not authorized to CREATE topic ${t.name}` }
      return { name: t.name, ...ctx.cluster.controller.createTopic(t, request.validateOnly) }
    }),
  )
  return { topics: results ?? request.topics.map((t) => controllerTimedOut(t.name)) }
}

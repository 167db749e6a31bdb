/**
 * DeleteTopics (API key 20), forwarded to the controller: UNKNOWN_TOPIC_OR_PARTITION for a topic
 * that does not exist; internal topics cannot be deleted. Deletion is instantaneous: the
 * replicas are dropped and the group coordinator forgets the topic's committed offsets.
 */
import type { DeleteTopicsRequest, DeleteTopicsResponse } from '../../protocol/index.js'
import { atController, controllerTimedOut } from './controller-forwarding.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a DeleteTopics request at a broker. */
export async function handleDeleteTopics(ctx: HandlerContext, request: DeleteTopicsRequest): Promise<DeleteTopicsResponse> {
  const results = await atController(ctx, request.timeoutMs, () =>
    request.topicNames.map((name) => ({ name, ...ctx.cluster.controller.deleteTopic(name) })),
  )
  return { topics: results ?? request.topicNames.map(controllerTimedOut) }
}

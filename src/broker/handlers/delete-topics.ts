/**
 * DeleteTopics (API key 20), forwarded to the controller: UNKNOWN_TOPIC_OR_PARTITION for a topic
 * that does not exist; internal topics cannot be deleted. Deletion is instantaneous: the
 * replicas are dropped and the group coordinator forgets the topic's committed offsets.
 * Authorization: DELETE on the topic (TOPIC_AUTHORIZATION_FAILED).
 */
import { AclOperation, Errors, type DeleteTopicsRequest, type DeleteTopicsResponse } from '../../protocol/index.js'
import { allowedOnTopic } from './authorization.js'
import { atController, controllerTimedOut } from './controller-forwarding.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a DeleteTopics request at a broker. */
export async function handleDeleteTopics(ctx: HandlerContext, request: DeleteTopicsRequest): Promise<DeleteTopicsResponse> {
  const results = await atController(ctx, request.timeoutMs, () =>
    request.topicNames.map((name) =>
      allowedOnTopic(ctx, AclOperation.DELETE, name)
        ? { name, ...ctx.cluster.controller.deleteTopic(name) }
        : { name, errorCode: Errors.TOPIC_AUTHORIZATION_FAILED.code, errorMessage: `Not authorized to DELETE topic ${name}` },
    ),
  )
  return { topics: results ?? request.topicNames.map(controllerTimedOut) }
}

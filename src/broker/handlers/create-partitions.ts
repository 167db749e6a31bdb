/**
 * CreatePartitions (API key 37), forwarded to the controller: grows a topic to `count`
 * partitions (INVALID_PARTITIONS if that is not an increase), placing new replicas as topic
 * creation does, or as `assignments` says. `validateOnly` changes nothing. Existing keys may
 * map to other partitions afterwards, exactly as in Kafka.
 * Authorization: ALTER on the topic (TOPIC_AUTHORIZATION_FAILED).
 */
import { AclOperation, Errors, type CreatePartitionsRequest, type CreatePartitionsResponse } from '../../protocol/index.js'
import { allowedOnTopic } from './authorization.js'
import { atController, controllerTimedOut } from './controller-forwarding.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a CreatePartitions request at a broker. */
export async function handleCreatePartitions(ctx: HandlerContext, request: CreatePartitionsRequest): Promise<CreatePartitionsResponse> {
  const results = await atController(ctx, request.timeoutMs, () =>
    request.topics.map((t) =>
      allowedOnTopic(ctx, AclOperation.ALTER, t.name)
        ? { name: t.name, ...ctx.cluster.controller.createPartitions(t.name, t.count, t.assignments, request.validateOnly) }
        : { name: t.name, errorCode: Errors.TOPIC_AUTHORIZATION_FAILED.code, errorMessage: `Not authorized to ALTER topic ${t.name}` },
    ),
  )
  return { results: results ?? request.topics.map((t) => controllerTimedOut(t.name)) }
}

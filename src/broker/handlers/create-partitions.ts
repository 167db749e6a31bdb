/**
 * CreatePartitions (API key 37), forwarded to the controller: grows a topic to `count`
 * partitions (INVALID_PARTITIONS if that is not an increase), placing new replicas as topic
 * creation does, or as `assignments` says. `validateOnly` changes nothing. Existing keys may
 * map to other partitions afterwards, exactly as in Kafka.
 */
import type { CreatePartitionsRequest, CreatePartitionsResponse } from '../../protocol/index.js'
import { atController, controllerTimedOut } from './controller-forwarding.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a CreatePartitions request at a broker. */
export async function handleCreatePartitions(ctx: HandlerContext, request: CreatePartitionsRequest): Promise<CreatePartitionsResponse> {
  const results = await atController(ctx, request.timeoutMs, () =>
    request.topics.map((t) => ({ name: t.name, ...ctx.cluster.controller.createPartitions(t.name, t.count, t.assignments, request.validateOnly) })),
  )
  return { results: results ?? request.topics.map((t) => controllerTimedOut(t.name)) }
}

/**
 * AlterConfigs (API key 33, KIP-133), versions 0-2 in substance, forwarded to the controller
 * (KIP-590): each resource's dynamic configs become exactly the given set; configs not named
 * return to their defaults. Kafka deprecates it for IncrementalAlterConfigs, but KafkaJS 2.2.4
 * only sends this one.
 *
 * - TOPIC: known topic configs with valid values, else INVALID_CONFIG; UNKNOWN_TOPIC_OR_PARTITION.
 * - BROKER (an id, or '' for the cluster-wide default): the broker defaults of topic configs
 *   (`log.retention.ms`, `min.insync.replicas`, ...) and custom names; read-only configs answer
 *   INVALID_REQUEST "Cannot update these configs dynamically".
 * - Duplicate names or a null value: INVALID_REQUEST. `validateOnly` checks and changes nothing.
 *
 * Not modelled: BROKER_LOGGER resources (INVALID_REQUEST), create/alter config policies.
 */
import type { AlterConfigsRequest, AlterConfigsResponse } from '../../protocol/index.js'
import { resourcesAtController } from './config-resources.js'
import type { HandlerContext } from './handler-context.js'

/** Serves an AlterConfigs request at a broker. */
export async function handleAlterConfigs(ctx: HandlerContext, request: AlterConfigsRequest): Promise<AlterConfigsResponse> {
  return resourcesAtController(ctx, request.resources, (r) => ctx.cluster.configs.alter(r.resourceType, r.resourceName, r.configs, request.validateOnly))
}

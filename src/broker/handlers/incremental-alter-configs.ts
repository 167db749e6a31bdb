/**
 * IncrementalAlterConfigs (API key 44, KIP-339), versions 0-1 in substance, forwarded to the
 * controller (KIP-590): per resource, each config is SET, DELETEd (back to its default),
 * APPENDed to or SUBTRACTed from (list configs only, such as `cleanup.policy`; else
 * INVALID_CONFIG); other configs keep their values. Validation is AlterConfigs': a resource's
 * change is all-or-nothing, and `validateOnly` checks and changes nothing.
 *
 * Not modelled: BROKER_LOGGER resources (INVALID_REQUEST), alter config policies.
 */
import type { IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse } from '../../protocol/index.js'
import { resourcesAtController } from './config-resources.js'
import type { HandlerContext } from './handler-context.js'

/** Serves an IncrementalAlterConfigs request at a broker. */
export async function handleIncrementalAlterConfigs(ctx: HandlerContext, request: IncrementalAlterConfigsRequest): Promise<IncrementalAlterConfigsResponse> {
  return resourcesAtController(ctx, request.resources, (r) =>
    ctx.cluster.configs.incrementalAlter(r.resourceType, r.resourceName, r.configs, request.validateOnly),
  )
}

/** The shared shape of the config-altering APIs: one result per resource, decided at the controller. */
import { Errors, type AlterConfigsResourceResult } from '../../protocol/index.js'
import type { ControllerResult } from '../controller.js'
import { atController } from './controller-forwarding.js'
import type { HandlerContext } from './handler-context.js'

/** How long a broker cut off from the controller waits before answering REQUEST_TIMED_OUT (these APIs carry no timeout). */
const FORWARD_TIMEOUT_MS = 30000

/** Runs `alter` for each resource at the controller and answers per resource. */
export async function resourcesAtController<R extends { readonly resourceType: number; readonly resourceName: string }>(
  ctx: HandlerContext,
  resources: readonly R[],
  alter: (resource: R) => ControllerResult,
): Promise<{ resources: AlterConfigsResourceResult[] }> {
  const results = await atController(ctx, FORWARD_TIMEOUT_MS, () => resources.map((r) => ({ resourceType: r.resourceType, resourceName: r.resourceName, ...alter(r) })))
  return {
    resources:
      results ??
      resources.map((r) => ({ resourceType: r.resourceType, resourceName: r.resourceName, errorCode: Errors.REQUEST_TIMED_OUT.code, errorMessage: 'The controller could not be reached in time' })),
  }
}

/** The shared shape of the config-altering APIs: one result per resource, decided at the controller. */
import { AclOperation, ConfigResourceType, Errors, type AlterConfigsResourceResult } from '../../protocol/index.js'
import { allowedOnCluster, allowedOnTopic } from './authorization.js'
import type { ControllerResult } from '../controller.js'
import { atController } from './controller-forwarding.js'
import type { HandlerContext } from './handler-context.js'

/** How long a broker cut off from the controller waits before answering REQUEST_TIMED_OUT (these APIs carry no timeout). */
const FORWARD_TIMEOUT_MS = 30000

/** ALTER_CONFIGS on the topic, or on the cluster for a broker resource (KIP-11). */
function mayAlter(ctx: HandlerContext, resourceType: number, resourceName: string): boolean {
  return resourceType === ConfigResourceType.TOPIC ? allowedOnTopic(ctx, AclOperation.ALTER_CONFIGS, resourceName) : allowedOnCluster(ctx, AclOperation.ALTER_CONFIGS)
}

function denied(resourceType: number): { errorCode: number; errorMessage: string } {
  return resourceType === ConfigResourceType.TOPIC
    ? { errorCode: Errors.TOPIC_AUTHORIZATION_FAILED.code, errorMessage: 'Not authorized to ALTER_CONFIGS this topic' }
    : { errorCode: Errors.CLUSTER_AUTHORIZATION_FAILED.code, errorMessage: 'Not authorized to ALTER_CONFIGS the cluster' }
}

/** Runs `alter` for each resource at the controller (if the sender may alter its configs) and answers per resource. */
export async function resourcesAtController<R extends { readonly resourceType: number; readonly resourceName: string }>(
  ctx: HandlerContext,
  resources: readonly R[],
  alter: (resource: R) => ControllerResult,
): Promise<{ resources: AlterConfigsResourceResult[] }> {
  const results = await atController(ctx, FORWARD_TIMEOUT_MS, () => resources.map((r) => ({ resourceType: r.resourceType, resourceName: r.resourceName, ...(mayAlter(ctx, r.resourceType, r.resourceName) ? alter(r) : denied(r.resourceType)) })))
  return {
    resources:
      results ??
      resources.map((r) => ({ resourceType: r.resourceType, resourceName: r.resourceName, errorCode: Errors.REQUEST_TIMED_OUT.code, errorMessage: 'The controller could not be reached in time' })),
  }
}

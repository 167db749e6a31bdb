/**
 * Routing of transaction APIs with a transactional id: only its coordinator (the leader of its
 * `__transaction_state` partition) serves them; elsewhere NOT_COORDINATOR, or
 * COORDINATOR_NOT_AVAILABLE while that partition has no leader, and the producer looks again.
 */
import { Errors } from '../../protocol/index.js'
import type { HandlerContext } from '../handlers/handler-context.js'

/** The error code for a request about `transactionalId` at this broker: 0 if it coordinates it. */
export function transactionRoutingError(ctx: HandlerContext, transactionalId: string): number {
  const found = ctx.cluster.currentCoordinator(1, transactionalId)
  if (found.errorCode !== 0) return found.errorCode
  return found.nodeId === ctx.broker.id ? 0 : Errors.NOT_COORDINATOR.code
}

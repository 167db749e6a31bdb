/**
 * Routing of transaction APIs with a transactional id: only its coordinator (the leader of its
 * `__transaction_state` partition) serves them; elsewhere NOT_COORDINATOR, or
 * COORDINATOR_NOT_AVAILABLE while that partition has no leader, and the producer looks again.
 */
import { AclOperation, AclResourceType, Errors } from '../../protocol/index.js'
import { allowed } from '../handlers/authorization.js'
import type { HandlerContext } from '../handlers/handler-context.js'

/**
 * The error code for a request about `transactionalId` at this broker: 0 if the sender may WRITE
 * the transactional id (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED, checked first) and this
 * broker coordinates it.
 */
export function transactionRoutingError(ctx: HandlerContext, transactionalId: string): number {
  if (!allowed(ctx, AclOperation.WRITE, AclResourceType.TRANSACTIONAL_ID, transactionalId)) return Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code
  const found = ctx.cluster.currentCoordinator(1, transactionalId)
  if (found.errorCode !== 0) return found.errorCode
  return found.nodeId === ctx.broker.id ? 0 : Errors.NOT_COORDINATOR.code
}

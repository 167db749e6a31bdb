/**
 * Routing of coordinator APIs: only the coordinator of a group (the leader of its
 * `__consumer_offsets` partition) or of a transactional id (the leader of its `__transaction_state`
 * partition) serves a request about it. Elsewhere the answer is NOT_COORDINATOR, or
 * COORDINATOR_NOT_AVAILABLE while that partition has no leader, and the client looks the
 * coordinator up again. Which partition and which broker: `broker/coordinator-placement.ts`.
 *
 * The group and transaction states themselves live in one coordinator object per cluster: they
 * model state that Kafka persists in those replicated topics, so it survives broker crashes and
 * moves with the partition's leadership (a docs/semantics.md row).
 */
import { AclOperation, AclResourceType, Errors } from '../../protocol/index.js'
import { CoordinatorKey, type CoordinatorKeyType } from '../coordinator-placement.js'
import { allowed } from './authorization.js'
import type { HandlerContext } from './handler-context.js'

function routingError(ctx: HandlerContext, keyType: CoordinatorKeyType, key: string): number {
  const found = ctx.cluster.currentCoordinator(keyType, key)
  if (found.errorCode !== 0) return found.errorCode
  return found.nodeId === ctx.broker.id ? 0 : Errors.NOT_COORDINATOR.code
}

/**
 * The error code for a group request at this broker: 0 if the sender may do `operation` on the
 * group (else GROUP_AUTHORIZATION_FAILED, checked first as in KafkaApis) and this broker
 * coordinates `groupId`. Kafka's table: READ to join, sync, heartbeat, leave and commit; DESCRIBE
 * to describe, list and fetch offsets; DELETE to delete.
 */
export function groupRoutingError(ctx: HandlerContext, groupId: string, operation: number = AclOperation.READ): number {
  if (!allowed(ctx, operation, AclResourceType.GROUP, groupId)) return Errors.GROUP_AUTHORIZATION_FAILED.code
  return routingError(ctx, CoordinatorKey.GROUP, groupId)
}

/**
 * The error code for a request about `transactionalId` at this broker: 0 if the sender may WRITE
 * the transactional id (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED, checked first) and this
 * broker coordinates it.
 */
export function transactionRoutingError(ctx: HandlerContext, transactionalId: string): number {
  if (!allowed(ctx, AclOperation.WRITE, AclResourceType.TRANSACTIONAL_ID, transactionalId)) return Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code
  return routingError(ctx, CoordinatorKey.TRANSACTION, transactionalId)
}

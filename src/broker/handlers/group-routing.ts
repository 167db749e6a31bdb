/**
 * Routing of group APIs: only the group's coordinator (the leader of its `__consumer_offsets`
 * partition) serves them. Elsewhere the answer is NOT_COORDINATOR, or COORDINATOR_NOT_AVAILABLE
 * while that partition has no leader, and the client looks the coordinator up again.
 *
 * The group state itself lives in one GroupCoordinator per cluster: it models state that Kafka
 * persists in the replicated `__consumer_offsets` topic, so it survives broker crashes and
 * moves with the partition's leadership (a docs/semantics.md row).
 */
import { AclOperation, AclResourceType, Errors } from '../../protocol/index.js'
import { allowed } from './authorization.js'
import type { HandlerContext } from './handler-context.js'

/**
 * The error code for a group request at this broker: 0 if the sender may do `operation` on the
 * group (else GROUP_AUTHORIZATION_FAILED, checked first as in KafkaApis) and this broker
 * coordinates `groupId`. Kafka's table: READ to join, sync, heartbeat, leave and commit; DESCRIBE
 * to describe, list and fetch offsets; DELETE to delete.
 */
export function groupRoutingError(ctx: HandlerContext, groupId: string, operation: number = AclOperation.READ): number {
  if (!allowed(ctx, operation, AclResourceType.GROUP, groupId)) return Errors.GROUP_AUTHORIZATION_FAILED.code
  const found = ctx.cluster.currentCoordinator(0, groupId)
  if (found.errorCode !== 0) return found.errorCode
  return found.nodeId === ctx.broker.id ? 0 : Errors.NOT_COORDINATOR.code
}

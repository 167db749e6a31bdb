/**
 * FindCoordinator (API key 10): the broker that coordinates a group (keyType 0) or a
 * transactional id (keyType 1) is the leader of partition `abs(key.hashCode) % N` of
 * `__consumer_offsets` (or `__transaction_state`). The internal topic is created on first use,
 * with replication factor min(3, brokers); COORDINATOR_NOT_AVAILABLE while that partition has no
 * leader or too few brokers are live to create it.
 *
 * Authorization (with an authorizer): DESCRIBE on the group (GROUP_AUTHORIZATION_FAILED) or on
 * the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
 *
 * Not modelled: batched lookups (v4 `coordinatorKeys`); the request carries one key.
 */
import { AclOperation, AclResourceType, Errors, type FindCoordinatorRequest, type FindCoordinatorResponse } from '../../protocol/index.js'
import { allowed } from './authorization.js'
import { brokerAddress, type HandlerContext } from './handler-context.js'

/** Serves a FindCoordinator request at a broker. */
export function handleFindCoordinator(ctx: HandlerContext, request: FindCoordinatorRequest): FindCoordinatorResponse {
  if (request.keyType !== 0 && request.keyType !== 1) {
    return { errorCode: Errors.INVALID_REQUEST.code, errorMessage: `Unknown coordinator key type ${String(request.keyType)}`, nodeId: -1, host: '', port: -1 }
  }
  if (request.keyType === 0 && request.key === '') {
    return { errorCode: Errors.INVALID_GROUP_ID.code, errorMessage: 'The group id must not be empty', nodeId: -1, host: '', port: -1 }
  }
  const [resourceType, denied] =
    request.keyType === 0 ? [AclResourceType.GROUP, Errors.GROUP_AUTHORIZATION_FAILED] : [AclResourceType.TRANSACTIONAL_ID, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED]
  if (!allowed(ctx, AclOperation.DESCRIBE, resourceType, request.key)) {
    return { errorCode: denied.code, errorMessage: `Not authorized to DESCRIBE ${request.key}`, nodeId: -1, host: '', port: -1 }
  }
  const found = ctx.cluster.findCoordinator(request.keyType, request.key)
  if (found.errorCode !== 0) return { errorCode: found.errorCode, errorMessage: found.errorMessage, nodeId: -1, host: '', port: -1 }
  return { errorCode: 0, errorMessage: null, nodeId: found.nodeId, ...brokerAddress(found.nodeId) }
}

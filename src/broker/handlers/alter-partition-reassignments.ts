/**
 * AlterPartitionReassignments (API key 45, KIP-455), forwarded to the controller: per partition,
 * start a move to the given replicas (new ones are added, catch up and join the ISR, then the
 * old ones leave) or, with null replicas, cancel the move in progress
 * (NO_REASSIGNMENT_IN_PROGRESS if none). Errors: UNKNOWN_TOPIC_OR_PARTITION,
 * INVALID_REPLICA_ASSIGNMENT (empty, duplicate or unknown brokers); with an authorizer ALTER on
 * the cluster (CLUSTER_AUTHORIZATION_FAILED for the whole request).
 *
 * Not modelled: replication throttles (`*.replication.throttled.*`).
 */
import { AclOperation, Errors, type AlterPartitionReassignmentsRequest, type AlterPartitionReassignmentsResponse } from '../../protocol/index.js'
import { allowedOnCluster } from './authorization.js'
import { atController } from './controller-forwarding.js'
import type { HandlerContext } from './handler-context.js'

/** Serves an AlterPartitionReassignments request at a broker. */
export async function handleAlterPartitionReassignments(ctx: HandlerContext, request: AlterPartitionReassignmentsRequest): Promise<AlterPartitionReassignmentsResponse> {
  if (!allowedOnCluster(ctx, AclOperation.ALTER)) {
    return { errorCode: Errors.CLUSTER_AUTHORIZATION_FAILED.code, errorMessage: 'Reassigning partitions needs ALTER on the cluster', responses: [] }
  }
  const responses = await atController(ctx, request.timeoutMs, () =>
    request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, ...ctx.cluster.controller.reassign(t.name, p.partitionIndex, p.replicas) })),
    })),
  )
  if (responses === null) return { errorCode: Errors.REQUEST_TIMED_OUT.code, errorMessage: 'The controller could not be reached in time', responses: [] }
  return { errorCode: 0, errorMessage: null, responses }
}

/**
 * ListPartitionReassignments (API key 46, KIP-455): the moves in progress, each with its current
 * replica set and the replicas being added and removed; all of them, or those of the named
 * partitions. With an authorizer: DESCRIBE on the cluster (CLUSTER_AUTHORIZATION_FAILED).
 */
import { AclOperation, Errors, type ListPartitionReassignmentsRequest, type ListPartitionReassignmentsResponse } from '../../protocol/index.js'
import { allowedOnCluster } from './authorization.js'
import type { HandlerContext } from './handler-context.js'

type Topic = ListPartitionReassignmentsResponse['topics'][number]

/** Serves a ListPartitionReassignments request at a broker. */
export function handleListPartitionReassignments(ctx: HandlerContext, request: ListPartitionReassignmentsRequest): ListPartitionReassignmentsResponse {
  if (!allowedOnCluster(ctx, AclOperation.DESCRIBE)) {
    return { errorCode: Errors.CLUSTER_AUTHORIZATION_FAILED.code, errorMessage: 'Listing reassignments needs DESCRIBE on the cluster', topics: [] }
  }
  const wanted = (topic: string, partition: number): boolean =>
    request.topics === null || request.topics.some((t) => t.name === topic && t.partitionIndexes.includes(partition))
  const byTopic = new Map<string, Topic['partitions'][number][]>()
  for (const move of ctx.cluster.controller.reassignments().values()) {
    if (!wanted(move.topic, move.partition)) continue
    const list = byTopic.get(move.topic) ?? []
    list.push({ partitionIndex: move.partition, replicas: move.replicas, addingReplicas: move.adding, removingReplicas: move.removing })
    byTopic.set(move.topic, list)
  }
  return { errorCode: 0, errorMessage: null, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) }
}

/**
 * ElectLeaders (API key 43, KIP-460), forwarded to the controller: PREFERRED moves leadership
 * back to each partition's first replica if it is live and in sync (PREFERRED_LEADER_NOT_AVAILABLE
 * otherwise, ELECTION_NOT_NEEDED if it leads already); UNCLEAN elects a leader for a leaderless
 * partition, from the ISR if any member is live, else any live replica
 * (ELIGIBLE_LEADERS_NOT_AVAILABLE if none). Null partitions mean every partition (those that need
 * no election are left out of the answer). With an authorizer: ALTER on the cluster.
 */
import { AclOperation, Errors, type ElectLeadersRequest, type ElectLeadersResponse } from '../../protocol/index.js'
import { allowedOnCluster } from './authorization.js'
import { atController } from './controller-forwarding.js'
import type { HandlerContext } from './handler-context.js'

/** Serves an ElectLeaders request at a broker. */
export async function handleElectLeaders(ctx: HandlerContext, request: ElectLeadersRequest): Promise<ElectLeadersResponse> {
  if (!allowedOnCluster(ctx, AclOperation.ALTER)) return { errorCode: Errors.CLUSTER_AUTHORIZATION_FAILED.code, replicaElectionResults: [] }
  const controller = ctx.cluster.controller
  const all = request.topicPartitions === null
  const targets = request.topicPartitions ?? [...controller.topics.values()].map((t) => ({ topic: t.name, partitions: t.partitions.map((p) => p.partition) }))
  const results = await atController(ctx, request.timeoutMs, () =>
    targets
      .map((t) => ({
        topic: t.topic,
        partitionResult: t.partitions
          .map((partition) => ({ partitionId: partition, ...controller.electLeader(t.topic, partition, request.electionType) }))
          .filter((r) => !all || r.errorCode !== Errors.ELECTION_NOT_NEEDED.code),
      }))
      .filter((t) => t.partitionResult.length > 0),
  )
  if (results === null) return { errorCode: Errors.REQUEST_TIMED_OUT.code, replicaElectionResults: [] }
  return { errorCode: 0, replicaElectionResults: results }
}

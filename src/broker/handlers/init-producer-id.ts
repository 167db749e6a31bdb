/**
 * InitProducerId (API key 22, KIP-98). Without a transactional id any broker answers with a new
 * producer id (idempotence); with one, only its transaction coordinator, which bumps the epoch
 * and fences older producers of that id. Served by the cluster's TransactionCoordinator.
 *
 * KIP-360 (v3+): a transactional producer that names its producer id and epoch gets that epoch
 * bumped (or a new id once exhausted), PRODUCER_FENCED if a newer producer took over. Without a
 * transactional id the fields are ignored and a new id is handed out, as Kafka does (an
 * idempotent producer bumps its epoch itself).
 *
 * Authorization: WRITE on the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED); without
 * one, IDEMPOTENT_WRITE on the cluster or WRITE on any topic (KIP-679), else CLUSTER_AUTHORIZATION_FAILED.
 */
import { AclOperation, Errors, type InitProducerIdRequest, type InitProducerIdResponse } from '../../protocol/index.js'
import { allowedOnCluster, allowedOnTopic } from './authorization.js'
import { transactionRoutingError } from './coordinator-routing.js'
import type { HandlerContext } from './handler-context.js'

/** Serves an InitProducerId request at a broker. */
export function handleInitProducerId(ctx: HandlerContext, request: InitProducerIdRequest): InitProducerIdResponse {
  if (request.transactionalId !== null) {
    const errorCode = transactionRoutingError(ctx, request.transactionalId)
    if (errorCode !== 0) return { errorCode, producerId: -1, producerEpoch: -1 }
  } else if (!allowedOnCluster(ctx, AclOperation.IDEMPOTENT_WRITE) && ![...ctx.broker.metadata.topics.keys()].some((t) => allowedOnTopic(ctx, AclOperation.WRITE, t))) {
    return { errorCode: Errors.CLUSTER_AUTHORIZATION_FAILED.code, producerId: -1, producerEpoch: -1 }
  }
  return ctx.cluster.transactionCoordinator.initProducerId(request)
}

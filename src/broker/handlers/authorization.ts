/**
 * The authorization check every handler makes (Kafka's `AuthHelper.authorize`): brokers
 * (inter-broker requests) are always allowed; a client is checked as its principal, or
 * `User:ANONYMOUS`, from the loopback host. Without an authorizer everything is allowed.
 * Which operation each API needs follows Kafka's "Authorization and ACLs" table (KIP-11).
 */
import { AclOperation, AclResourceType } from '../../protocol/index.js'
import { CLUSTER_RESOURCE_NAME } from '../acl/acl-store.js'
import { ANONYMOUS } from '../acl/authorizer.js'
import type { HandlerContext } from './handler-context.js'

/** The host an in-process client connects from. */
const CLIENT_HOST = '127.0.0.1'

/** Whether the request's sender may do `operation` on the resource. */
export function allowed(ctx: HandlerContext, operation: number, resourceType: number, name: string): boolean {
  const authorizer = ctx.cluster.authorizer
  if (authorizer === null || ctx.from.kind === 'broker') return true
  return authorizer.authorize(ctx.from.principal ?? ANONYMOUS, CLIENT_HOST, operation, resourceType, name)
}

/** Whether the sender may do `operation` on the cluster. */
export function allowedOnCluster(ctx: HandlerContext, operation: number): boolean {
  return allowed(ctx, operation, AclResourceType.CLUSTER, CLUSTER_RESOURCE_NAME)
}

/** Whether the sender may do `operation` on the topic. */
export function allowedOnTopic(ctx: HandlerContext, operation: number, topic: string): boolean {
  return allowed(ctx, operation, AclResourceType.TOPIC, topic)
}

/** CreateTopics and auto-creation: CREATE on the cluster, or on the topic. */
export function mayCreateTopic(ctx: HandlerContext, topic: string): boolean {
  return allowedOnCluster(ctx, AclOperation.CREATE) || allowedOnTopic(ctx, AclOperation.CREATE, topic)
}

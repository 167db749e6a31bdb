/**
 * CreateAcls (API key 30), versions 0-3 in substance. Needs ALTER on the cluster
 * (CLUSTER_AUTHORIZATION_FAILED). Each ACL must be concrete: a resource type, LITERAL or
 * PREFIXED, an operation, ALLOW or DENY, a `Type:name` principal, and `kafka-cluster` as the name
 * of the CLUSTER resource (else INVALID_REQUEST). Without an authorizer: SECURITY_DISABLED.
 */
import { AclOperation, type CreateAclsRequest, type CreateAclsResponse } from '../../protocol/index.js'
import { aclsUnavailable } from './acl-availability.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a CreateAcls request at a broker. */
export function handleCreateAcls(ctx: HandlerContext, request: CreateAclsRequest): CreateAclsResponse {
  const unavailable = aclsUnavailable(ctx, AclOperation.ALTER)
  if (unavailable !== null) return { results: request.creations.map(() => unavailable) }
  return { results: request.creations.map((acl) => ctx.cluster.acls.create(acl)) }
}


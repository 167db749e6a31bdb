/**
 * DeleteAcls (API key 31), versions 0-3 in substance: deletes the ACLs matching each filter and
 * returns them. Needs ALTER on the cluster (CLUSTER_AUTHORIZATION_FAILED); an UNKNOWN in a
 * filter answers INVALID_REQUEST for that filter; without an authorizer SECURITY_DISABLED.
 */
import { AclOperation, Errors, type DeleteAclsRequest, type DeleteAclsResponse } from '../../protocol/index.js'
import { filterProblem } from '../acl/acl-store.js'
import { aclsUnavailable } from './acl-availability.js'
import type { HandlerContext } from './handler-context.js'

/** Serves a DeleteAcls request at a broker. */
export function handleDeleteAcls(ctx: HandlerContext, request: DeleteAclsRequest): DeleteAclsResponse {
  const unavailable = aclsUnavailable(ctx, AclOperation.ALTER)
  if (unavailable !== null) return { filterResults: request.filters.map(() => ({ ...unavailable, matchingAcls: [] })) }
  return {
    filterResults: request.filters.map((filter) => {
      const problem = filterProblem(filter)
      if (problem !== null) return { errorCode: Errors.INVALID_REQUEST.code, errorMessage: problem, matchingAcls: [] }
      const deleted = ctx.cluster.acls.delete(filter)
      return { errorCode: 0, errorMessage: null, matchingAcls: deleted.map((acl) => ({ ...acl, errorCode: 0, errorMessage: null })) }
    }),
  }
}

/** What the ACL APIs answer before looking at ACLs: SECURITY_DISABLED without an authorizer, else the cluster permission they need. */
import { Errors } from '../../protocol/index.js'
import { allowedOnCluster } from './authorization.js'
import type { HandlerContext } from './handler-context.js'

/** The error for an ACL request that cannot be served, or null (DescribeAcls needs DESCRIBE, the others ALTER, on the cluster). */
export function aclsUnavailable(ctx: HandlerContext, operation: number): { errorCode: number; errorMessage: string } | null {
  if (ctx.cluster.authorizer === null) {
    return { errorCode: Errors.SECURITY_DISABLED.code, errorMessage: 'No Authorizer is configured on the broker: create the cluster with the authorizer option' }
  }
  if (!allowedOnCluster(ctx, operation)) {
    return { errorCode: Errors.CLUSTER_AUTHORIZATION_FAILED.code, errorMessage: 'Cluster authorization failed: managing ACLs needs ALTER (DESCRIBE to read them) on the cluster' }
  }
  return null
}

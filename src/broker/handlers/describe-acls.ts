/**
 * DescribeAcls (API key 29), versions 0-3 in substance: the ACLs matching a filter, grouped by
 * resource pattern. Needs DESCRIBE on the cluster (CLUSTER_AUTHORIZATION_FAILED); an UNKNOWN in
 * the filter answers INVALID_REQUEST; without an authorizer SECURITY_DISABLED.
 */
import { AclOperation, Errors, type DescribeAclsRequest, type DescribeAclsResponse } from '../../protocol/index.js'
import { filterProblem } from '../acl/acl-store.js'
import { aclsUnavailable } from './acl-availability.js'
import type { HandlerContext } from './handler-context.js'

type Resource = DescribeAclsResponse['resources'][number]

/** Serves a DescribeAcls request at a broker. */
export function handleDescribeAcls(ctx: HandlerContext, request: DescribeAclsRequest): DescribeAclsResponse {
  const unavailable = aclsUnavailable(ctx, AclOperation.DESCRIBE)
  if (unavailable !== null) return { ...unavailable, resources: [] }
  const problem = filterProblem(request)
  if (problem !== null) return { errorCode: Errors.INVALID_REQUEST.code, errorMessage: problem, resources: [] }
  const byResource = new Map<string, Resource & { acls: Resource['acls'][number][] }>()
  for (const acl of ctx.cluster.acls.describe(request)) {
    const key = JSON.stringify([acl.resourceType, acl.resourceName, acl.patternType])
    let resource = byResource.get(key)
    if (resource === undefined) {
      resource = { resourceType: acl.resourceType, resourceName: acl.resourceName, patternType: acl.patternType, acls: [] }
      byResource.set(key, resource)
    }
    resource.acls.push({ principal: acl.principal, host: acl.host, operation: acl.operation, permissionType: acl.permissionType })
  }
  return { errorCode: 0, errorMessage: null, resources: [...byResource.values()] }
}

/**
 * The cluster's ACLs (Kafka's `AclControlManager`, KIP-11 and KIP-290): bindings created and
 * deleted by the ACL APIs, validated as Kafka validates them, and matched against filters.
 */
import { AclOperation, AclPermission, AclResourceType, Errors, PatternType, type AclBinding, type AclBindingFilter } from '../../protocol/index.js'

/** Kafka's name of the one CLUSTER resource. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster'

/** The wildcard resource name of a LITERAL pattern and the wildcard principal and host. */
export const WILDCARD = '*'

/** Why a new ACL is invalid (Kafka answers INVALID_REQUEST), or null. */
export function aclProblem(acl: AclBinding): string | null {
  if (acl.resourceType === AclResourceType.ANY || acl.resourceType === AclResourceType.UNKNOWN) return `Invalid resourceType ${acl.resourceType}: an ACL needs a concrete resource type`
  if (acl.patternType !== PatternType.LITERAL && acl.patternType !== PatternType.PREFIXED) return `Invalid patternType ${acl.patternType}: an ACL is LITERAL (3) or PREFIXED (4)`
  if (acl.operation === AclOperation.ANY || acl.operation === AclOperation.UNKNOWN) return `Invalid operation ${acl.operation}: an ACL needs a concrete operation (or ALL)`
  if (acl.permissionType !== AclPermission.ALLOW && acl.permissionType !== AclPermission.DENY) return `Invalid permissionType ${acl.permissionType}: an ACL is ALLOW (3) or DENY (2)`
  if (acl.resourceName === '') return 'Resource name should not be empty'
  if (!/^[^:]+:.*$/.test(acl.principal)) return `Could not parse principal from \`${acl.principal}\` (no colon is present separating the principal type from name)`
  if (acl.resourceType === AclResourceType.CLUSTER && acl.resourceName !== CLUSTER_RESOURCE_NAME) {
    return `The only valid name for the CLUSTER resource is ${CLUSTER_RESOURCE_NAME}`
  }
  return null
}

/** Why a filter is invalid (INVALID_REQUEST), or null: UNKNOWN values match nothing and are refused. */
export function filterProblem(filter: AclBindingFilter): string | null {
  if (filter.resourceType === AclResourceType.UNKNOWN) return 'Invalid resourceType UNKNOWN in an ACL filter'
  if (filter.patternType === PatternType.UNKNOWN) return 'Invalid patternType UNKNOWN in an ACL filter'
  if (filter.operation === AclOperation.UNKNOWN) return 'Invalid operation UNKNOWN in an ACL filter'
  if (filter.permissionType === AclPermission.UNKNOWN) return 'Invalid permissionType UNKNOWN in an ACL filter'
  return null
}

/** Whether a LITERAL or PREFIXED pattern applies to the resource `name`. */
export function patternApplies(patternType: number, patternName: string, name: string): boolean {
  if (patternType === PatternType.PREFIXED) return name.startsWith(patternName)
  return patternName === name || patternName === WILDCARD
}

/** Whether `acl` matches `filter` (Kafka's `AclBindingFilter.matches`). */
export function filterMatches(filter: AclBindingFilter, acl: AclBinding): boolean {
  if (filter.resourceType !== AclResourceType.ANY && filter.resourceType !== acl.resourceType) return false
  if (filter.patternType === PatternType.MATCH) {
    // MATCH: every pattern that applies to the named resource (KIP-290).
    if (filter.resourceName !== null && !patternApplies(acl.patternType, acl.resourceName, filter.resourceName)) return false
  } else {
    if (filter.patternType !== PatternType.ANY && filter.patternType !== acl.patternType) return false
    if (filter.resourceName !== null && filter.resourceName !== acl.resourceName) return false
  }
  if (filter.principal !== null && filter.principal !== acl.principal) return false
  if (filter.host !== null && filter.host !== acl.host) return false
  if (filter.operation !== AclOperation.ANY && filter.operation !== acl.operation) return false
  return filter.permissionType === AclPermission.ANY || filter.permissionType === acl.permissionType
}

function key(acl: AclBinding): string {
  return JSON.stringify([acl.resourceType, acl.resourceName, acl.patternType, acl.principal, acl.host, acl.operation, acl.permissionType])
}

export class AclStore {
  private readonly bindings = new Map<string, AclBinding>()

  /** Every ACL, in creation order. */
  all(): AclBinding[] {
    return [...this.bindings.values()]
  }

  /** CreateAcls for one ACL: an existing identical ACL is not an error (Kafka). */
  create(acl: AclBinding): { errorCode: number; errorMessage: string | null } {
    const problem = aclProblem(acl)
    if (problem !== null) return { errorCode: Errors.INVALID_REQUEST.code, errorMessage: problem }
    const binding: AclBinding = {
      resourceType: acl.resourceType,
      resourceName: acl.resourceName,
      patternType: acl.patternType,
      principal: acl.principal,
      host: acl.host,
      operation: acl.operation,
      permissionType: acl.permissionType,
    }
    this.bindings.set(key(binding), binding)
    return { errorCode: 0, errorMessage: null }
  }

  /** The ACLs that match `filter`. */
  describe(filter: AclBindingFilter): AclBinding[] {
    return this.all().filter((acl) => filterMatches(filter, acl))
  }

  /** Deletes and returns the ACLs that match `filter`. */
  delete(filter: AclBindingFilter): AclBinding[] {
    const matched = this.describe(filter)
    for (const acl of matched) this.bindings.delete(key(acl))
    return matched
  }
}

/**
 * Kafka's `StandardAuthorizer` (KIP-11): may a principal do an operation on a resource?
 * Super users may do anything; a DENY that applies wins over any ALLOW; an ALLOW of READ, WRITE,
 * DELETE or ALTER implies DESCRIBE, and of ALTER_CONFIGS implies DESCRIBE_CONFIGS; ALL matches
 * every operation; `User:*` every principal, host `*` every host. With no ACL on the resource at
 * all, `allow.everyone.if.no.acl.found` decides (default false: deny).
 */
import { AclOperation, AclPermission } from '../../protocol/index.js'
import { patternApplies, WILDCARD, type AclStore } from './acl-store.js'

/** The `authorizer` option of a cluster: turns authorization on. */
export interface AuthorizerOptions {
  /** `super.users`: principals allowed everything, e.g. `['User:admin']`. */
  superUsers?: string[]
  /** `allow.everyone.if.no.acl.found` (default false). */
  allowEveryoneIfNoAclFound?: boolean
}

/** The principal of a client that did not authenticate (Kafka's PLAINTEXT listener). */
export const ANONYMOUS = 'User:ANONYMOUS'

const IMPLIES_DESCRIBE: readonly number[] = [AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER]

export class Authorizer {
  private readonly superUsers: ReadonlySet<string>
  private readonly allowIfNoAcl: boolean

  constructor(
    private readonly acls: AclStore,
    options: AuthorizerOptions,
  ) {
    this.superUsers = new Set(options.superUsers ?? [])
    this.allowIfNoAcl = options.allowEveryoneIfNoAclFound ?? false
  }

  /** Whether `principal` (from `host`) may do `operation` on the resource `resourceType`/`name`. */
  authorize(principal: string, host: string, operation: number, resourceType: number, name: string): boolean {
    if (this.superUsers.has(principal)) return true
    const applicable = this.acls.all().filter((acl) => acl.resourceType === resourceType && patternApplies(acl.patternType, acl.resourceName, name))
    if (applicable.length === 0) return this.allowIfNoAcl
    const mine = applicable.filter((acl) => (acl.principal === principal || acl.principal === 'User:*') && (acl.host === host || acl.host === WILDCARD))
    const covers = (acl: { operation: number }, allow: boolean): boolean =>
      acl.operation === operation ||
      acl.operation === AclOperation.ALL ||
      (allow && operation === AclOperation.DESCRIBE && IMPLIES_DESCRIBE.includes(acl.operation)) ||
      (allow && operation === AclOperation.DESCRIBE_CONFIGS && acl.operation === AclOperation.ALTER_CONFIGS)
    if (mine.some((acl) => acl.permissionType === AclPermission.DENY && covers(acl, false))) return false
    return mine.some((acl) => acl.permissionType === AclPermission.ALLOW && covers(acl, true))
  }
}

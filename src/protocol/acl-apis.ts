/** Requests and responses for ACLs (KIP-11, KIP-290 pattern types) and Kafka's ACL enums. */

/** Kafka's `ResourceType` codes. */
export const AclResourceType = { UNKNOWN: 0, ANY: 1, TOPIC: 2, GROUP: 3, CLUSTER: 4, TRANSACTIONAL_ID: 5, DELEGATION_TOKEN: 6 } as const

/** Kafka's `AclOperation` codes. ALL matches every operation in an ACL; ANY only in a filter. */
export const AclOperation = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
} as const

/** Kafka's `AclPermissionType` codes. */
export const AclPermission = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const

/** Kafka's `PatternType` codes (KIP-290). MATCH and ANY only in filters. */
export const PatternType = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const

/** An ACL: who (`principal`, `host`) may or may not (`permissionType`) do what (`operation`) to which resources. */
export interface AclBinding {
  readonly resourceType: number
  readonly resourceName: string
  readonly patternType: number
  /** `User:alice`, or `User:*` for everyone. */
  readonly principal: string
  /** A host, or `*`. */
  readonly host: string
  readonly operation: number
  readonly permissionType: number
}

/** A filter over ACLs: null fields and ANY match everything; MATCH matches the patterns that apply to a name. */
export interface AclBindingFilter {
  readonly resourceType: number
  readonly resourceName: string | null
  readonly patternType: number
  readonly principal: string | null
  readonly host: string | null
  readonly operation: number
  readonly permissionType: number
}

/** CreateAcls (API key 30). */
export interface CreateAclsRequest {
  readonly creations: readonly AclBinding[]
}

export interface CreateAclsResponse {
  readonly results: ReadonlyArray<{ readonly errorCode: number; readonly errorMessage: string | null }>
}

/** DescribeAcls (API key 29). */
export type DescribeAclsRequest = AclBindingFilter

export interface DescribeAclsResponse {
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly resources: ReadonlyArray<{
    readonly resourceType: number
    readonly resourceName: string
    readonly patternType: number
    readonly acls: ReadonlyArray<{ readonly principal: string; readonly host: string; readonly operation: number; readonly permissionType: number }>
  }>
}

/** DeleteAcls (API key 31). */
export interface DeleteAclsRequest {
  readonly filters: readonly AclBindingFilter[]
}

export interface DeleteAclsResponse {
  readonly filterResults: ReadonlyArray<{
    readonly errorCode: number
    readonly errorMessage: string | null
    readonly matchingAcls: ReadonlyArray<AclBinding & { readonly errorCode: number; readonly errorMessage: string | null }>
  }>
}

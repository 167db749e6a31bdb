/**
 * The ACL filter fields DescribeAcls and DeleteAcls share, in wire names. PatternTypeFilter came in
 * v1 (KIP-290); a v0 filter reads as LITERAL, Kafka's default for it.
 */
import type { AclBindingFilter } from '../../protocol/index.js'
import { PatternType } from '../../protocol/index.js'
import { field, type Field } from '../schema.js'

/** A filter as the schemas declare it. */
export const aclFilterFields: readonly Field[] = [
  field('resourceTypeFilter', 'int8', '0+'),
  field('resourceNameFilter', 'string', '0+', { nullable: '0+' }),
  field('patternTypeFilter', 'int8', '1+', { default: PatternType.LITERAL }),
  field('principalFilter', 'string', '0+', { nullable: '0+' }),
  field('hostFilter', 'string', '0+', { nullable: '0+' }),
  field('operation', 'int8', '0+'),
  field('permissionType', 'int8', '0+'),
]

/** A decoded filter. */
export interface WireAclFilter {
  resourceTypeFilter: number
  resourceNameFilter: string | null
  patternTypeFilter: number
  principalFilter: string | null
  hostFilter: string | null
  operation: number
  permissionType: number
}

/** A decoded filter as the protocol's {@link AclBindingFilter}. */
export function aclFilterFromWire(f: WireAclFilter): AclBindingFilter {
  return {
    resourceType: f.resourceTypeFilter,
    resourceName: f.resourceNameFilter,
    patternType: f.patternTypeFilter,
    principal: f.principalFilter,
    host: f.hostFilter,
    operation: f.operation,
    permissionType: f.permissionType,
  }
}

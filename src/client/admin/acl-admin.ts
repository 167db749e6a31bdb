/**
 * The admin's ACL calls (CreateAcls, DescribeAcls, DeleteAcls, KIP-11), with KafkaJS 2.2.4's
 * checks, messages and result shapes. A cluster without an `authorizer` answers SECURITY_DISABLED.
 */
import type { AclBinding, AclBindingFilter } from '../../protocol/acl-apis.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSNonRetriableError, protocolError } from '../errors.js'
import type { AclEntry, AclFilter, DeleteAclResponse, DescribeAclResponse } from './admin-types.js'
import { sendToController } from './metadata-lookups.js'
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from './resource-types.js'

const isString = (v: unknown): boolean => typeof v === 'string'
const isOptionalString = (v: unknown): boolean => typeof v === 'string' || typeof v === 'undefined'

/** KafkaJS's enum checks of createAcls and deleteAcls, in its order. */
function checkEnums(entries: ReadonlyArray<Record<string, unknown>>): void {
  const checks: Array<[string, string, readonly unknown[]]> = [
    ['operation', 'operation type', Object.values(AclOperationTypes)],
    ['resourcePatternType', 'resource pattern type', Object.values(ResourcePatternTypes)],
    ['permissionType', 'permission type', Object.values(AclPermissionTypes)],
    ['resourceType', 'resource type', Object.values(AclResourceTypes)],
  ]
  for (const [field, label, valid] of checks) {
    const invalid = entries.find((e) => !valid.includes(e[field]))
    if (invalid !== undefined) throw new KafkaJSNonRetriableError(`Invalid ${label} ${String(invalid[field])}: ${JSON.stringify(invalid)}`)
  }
}

function checkList(list: unknown, what: string, stringCheck: (v: unknown) => boolean): asserts list is Array<Record<string, unknown>> {
  if (!list || !Array.isArray(list)) throw new KafkaJSNonRetriableError(`Invalid ${what} array ${String(list)}`)
  if (list.length === 0) throw new KafkaJSNonRetriableError(`Empty ${what} array`)
  if (list.some((e) => !stringCheck(e?.principal))) throw new KafkaJSNonRetriableError(`Invalid ${what} array, the principals have to be a valid string`)
  if (list.some((e) => !stringCheck(e?.host))) throw new KafkaJSNonRetriableError(`Invalid ${what} array, the hosts have to be a valid string`)
  if (list.some((e) => !stringCheck(e?.resourceName))) throw new KafkaJSNonRetriableError(`Invalid ${what} array, the resourceNames have to be a valid string`)
  checkEnums(list)
}

function toFilter(f: AclFilter): AclBindingFilter {
  return {
    resourceType: f.resourceType,
    resourceName: f.resourceName ?? null,
    patternType: f.resourcePatternType,
    principal: f.principal ?? null,
    host: f.host ?? null,
    operation: f.operation,
    permissionType: f.permissionType,
  }
}

/** `admin.createAcls`: resolves true once every ACL exists. */
export async function createAcls(client: BrokerRouter, options: { acl: AclEntry[] }): Promise<boolean> {
  const { acl } = options ?? ({} as never)
  checkList(acl, 'ACL', isString)
  const creations: AclBinding[] = acl.map((a) => ({
    resourceType: a.resourceType,
    resourceName: a.resourceName,
    patternType: a.resourcePatternType,
    principal: a.principal,
    host: a.host,
    operation: a.operation,
    permissionType: a.permissionType,
  }))
  return sendToController(client, 'CreateAcls', { creations }, (response) => {
    const failed = response.results.find((r) => r.errorCode !== 0)
    if (failed !== undefined) throw protocolError(failed.errorCode, 'creating ACLs', failed.errorMessage)
    return true
  })
}

/** `admin.describeAcls`: the ACLs matching a filter, grouped by resource pattern. */
export async function describeAcls(client: BrokerRouter, filter: AclFilter): Promise<DescribeAclResponse> {
  const f = (filter ?? {}) as AclFilter & Record<string, unknown>
  if (!isOptionalString(f.principal)) throw new KafkaJSNonRetriableError('Invalid principal, the principal have to be a valid string')
  if (!isOptionalString(f.host)) throw new KafkaJSNonRetriableError('Invalid host, the host have to be a valid string')
  if (!isOptionalString(f.resourceName)) throw new KafkaJSNonRetriableError('Invalid resourceName, the resourceName have to be a valid string')
  if (!(Object.values(AclOperationTypes) as unknown[]).includes(f.operation)) throw new KafkaJSNonRetriableError(`Invalid operation type ${String(f.operation)}`)
  if (!(Object.values(ResourcePatternTypes) as unknown[]).includes(f.resourcePatternType)) {
    throw new KafkaJSNonRetriableError(`Invalid resource pattern filter type ${String(f.resourcePatternType)}`)
  }
  if (!(Object.values(AclPermissionTypes) as unknown[]).includes(f.permissionType)) throw new KafkaJSNonRetriableError(`Invalid permission type ${String(f.permissionType)}`)
  if (!(Object.values(AclResourceTypes) as unknown[]).includes(f.resourceType)) throw new KafkaJSNonRetriableError(`Invalid resource type ${String(f.resourceType)}`)
  return sendToController(client, 'DescribeAcls', toFilter(f), (response) => {
    if (response.errorCode !== 0) throw protocolError(response.errorCode, 'describing ACLs', response.errorMessage)
    return {
      throttleTime: 0,
      errorCode: 0,
      resources: response.resources.map((r) => ({
        resourceType: r.resourceType as AclResourceTypes,
        resourceName: r.resourceName,
        resourcePatternType: r.patternType as ResourcePatternTypes,
        acls: r.acls.map((a) => ({
          principal: a.principal,
          host: a.host,
          operation: a.operation as AclOperationTypes,
          permissionType: a.permissionType as AclPermissionTypes,
        })),
      })),
    }
  })
}

/** `admin.deleteAcls`: deletes the ACLs matching each filter and lists them per filter. */
export async function deleteAcls(client: BrokerRouter, options: { filters: AclFilter[] }): Promise<DeleteAclResponse> {
  const { filters } = options ?? ({} as never)
  checkList(filters, 'ACL Filter', isOptionalString)
  return sendToController(client, 'DeleteAcls', { filters: filters.map(toFilter) }, (response) => {
    const failed = response.filterResults.find((r) => r.errorCode !== 0)
    if (failed !== undefined) throw protocolError(failed.errorCode, 'deleting ACLs', failed.errorMessage)
    return {
      throttleTime: 0,
      filterResponses: response.filterResults.map((r) => ({
        errorCode: r.errorCode,
        matchingAcls: r.matchingAcls.map((a) => ({
          errorCode: a.errorCode,
          resourceType: a.resourceType as AclResourceTypes,
          resourceName: a.resourceName,
          resourcePatternType: a.patternType as ResourcePatternTypes,
          principal: a.principal,
          host: a.host,
          operation: a.operation as AclOperationTypes,
          permissionType: a.permissionType as AclPermissionTypes,
        })),
      })),
    }
  })
}

import { describe, expect, it } from 'vitest'
import { AclOperationTypes as Op, AclPermissionTypes as Perm, AclResourceTypes as Type, ResourcePatternTypes as Pattern } from '../../../src/client/admin/resource-types.js'
import type { AclEntry } from '../../../src/client/admin/admin-types.js'
import { KafkaJSNonRetriableError, KafkaJSProtocolError } from '../../../src/client/errors.js'
import { Kafka } from '../../../src/client/kafka.js'
import { Cluster } from '../../../src/cluster.js'
import { VirtualClock } from '../../../src/time/virtual-clock.js'
import { adminSetup } from './admin-helpers.js'

const read = (resourceName: string, principal = 'User:alice', resourcePatternType: Pattern = Pattern.LITERAL): AclEntry => ({
  resourceType: Type.TOPIC,
  resourceName,
  resourcePatternType,
  principal,
  host: '*',
  operation: Op.READ,
  permissionType: Perm.ALLOW,
})

async function secured(principal = 'User:admin') {
  const clock = new VirtualClock()
  const cluster = new Cluster({ clock, seed: 3, authorizer: { superUsers: ['User:admin'] } })
  const admin = new Kafka({ clientId: 'acl-test', cluster, logLevel: 0, principal }).admin()
  await clock.run(admin.connect())
  return { clock, cluster, admin, run: <T>(p: Promise<T>) => clock.run(p), fail: (p: Promise<unknown>) => clock.run(p).then(() => undefined, (e) => e) }
}

describe('ACL calls: KafkaJS 2.2.4 validation messages', () => {
  it.each([
    ['createAcls without an array', 'createAcls', { acl: undefined }, 'Invalid ACL array undefined'],
    ['createAcls with an empty array', 'createAcls', { acl: [] }, 'Empty ACL array'],
    ['createAcls without a principal', 'createAcls', { acl: [{ ...read('t'), principal: undefined }] }, 'Invalid ACL array, the principals have to be a valid string'],
    ['createAcls without a host', 'createAcls', { acl: [{ ...read('t'), host: 1 }] }, 'Invalid ACL array, the hosts have to be a valid string'],
    ['createAcls without a resource name', 'createAcls', { acl: [{ ...read('t'), resourceName: null }] }, 'Invalid ACL array, the resourceNames have to be a valid string'],
    ['createAcls with a bad operation', 'createAcls', { acl: [{ ...read('t'), operation: 99 }] }, `Invalid operation type 99: ${JSON.stringify({ ...read('t'), operation: 99 })}`],
    ['deleteAcls without an array', 'deleteAcls', { filters: 'x' }, 'Invalid ACL Filter array x'],
    ['deleteAcls with an empty array', 'deleteAcls', { filters: [] }, 'Empty ACL Filter array'],
    ['deleteAcls with a bad host', 'deleteAcls', { filters: [{ ...read('t'), host: 1 }] }, 'Invalid ACL Filter array, the hosts have to be a valid string'],
    ['describeAcls with a bad principal', 'describeAcls', { ...read('t'), principal: 1 }, 'Invalid principal, the principal have to be a valid string'],
    ['describeAcls with a bad pattern type', 'describeAcls', { ...read('t'), resourcePatternType: 9 }, 'Invalid resource pattern filter type 9'],
    ['describeAcls with a bad resource type', 'describeAcls', { ...read('t'), resourceType: 9 }, 'Invalid resource type 9'],
  ] as const)('%s', async (_case, method, options, message) => {
    const { admin, fail } = await secured()
    const error = await fail((admin[method] as (o: unknown) => Promise<unknown>)(options))
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    expect((error as Error).message).toBe(message)
  })
})

describe('ACL calls against the cluster', () => {
  it('answer SECURITY_DISABLED on a cluster without an authorizer, as Kafka', async () => {
    const { admin, fail } = await adminSetup()
    const error = await fail(admin.createAcls({ acl: [read('t')] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect((error as KafkaJSProtocolError).type).toBe('SECURITY_DISABLED')
  })

  it('create, describe with LITERAL / PREFIXED / MATCH / ANY filters, then delete', async () => {
    const { admin, run } = await secured()
    expect(await run(admin.createAcls({ acl: [read('orders'), read('orders.', 'User:bob', Pattern.PREFIXED), read('*', 'User:carol')] }))).toBe(true)
    const filter = { resourceType: Type.TOPIC, operation: Op.ANY, permissionType: Perm.ANY }
    const literal = await run(admin.describeAcls({ ...filter, resourceName: 'orders', resourcePatternType: Pattern.LITERAL }))
    expect(literal.resources).toEqual([{ resourceType: Type.TOPIC, resourceName: 'orders', resourcePatternType: Pattern.LITERAL, acls: [{ principal: 'User:alice', host: '*', operation: Op.READ, permissionType: Perm.ALLOW }] }])
    const match = await run(admin.describeAcls({ ...filter, resourceName: 'orders.eu', resourcePatternType: Pattern.MATCH }))
    expect(match.resources.map((r) => r.resourceName).sort()).toEqual(['*', 'orders.'])
    const any = await run(admin.describeAcls({ ...filter, resourcePatternType: Pattern.ANY }))
    expect(any.resources).toHaveLength(3)
    const deleted = await run(admin.deleteAcls({ filters: [{ ...filter, principal: 'User:bob', resourcePatternType: Pattern.ANY }] }))
    expect(deleted.filterResponses[0]!.matchingAcls).toEqual([expect.objectContaining({ errorCode: 0, principal: 'User:bob', resourceName: 'orders.', resourcePatternType: Pattern.PREFIXED })])
    expect((await run(admin.describeAcls({ ...filter, resourcePatternType: Pattern.ANY }))).resources).toHaveLength(2)
  })

  it('refuses an invalid ACL with INVALID_REQUEST', async () => {
    const { admin, fail } = await secured()
    const error = await fail(admin.createAcls({ acl: [{ ...read('t'), resourcePatternType: Pattern.MATCH }] }))
    expect((error as KafkaJSProtocolError).type).toBe('INVALID_REQUEST')
  })

  it('a principal without ALTER on the cluster cannot manage ACLs (CLUSTER_AUTHORIZATION_FAILED)', async () => {
    const { admin, fail } = await secured('User:mallory')
    const error = await fail(admin.createAcls({ acl: [read('t', 'User:mallory')] }))
    expect((error as KafkaJSProtocolError).type).toBe('CLUSTER_AUTHORIZATION_FAILED')
  })
})

import { describe, expect, it } from 'vitest'
import { AclStore } from '../../../src/broker/acl/acl-store.js'
import { Authorizer } from '../../../src/broker/acl/authorizer.js'
import { AclOperation as Op, AclPermission, AclResourceType as Type, PatternType, type AclBinding } from '../../../src/protocol/index.js'

const HOST = '127.0.0.1'

function acl(overrides: Partial<AclBinding>): AclBinding {
  return { resourceType: Type.TOPIC, resourceName: 'orders', patternType: PatternType.LITERAL, principal: 'User:alice', host: '*', operation: Op.READ, permissionType: AclPermission.ALLOW, ...overrides }
}

function authorizer(acls: AclBinding[], options: { superUsers?: string[]; allowEveryoneIfNoAclFound?: boolean } = {}) {
  const store = new AclStore()
  for (const a of acls) expect(store.create(a).errorCode).toBe(0)
  return new Authorizer(store, options)
}

describe('Authorizer (StandardAuthorizer rules)', () => {
  it('allows what an ALLOW grants, and nothing else', () => {
    const auth = authorizer([acl({})])
    expect(auth.authorize('User:alice', HOST, Op.READ, Type.TOPIC, 'orders')).toBe(true)
    expect(auth.authorize('User:alice', HOST, Op.WRITE, Type.TOPIC, 'orders')).toBe(false)
    expect(auth.authorize('User:bob', HOST, Op.READ, Type.TOPIC, 'orders')).toBe(false)
  })

  it('READ, WRITE, DELETE and ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS; ALL implies everything', () => {
    const auth = authorizer([acl({ operation: Op.WRITE }), acl({ resourceName: 'cfg', operation: Op.ALTER_CONFIGS }), acl({ resourceName: 'all', operation: Op.ALL })])
    expect(auth.authorize('User:alice', HOST, Op.DESCRIBE, Type.TOPIC, 'orders')).toBe(true)
    expect(auth.authorize('User:alice', HOST, Op.DESCRIBE_CONFIGS, Type.TOPIC, 'cfg')).toBe(true)
    expect(auth.authorize('User:alice', HOST, Op.DELETE, Type.TOPIC, 'all')).toBe(true)
  })

  it('a DENY wins over any ALLOW, even a wildcard one', () => {
    const auth = authorizer([acl({ principal: 'User:*', resourceName: '*' }), acl({ permissionType: AclPermission.DENY })])
    expect(auth.authorize('User:alice', HOST, Op.READ, Type.TOPIC, 'orders')).toBe(false)
    expect(auth.authorize('User:alice', HOST, Op.READ, Type.TOPIC, 'payments')).toBe(true)
    expect(auth.authorize('User:bob', HOST, Op.READ, Type.TOPIC, 'orders')).toBe(true)
  })

  it('a PREFIXED pattern applies to every name that starts with it', () => {
    const auth = authorizer([acl({ resourceName: 'orders.', patternType: PatternType.PREFIXED })])
    expect(auth.authorize('User:alice', HOST, Op.READ, Type.TOPIC, 'orders.eu')).toBe(true)
    expect(auth.authorize('User:alice', HOST, Op.READ, Type.TOPIC, 'orders')).toBe(false)
  })

  it('host must match unless it is *', () => {
    const auth = authorizer([acl({ host: '10.0.0.1' })])
    expect(auth.authorize('User:alice', HOST, Op.READ, Type.TOPIC, 'orders')).toBe(false)
    expect(auth.authorize('User:alice', '10.0.0.1', Op.READ, Type.TOPIC, 'orders')).toBe(true)
  })

  it('super users may do anything; with no ACL on a resource allow.everyone.if.no.acl.found decides', () => {
    expect(authorizer([], { superUsers: ['User:admin'] }).authorize('User:admin', HOST, Op.ALTER, Type.CLUSTER, 'kafka-cluster')).toBe(true)
    expect(authorizer([]).authorize('User:alice', HOST, Op.READ, Type.TOPIC, 'orders')).toBe(false)
    const open = authorizer([acl({ principal: 'User:bob' })], { allowEveryoneIfNoAclFound: true })
    expect(open.authorize('User:alice', HOST, Op.READ, Type.TOPIC, 'payments')).toBe(true)
    // An ACL exists on `orders` (for bob): alice is no longer allowed by default there.
    expect(open.authorize('User:alice', HOST, Op.READ, Type.TOPIC, 'orders')).toBe(false)
  })
})

describe('AclStore validation (INVALID_REQUEST as Kafka)', () => {
  it.each([
    ['a filter-only pattern type', { patternType: PatternType.MATCH }, 'Invalid patternType'],
    ['ANY operation', { operation: Op.ANY }, 'Invalid operation'],
    ['ANY permission', { permissionType: AclPermission.ANY }, 'Invalid permissionType'],
    ['ANY resource type', { resourceType: Type.ANY }, 'Invalid resourceType'],
    ['a principal without a type', { principal: 'alice' }, 'Could not parse principal'],
    ['a cluster resource not named kafka-cluster', { resourceType: Type.CLUSTER, resourceName: 'x' }, 'kafka-cluster'],
    ['an empty name', { resourceName: '' }, 'Resource name should not be empty'],
  ])('refuses %s', (_case, overrides, message) => {
    const result = new AclStore().create(acl(overrides))
    expect(result.errorCode).toBe(42)
    expect(result.errorMessage).toContain(message)
  })
})

describe('the authorizer cluster option', () => {
  it.each([
    ['not an object', 'yes', 'must be an object'],
    ['super users without a principal type', { superUsers: ['admin'] }, "such as 'User:admin'"],
    ['a non-boolean flag', { allowEveryoneIfNoAclFound: 'true' }, 'must be a boolean'],
  ])('refuses %s', async (_case, authorizer, message) => {
    const { Cluster } = await import('../../../src/cluster.js')
    expect(() => new Cluster({ authorizer: authorizer as never })).toThrow(message)
  })
})

/**
 * A service without a grant fails cleanly: with an authorizer, each client acts as its
 * `principal`, and what the ACLs do not allow is refused with Kafka's typed error, while a
 * granted service works on the same cluster.
 */
import { describe, expect, it } from 'vitest'
import { AclOperationTypes as Op, AclPermissionTypes as Perm, AclResourceTypes as Type, ResourcePatternTypes as Pattern } from '../../src/client/admin/resource-types.js'
import { KafkaJSProtocolError } from '../../src/client/errors.js'
import { Kafka } from '../../src/client/kafka.js'
import { Cluster } from '../../src/cluster.js'
import { VirtualClock } from '../../src/time/virtual-clock.js'

async function securedCluster() {
  const clock = new VirtualClock()
  const cluster = new Cluster({ clock, seed: 11, authorizer: { superUsers: ['User:ops'] } })
  const client = (principal: string) => new Kafka({ clientId: principal, cluster, logLevel: 0, principal, retry: { retries: 1 } })
  const admin = client('User:ops').admin()
  await clock.run(admin.connect())
  await clock.run(admin.createTopics({ topics: [{ topic: 'orders' }] }))
  const grant = (resourceType: Type, resourceName: string, principal: string, operation: Op) =>
    clock.run(admin.createAcls({ acl: [{ resourceType, resourceName, resourcePatternType: Pattern.LITERAL, principal, host: '*', operation, permissionType: Perm.ALLOW }] }))
  return { clock, client, grant, run: <T>(p: Promise<T>) => clock.run(p), fail: (p: Promise<unknown>) => clock.run(p).then(() => undefined, (e) => e) }
}

describe('authorization: a service without a grant fails cleanly', () => {
  it('a producer without WRITE on the topic gets TOPIC_AUTHORIZATION_FAILED; with the grant it sends', async () => {
    const { client, grant, run, fail } = await securedCluster()
    const producer = client('User:billing').producer()
    await run(producer.connect())
    const error = await fail(producer.send({ topic: 'orders', messages: [{ value: 'o-1' }] }))
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect((error as KafkaJSProtocolError).type).toBe('TOPIC_AUTHORIZATION_FAILED')
    expect((error as KafkaJSProtocolError).retriable).toBe(false)
    await grant(Type.TOPIC, 'orders', 'User:billing', Op.WRITE)
    const [sent] = await run(producer.send({ topic: 'orders', messages: [{ value: 'o-1' }] }))
    expect(sent!.errorCode).toBe(0)
  })

  it('a consumer with READ on the topic but not on its group gets GROUP_AUTHORIZATION_FAILED', async () => {
    const { client, grant, run, clock } = await securedCluster()
    await grant(Type.TOPIC, 'orders', 'User:shipping', Op.READ)
    const consumer = client('User:shipping').consumer({ groupId: 'shipping' })
    const crashes: unknown[] = []
    consumer.on(consumer.events.CRASH, (event) => void crashes.push(event.payload.error))
    await run(consumer.connect())
    await run(consumer.subscribe({ topics: ['orders'] }))
    await run(consumer.run({ eachMessage: async () => undefined }))
    await clock.runUntil(() => crashes.length > 0)
    // As KafkaJS: the FindCoordinator answer is wrapped in KafkaJSGroupCoordinatorNotFound, the Kafka error its cause.
    const crash = crashes[0] as Error & { retriable: boolean; cause: KafkaJSProtocolError }
    expect(crash.retriable).toBe(false)
    expect(crash.cause.type).toBe('GROUP_AUTHORIZATION_FAILED')
    await run(consumer.disconnect())
  })

  it('a transactional producer without WRITE on its transactional id gets TRANSACTIONAL_ID_AUTHORIZATION_FAILED', async () => {
    const { client, grant, run, fail } = await securedCluster()
    await grant(Type.TOPIC, 'orders', 'User:ledger', Op.WRITE)
    const producer = client('User:ledger').producer({ transactionalId: 'ledger-1', idempotent: true, maxInFlightRequests: 1 })
    await run(producer.connect())
    const error = await fail(producer.transaction())
    // The Kafka error is the root cause of the client's chain (as KafkaJS wraps coordinator lookups).
    let root = error as { type?: string; cause?: unknown }
    while (root.type === undefined && root.cause !== undefined) root = root.cause as typeof root
    expect(root.type).toBe('TRANSACTIONAL_ID_AUTHORIZATION_FAILED')
    expect((error as { retriable: boolean }).retriable).toBe(false)
  })

  it('an admin without CREATE gets TOPIC_AUTHORIZATION_FAILED and sees only the topics it may describe', async () => {
    const { client, grant, run, fail } = await securedCluster()
    const admin = client('User:intern').admin()
    await run(admin.connect())
    expect(await run(admin.listTopics())).toEqual([])
    await grant(Type.TOPIC, 'orders', 'User:intern', Op.DESCRIBE)
    expect(await run(admin.listTopics())).toEqual(['orders'])
    const error = await fail(admin.createTopics({ topics: [{ topic: 'new' }] }))
    // As KafkaJS: per-topic errors come in a KafkaJSAggregateError.
    expect((error as { errors: KafkaJSProtocolError[] }).errors.map((e) => e.type)).toEqual(['TOPIC_AUTHORIZATION_FAILED'])
  })
})

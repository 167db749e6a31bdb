/**
 * TLS on the listener (KafkaJS `ssl: { ca }`, alone and with SASL/SCRAM), and the SASL principal reaching the
 * cluster's authorizer: a wire client authenticated as alice is `User:alice`, refused without a grant and served
 * with one. The certificates are made at test time with openssl (skipped, saying so, where it is missing).
 */
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { AclOperationTypes as Op, AclPermissionTypes as Perm, AclResourceTypes as Type, ResourcePatternTypes as Pattern } from '../../src/client/admin/resource-types.js'
import { Kafka as InProcessKafka } from '../../src/client/kafka.js'
import { Cluster, type ClusterOptions } from '../../src/cluster.js'
import type { ListenOptions } from '../../src/wire/listener.js'
import { RawClient } from './raw-client.js'
import { condition } from './tcp-kafka.js'
import { makeTestCertificates, OPENSSL, type TestCertificates } from './tls-certificates.js'

const clusters: Cluster[] = []
const logs: string[] = []

afterEach(async () => {
  for (const c of clusters.splice(0)) await c.close()
  logs.length = 0
})

async function start(listen: ListenOptions, options: ClusterOptions = {}): Promise<{ cluster: Cluster; brokers: string[] }> {
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1'
  const cluster = new Cluster({ brokers: 1, seed: 9, ...options })
  clusters.push(cluster)
  const listener = await cluster.listen({ port: 0, log: (level, line) => logs.push(`${level} ${line}`), ...listen })
  return { cluster, brokers: [...listener.brokers] }
}

function kafka(brokers: string[], config: Omit<KafkaConfig, 'brokers'>): Kafka {
  return new Kafka({ brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, ...config })
}

/** Produces two records and reads them back over `client`. */
async function roundTrip(client: Kafka, topic: string): Promise<string[]> {
  const producer = client.producer()
  await producer.connect()
  await producer.send({ topic, messages: [{ value: 'one' }, { value: 'two' }] })
  await producer.disconnect()
  const consumer = client.consumer({ groupId: `${topic}-group`, maxWaitTimeInMs: 100 })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  const values: string[] = []
  const done = condition(() => values.length === 2)
  await consumer.run({
    eachMessage: async ({ message }) => {
      values.push(message.value!.toString())
      done.check()
    },
  })
  await done.promise
  await consumer.disconnect()
  return values
}

describe.skipIf(OPENSSL === undefined)(`TLS on the listener${OPENSSL === undefined ? ' (SKIPPED: openssl is not installed)' : ''}`, () => {
  let certificates: TestCertificates
  beforeAll(() => {
    certificates = makeTestCertificates()
  })
  afterAll(() => certificates.remove())

  it('KafkaJS with ssl: { ca } produces and consumes; a plaintext client gets no answer and a log line', async () => {
    const { brokers } = await start({ tls: { key: certificates.key, cert: certificates.cert }, logLevel: 'info' })
    expect(await roundTrip(kafka(brokers, { ssl: { ca: [certificates.ca] } }), 'over-tls')).toEqual(['one', 'two'])
    const plaintext = await RawClient.open(brokers[0]!)
    plaintext.write(Buffer.from([0, 0, 0, 12, 0, 18, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]))
    await plaintext.closed
    expect(logs.some((line) => line.includes('TLS handshake failed'))).toBe(true)
  }, 30_000)

  it('KafkaJS refuses a listener whose certificate it does not trust', async () => {
    const { brokers } = await start({ tls: { key: certificates.key, cert: certificates.cert } })
    await expect(kafka(brokers, { ssl: true }).admin().connect()).rejects.toThrow(/certificate/)
  })

  it('SASL_SSL: KafkaJS with ssl and scram-sha-512', async () => {
    const { brokers } = await start({ tls: { key: certificates.key, cert: certificates.cert }, sasl: { users: { alice: 'secret' } } })
    const client = kafka(brokers, { ssl: { ca: [certificates.ca] }, sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'secret' } })
    expect(await roundTrip(client, 'over-sasl-ssl')).toEqual(['one', 'two'])
  }, 30_000)
})

describe('the SASL principal reaches the authorizer', () => {
  it('a wire client authenticated as alice gets TOPIC_AUTHORIZATION_FAILED without a grant and produces with one', async () => {
    const { cluster, brokers } = await start({ sasl: { users: { alice: 'alice-pw' } } }, { authorizer: { superUsers: ['User:ops'] } })
    const ops = new InProcessKafka({ clientId: 'ops', cluster, logLevel: 0, principal: 'User:ops' }).admin()
    await ops.connect()
    await ops.createTopics({ topics: [{ topic: 'payments' }] })
    const alice = kafka(brokers, { sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 'alice-pw' } }).producer()
    await alice.connect()
    await expect(alice.send({ topic: 'payments', messages: [{ value: 'p-1' }] })).rejects.toThrow(/Topic authorization failed/)
    const grant = (principal: string) =>
      ops.createAcls({ acl: [{ resourceType: Type.TOPIC, resourceName: 'payments', resourcePatternType: Pattern.LITERAL, principal, host: '*', operation: Op.WRITE, permissionType: Perm.ALLOW }] })
    await grant('User:bob')
    await expect(alice.send({ topic: 'payments', messages: [{ value: 'p-1' }] })).rejects.toThrow(/Topic authorization failed/)
    await grant('User:alice')
    const [sent] = await alice.send({ topic: 'payments', messages: [{ value: 'p-1' }] })
    expect(sent!.errorCode).toBe(0)
    await alice.disconnect()
    await ops.disconnect()
  }, 30_000)
})

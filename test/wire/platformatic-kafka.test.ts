/**
 * @platformatic/kafka (a pure-JavaScript client that speaks only flexible versions: Fetch v12+, JoinGroup v6+,
 * FindCoordinator v4+, OffsetFetch v8+) against cluster.listen(): its admin creates a topic, its producer sends
 * with acks=all and gzip, two consumers share the partitions in a group and commit, and the admin reads the group back.
 */
import { Admin, Consumer, MessagesStreamModes, Producer, stringDeserializers, stringSerializers, type Message } from '@platformatic/kafka'
import { afterEach, describe, expect, it } from 'vitest'
import { condition, tcpKafka, type TcpKafka } from './tcp-kafka.js'

let env: TcpKafka | undefined
const closers: Array<() => Promise<unknown>> = []

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined)
  await env?.close()
  env = undefined
})

const COUNT = 40

describe('@platformatic/kafka over TCP', () => {
  it('creates a topic, produces with acks=all, consumes in a group of two that splits the partitions and commits', async () => {
    env = await tcpKafka()
    const bootstrapBrokers = [...env.listener.brokers]
    const admin = new Admin({ clientId: 'plt-admin', bootstrapBrokers })
    closers.push(() => admin.close())
    const [created] = await admin.createTopics({ topics: ['plt'], partitions: 4, replicas: 3 })
    expect(created).toMatchObject({ name: 'plt', partitions: 4, replicas: 3 })

    const producer = new Producer({ clientId: 'plt-producer', bootstrapBrokers, serializers: stringSerializers, acks: -1, idempotent: true, compression: 'gzip' })
    closers.push(() => producer.close())
    const sent = await producer.send({ messages: Array.from({ length: COUNT }, (_, i) => ({ topic: 'plt', key: `k${i}`, value: `v${i}`, headers: { trace: `t${i}` } })) })
    expect(sent.offsets!.map((o) => o.partition).sort()).toEqual([0, 1, 2, 3])

    const seen = new Map<string, Message<string, string, string, string>>()
    const all = condition(() => seen.size >= COUNT)
    const consume = async (name: string) => {
      const consumer = new Consumer({ groupId: 'plt-group', clientId: `plt-${name}`, bootstrapBrokers, deserializers: stringDeserializers, maxWaitTime: 200 })
      closers.push(() => new Promise<void>((resolve) => consumer.close(true, () => resolve())))
      const stream = await consumer.consume({ topics: ['plt'], mode: MessagesStreamModes.EARLIEST, autocommit: 100, sessionTimeout: 10_000, heartbeatInterval: 500 })
      stream.on('data', (message: Message<string, string, string, string>) => {
        seen.set(message.value, message)
        all.check()
      })
      return { consumer, stream }
    }
    const [a, b] = await Promise.all([consume('a'), consume('b')])
    await all.promise
    expect([...seen.keys()].sort()).toEqual(Array.from({ length: COUNT }, (_, i) => `v${i}`).sort())
    expect(seen.get('v7')).toMatchObject({ key: 'k7', topic: 'plt' })
    expect(seen.get('v7')!.headers.get('trace')).toBe('t7')

    // Both members hold partitions once the group has settled.
    const groups = await admin.describeGroups({ groups: ['plt-group'] })
    const group = groups.get('plt-group')!
    expect(group.state).toBe('STABLE')
    expect(group.members.size).toBe(2)
    expect(a.consumer.assignments!.length).toBeGreaterThan(0)
    expect(b.consumer.assignments!.length).toBeGreaterThan(0)

    for (const { consumer, stream } of [a, b]) {
      await stream.close()
      await consumer.close()
    }
    const [offsets] = await admin.listConsumerGroupOffsets({ groups: ['plt-group'] })
    const committed = offsets!.topics.find((t) => t.name === 'plt')!.partitions.reduce((sum, p) => sum + Number(p.committedOffset), 0)
    expect(committed).toBe(COUNT)
    expect(env.logs.filter((line) => !line.startsWith('debug') && !line.startsWith('info'))).toEqual([])
  }, 60_000)
})

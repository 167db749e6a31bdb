/**
 * Static membership (KIP-345) through the public API on virtual time: a consumer with a
 * `groupInstanceId` that restarts within its session timeout gets its partitions back with no
 * rebalance of the others; one away longer is removed by the session timeout; a second consumer
 * with the same instance id fences the first (FENCED_INSTANCE_ID).
 */
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, VirtualClock, logLevel } from 'kafkalite'
import type { Consumer, ConsumerCrashEvent, ConsumerGroupJoinEvent, EachMessagePayload } from 'kafkalite'

const SESSION_MS = 30_000

async function setup() {
  const clock = new VirtualClock()
  const cluster = new Cluster({ clock, seed: 3 })
  const kafka = new Kafka({ clientId: 'shop', cluster, logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await clock.run(admin.connect())
  await clock.run(admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 4 }] }))
  const producer = kafka.producer()
  await clock.run(producer.connect())
  const seen: string[] = []
  const joins: Array<{ instance: string; generationId: number; partitions: number[] }> = []
  const crashes: Array<ConsumerCrashEvent['payload']> = []
  const start = async (instance: string): Promise<Consumer> => {
    const consumer = kafka.consumer({ groupId: 'billing', groupInstanceId: instance, sessionTimeout: SESSION_MS })
    consumer.on(consumer.events.GROUP_JOIN, (e: ConsumerGroupJoinEvent) =>
      joins.push({ instance, generationId: e.payload.generationId, partitions: [...(e.payload.memberAssignment.orders ?? [])].sort() }),
    )
    consumer.on(consumer.events.CRASH, (e: ConsumerCrashEvent) => crashes.push(e.payload))
    await clock.run(consumer.connect())
    await clock.run(consumer.subscribe({ topics: ['orders'], fromBeginning: true }))
    await clock.run(consumer.run({ eachMessage: async ({ message }: EachMessagePayload) => void seen.push(message.value!.toString()) }))
    return consumer
  }
  const send = (from: number, count: number) =>
    clock.run(producer.send({ topic: 'orders', messages: Array.from({ length: count }, (_, i) => ({ key: `o${from + i}`, value: `${from + i}` })) }))
  const group = async () => (await clock.run(admin.describeGroups(['billing']))).groups[0]!
  return { clock, cluster, admin, producer, seen, joins, crashes, start, send, group }
}

describe('static membership (KIP-345)', () => {
  it('a member that restarts within the session timeout gets its partitions back in the same generation, and the other member never rejoins', async () => {
    const t = await setup()
    const a = await t.start('a')
    const b = await t.start('b')
    await t.clock.runUntil(() => t.joins.filter((j) => j.instance === 'a').at(-1)?.partitions.length === 2)
    const generation = t.joins.at(-1)!.generationId
    const aPartitions = t.joins.filter((j) => j.instance === 'a').at(-1)!.partitions
    const joinsOfB = t.joins.filter((j) => j.instance === 'b').length
    await t.send(0, 20)
    await t.clock.runUntil(() => t.seen.length === 20)

    // A static member sends no LeaveGroup: the group keeps it while it restarts.
    await t.clock.run(a.disconnect())
    expect((await t.group()).members.map((m) => m.memberId).length).toBe(2)
    await t.clock.advance(SESSION_MS / 3)
    await t.send(20, 20)
    const a2 = await t.start('a')
    await t.clock.runUntil(() => t.seen.length === 40)
    await t.clock.advance(SESSION_MS * 2)

    const rejoined = t.joins.filter((j) => j.instance === 'a').at(-1)!
    expect(rejoined).toEqual({ instance: 'a', generationId: generation, partitions: aPartitions })
    expect(t.joins.filter((j) => j.instance === 'b')).toHaveLength(joinsOfB)
    expect(new Set(t.seen).size).toBe(40)
    const described = await t.group()
    expect(described.state).toBe('Stable')
    // A static member's id starts with its instance id, as Kafka's do.
    expect(described.members.map((m) => m.memberId[0]).sort()).toEqual(['a', 'b'])
    expect(t.crashes).toEqual([])
    await t.clock.run(Promise.all([a2.disconnect(), b.disconnect()]))
  })

  it('a static member away longer than the session timeout is removed and the others rebalance', async () => {
    const t = await setup()
    const a = await t.start('a')
    const b = await t.start('b')
    await t.clock.runUntil(() => t.joins.filter((j) => j.instance === 'b').at(-1)?.partitions.length === 2)
    const generation = t.joins.at(-1)!.generationId
    const leftAt = t.clock.now()
    await t.clock.run(a.disconnect())
    await t.clock.runUntil(() => t.joins.filter((j) => j.instance === 'b').at(-1)!.partitions.length === 4)
    expect(t.clock.now() - leftAt).toBeGreaterThanOrEqual(SESSION_MS - 3_000)
    expect(t.joins.at(-1)!.generationId).toBeGreaterThan(generation)
    expect((await t.group()).members.map((m) => m.memberId[0])).toEqual(['b'])
    await t.clock.run(b.disconnect())
  })

  it('a second consumer with the same instance id takes the place over; the first crashes with FENCED_INSTANCE_ID and does not restart', async () => {
    const t = await setup()
    const first = await t.start('a')
    await t.clock.runUntil(() => t.joins.length === 1)
    const second = await t.start('a')
    await t.clock.runUntil(() => t.crashes.length === 1)
    const [crash] = t.crashes
    expect(crash!.restart).toBe(false)
    // KafkaJS's retrier wraps the broker's error; the cause says what happened.
    expect(crash!.error).toMatchObject({ name: 'KafkaJSNonRetriableError', retriable: false })
    expect((crash!.error as Error & { cause?: unknown }).cause).toMatchObject({ name: 'KafkaJSProtocolError', type: 'FENCED_INSTANCE_ID', code: 82 })
    expect(t.joins.map((j) => j.generationId)).toEqual([1, 1])
    await t.send(0, 10)
    await t.clock.runUntil(() => t.seen.length === 10)
    const described = await t.group()
    expect(described.members).toHaveLength(1)
    expect(described.members[0]!.memberId).toMatch(/^a-/)
    await t.clock.run(Promise.all([first.disconnect(), second.disconnect()]))
  })

  it('rejects an illegal groupInstanceId as Kafka does', async () => {
    const clock = new VirtualClock()
    const kafka = new Kafka({ clientId: 'shop', cluster: new Cluster({ clock }), logLevel: logLevel.NOTHING })
    expect(() => kafka.consumer({ groupId: 'g', groupInstanceId: '' })).toThrow(/groupInstanceId "" is illegal/)
    expect(() => kafka.consumer({ groupId: 'g', groupInstanceId: 'a b' })).toThrow(/illegal/)
  })
})

/**
 * One suite, two doors: scenarios written against the public KafkaJS API only, on the system clock, that run
 * unchanged through kafkalite's in-process drop-in (test/scenarios/two-doors-in-process.test.ts) and through the
 * real, unmocked kafkajs over TCP (test/wire/scenarios-over-tcp.test.ts) — against `cluster.listen()`, or against any
 * Kafka-compatible cluster named by `KAFKALITE_TEST_BROKERS=host:port`. Nothing here knows which door it goes
 * through; a scenario that needs kafkalite's fault API skips, saying why, where the door has none.
 *
 * Names are unique per run against an external cluster (its topics outlive the run); waits are on conditions that
 * client callbacks fulfil, never on sleeps.
 */
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs'
import { expect, it } from 'vitest'

/** kafkalite's fault API, as far as the scenarios need it. */
export interface DoorFaults {
  crashBroker(id: number): void
  restartBroker(id: number): void
  /** The broker leading a partition now. */
  leaderOf(topic: string, partition: number): number
}

/** One way into a cluster: a KafkaJS client, how many brokers it has, and the faults it can inject (if any). */
export interface Door {
  readonly kafka: Kafka
  readonly brokers: number
  readonly faults: DoorFaults | null
  /** A topic or group name unique to this run. */
  name(base: string): string
  close(): Promise<void>
}

/** Why a scenario that needs faults is skipped at a door without them. */
export const NO_FAULTS = 'SKIPPED: needs kafkalite’s fault API; KAFKALITE_TEST_BROKERS points at an external cluster'

/** Fast group timing, valid against any Kafka: members hear of rebalances within a heartbeat, fetches return quickly. */
const FAST = { heartbeatInterval: 300, maxWaitTimeInMs: 100, sessionTimeout: 10_000, rebalanceTimeout: 10_000 }

/** A promise resolved by `check()` once `done()` holds: waiting on consumer callbacks without timers. */
function condition(done: () => boolean): { promise: Promise<void>; check: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  const check = () => {
    if (done()) resolve()
  }
  return { promise, check }
}

/** Registers every scenario; `open` gives a fresh door per scenario, `hasFaults` whether it will carry faults. */
export function kafkajsScenarios(open: () => Promise<Door>, hasFaults: boolean): void {
  let door: Door
  const consumers: Consumer[] = []
  const scenario = (title: string, body: () => Promise<void>, needsFaults = false) =>
    it.skipIf(needsFaults && !hasFaults)(`${title}${needsFaults && !hasFaults ? ` (${NO_FAULTS})` : ''}`, async () => {
      door = await open()
      try {
        await body()
      } finally {
        for (const c of consumers.splice(0)) await c.disconnect().catch(() => undefined)
        await door.close()
      }
    }, 60_000)
  const replication = () => Math.min(3, door.brokers)
  const createTopic = async (topic: string, numPartitions: number) => {
    const admin = door.kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: replication() }] })
    await admin.disconnect()
  }
  const consumer = (groupId: string, options: Record<string, unknown> = {}) => {
    const c = door.kafka.consumer({ groupId, ...FAST, ...options })
    consumers.push(c)
    return c
  }

  scenario('orders keyed by id are read once per group, in offset order per partition, and the offsets get committed', async () => {
    const topic = door.name('orders')
    await createTopic(topic, 3)
    const producer = door.kafka.producer()
    await producer.connect()
    const orders = Array.from({ length: 12 }, (_, i) => ({ id: `order-${1000 + i}`, amount: i * 10 }))
    const sent = await producer.send({ topic, acks: -1, messages: orders.map((o) => ({ key: o.id, value: JSON.stringify(o), headers: { source: 'web' } })) })
    expect(sent.every((r) => r.errorCode === 0)).toBe(true)
    await producer.disconnect()

    const seen: Array<{ groupId: string; id: string; partition: number; offset: number }> = []
    const all = condition(() => seen.length === 2 * orders.length)
    const groups = [door.name('billing'), door.name('shipping')]
    for (const groupId of groups) {
      const c = consumer(groupId)
      await c.connect()
      await c.subscribe({ topics: [topic], fromBeginning: true })
      await c.run({
        eachMessage: async ({ partition, message }: EachMessagePayload) => {
          expect(message.headers?.['source']?.toString()).toBe('web')
          seen.push({ groupId, id: (JSON.parse(message.value!.toString()) as { id: string }).id, partition, offset: Number(message.offset) })
          all.check()
        },
      })
    }
    await all.promise
    for (const groupId of groups) {
      const mine = seen.filter((s) => s.groupId === groupId)
      expect(mine.map((s) => s.id).sort()).toEqual(orders.map((o) => o.id).sort())
      for (const partition of [0, 1, 2]) {
        const offsets = mine.filter((s) => s.partition === partition).map((s) => s.offset)
        expect(offsets).toEqual([...offsets].sort((a, b) => a - b))
      }
    }
    for (const c of consumers.splice(0)) await c.disconnect()
    const admin = door.kafka.admin()
    await admin.connect()
    const [committed] = await admin.fetchOffsets({ groupId: groups[0]!, topics: [topic] })
    for (const { partition, offset } of committed!.partitions) expect(Number(offset)).toBe(seen.filter((s) => s.groupId === groups[0] && s.partition === partition).length)
    await admin.disconnect()
  })

  scenario('a consumer stops and runs again from its committed offsets; its group is Stable while it runs and Empty after', async () => {
    const topic = door.name('inventory')
    await createTopic(topic, 3)
    const producer = door.kafka.producer()
    await producer.connect()
    const send = (from: number, count: number) => producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: `${from + i}` })) })
    await send(0, 9)
    const groupId = door.name('stock')
    const c = consumer(groupId)
    const seen: number[] = []
    let target = 9
    let enough = condition(() => seen.length >= target)
    const eachMessage = async ({ message }: EachMessagePayload) => {
      seen.push(Number(message.value!.toString()))
      enough.check()
    }
    await c.connect()
    await c.subscribe({ topics: [topic], fromBeginning: true })
    await c.run({ eachMessage })
    await enough.promise
    expect(await c.describeGroup()).toMatchObject({ groupId, state: 'Stable', protocolType: 'consumer' })

    await c.stop()
    target = 15
    enough = condition(() => seen.length >= target)
    await send(9, 6)
    await c.run({ eachMessage })
    await enough.promise
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i))
    await c.disconnect()
    await producer.disconnect()
    const admin = door.kafka.admin()
    await admin.connect()
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] })
    expect(offsets!.partitions.reduce((sum, p) => sum + Number(p.offset), 0)).toBe(15)
    expect((await admin.describeGroups([groupId])).groups[0]!.state).toBe('Empty')
    await admin.disconnect()
  })

  scenario('a group of three shares six partitions; when a member leaves, the other two take its partitions over', async () => {
    const topic = door.name('payments')
    await createTopic(topic, 6)
    const groupId = door.name('ledger')
    const seen = new Map<string, string>()
    const assignments = new Map<string, number[]>()
    let target = 30
    let enough = condition(() => seen.size >= target)
    const members: Consumer[] = []
    for (const name of ['a', 'b', 'c']) {
      const c = consumer(groupId)
      members.push(c)
      c.on(c.events.GROUP_JOIN, (e) => assignments.set(name, e.payload.memberAssignment[topic] ?? []))
      await c.connect()
      await c.subscribe({ topics: [topic], fromBeginning: true })
      await c.run({
        eachMessage: async ({ message }) => {
          seen.set(message.value!.toString(), name)
          enough.check()
        },
      })
    }
    const producer = door.kafka.producer()
    await producer.connect()
    const sendBatch = (from: number) => producer.send({ topic, acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${from + i}`, value: `pay-${from + i}` })) })
    await sendBatch(0)
    await enough.promise
    expect(new Set(seen.values()).size).toBeGreaterThanOrEqual(2)

    const rebalanced = condition(() => ['b', 'c'].flatMap((n) => assignments.get(n) ?? []).length === 6)
    for (const c of members.slice(1)) c.on(c.events.GROUP_JOIN, () => rebalanced.check())
    await members[0]!.disconnect()
    await rebalanced.promise
    target = 60
    enough = condition(() => seen.size >= target)
    await sendBatch(30)
    await enough.promise
    expect([...seen].filter(([value]) => Number(value.split('-')[1]) >= 30).every(([, name]) => name !== 'a')).toBe(true)
    await producer.disconnect()
  })

  scenario('seek re-reads from an offset; pause holds a topic back until resume', async () => {
    const topic = door.name('events')
    await createTopic(topic, 1)
    const producer = door.kafka.producer()
    await producer.connect()
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 5 }, (_, i) => ({ value: `e${i}` })) })
    const c = consumer(door.name('seeker'))
    await c.connect()
    await c.subscribe({ topics: [topic], fromBeginning: true })
    const reads: string[] = []
    const firstPass = condition(() => reads.length === 5)
    const afterSeek = condition(() => reads.length === 8)
    const afterResume = condition(() => reads.includes('late'))
    await c.run({
      eachMessage: async ({ message }) => {
        reads.push(message.value!.toString())
        firstPass.check()
        afterSeek.check()
        afterResume.check()
      },
    })
    await firstPass.promise
    c.seek({ topic, partition: 0, offset: '2' })
    await afterSeek.promise
    expect(reads).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e2', 'e3', 'e4'])
    c.pause([{ topic }])
    expect(c.paused()).toEqual([{ topic, partitions: [0] }])
    await producer.send({ topic, acks: -1, messages: [{ value: 'late' }] })
    await new Promise<void>((resolve) => c.on(c.events.FETCH, () => resolve()))
    expect(reads).not.toContain('late')
    c.resume([{ topic }])
    await afterResume.promise
    expect(reads.at(-1)).toBe('late')
    await producer.disconnect()
  })

  scenario('transactions: read_committed reads committed records only, read_uncommitted the aborted ones too', async () => {
    const topic = door.name('transfers')
    await createTopic(topic, 2)
    const producer = door.kafka.producer({ transactionalId: door.name('mover'), idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    for (const [values, commit] of [[['c1', 'c2'], true], [['a1', 'a2'], false], [['c3'], true]] as const) {
      const tx = await producer.transaction()
      await tx.send({ topic, messages: values.map((value, i) => ({ key: `k${i}`, value })) })
      if (commit) await tx.commit()
      else await tx.abort()
    }
    await producer.disconnect()
    const read = async (isolation: 'committed' | 'uncommitted', expected: number) => {
      const values: string[] = []
      const done = condition(() => values.length >= expected)
      const c = consumer(door.name(`audit-${isolation}`), { readUncommitted: isolation === 'uncommitted' })
      await c.connect()
      await c.subscribe({ topics: [topic], fromBeginning: true })
      await c.run({
        eachMessage: async ({ message }) => {
          values.push(message.value!.toString())
          done.check()
        },
      })
      await done.promise
      return values.sort()
    }
    expect(await read('committed', 3)).toEqual(['c1', 'c2', 'c3'])
    expect(await read('uncommitted', 5)).toEqual(['a1', 'a2', 'c1', 'c2', 'c3'])
  })

  scenario('admin: create, grow, configure, trim and delete a topic', async () => {
    const topic = door.name('archive')
    const admin = door.kafka.admin()
    await admin.connect()
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: replication(), configEntries: [{ name: 'retention.ms', value: '600000' }] }] })).toBe(true)
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: replication() }] })).toBe(false)
    await admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] })
    expect((await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions).toHaveLength(2)
    const configs = await admin.describeConfigs({ resources: [{ type: 2, name: topic, configNames: ['retention.ms'] }], includeSynonyms: false })
    expect(configs.resources[0]!.configEntries).toEqual([expect.objectContaining({ configName: 'retention.ms', configValue: '600000' })])

    const producer = door.kafka.producer()
    await producer.connect()
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 6 }, (_, i) => ({ value: `r${i}`, partition: 0 })) })
    await producer.disconnect()
    expect((await admin.fetchTopicOffsets(topic)).find((o) => o.partition === 0)).toMatchObject({ low: '0', high: '6' })
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '4' }] })
    expect((await admin.fetchTopicOffsets(topic)).find((o) => o.partition === 0)).toMatchObject({ low: '4', high: '6' })

    await admin.deleteTopics({ topics: [topic] })
    expect(await admin.listTopics()).not.toContain(topic)
    await admin.disconnect()
  })

  scenario(
    'an idempotent acks=all producer loses no acknowledged record while the leader’s broker crashes and restarts',
    async () => {
      const faults = door.faults!
      const topic = door.name('journal')
      await createTopic(topic, 1)
      const producer = door.kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 20, initialRetryTime: 50 } })
      await producer.connect()
      const acknowledged: string[] = []
      let crashed = -1
      for (let i = 0; i < 30; i++) {
        if (i === 10) faults.crashBroker((crashed = faults.leaderOf(topic, 0)))
        if (i === 20) faults.restartBroker(crashed)
        const value = `entry-${i}`
        await producer.send({ topic, acks: -1, messages: [{ key: `k${i}`, value }] }).then(
          () => acknowledged.push(value),
          () => undefined,
        )
      }
      await producer.disconnect()
      expect(acknowledged.length).toBeGreaterThanOrEqual(20)

      const read: string[] = []
      const all = condition(() => acknowledged.every((v) => read.includes(v)))
      const c = consumer(door.name('auditor'))
      await c.connect()
      await c.subscribe({ topics: [topic], fromBeginning: true })
      await c.run({
        eachMessage: async ({ message }) => {
          read.push(message.value!.toString())
          all.check()
        },
      })
      all.check()
      await all.promise
      // Idempotence: no record is written twice, even when a retry follows a lost acknowledgement.
      expect(new Set(read).size).toBe(read.length)
    },
    true,
  )
}

/**
 * The console shows what other clients do, read through the public API: transactions of any
 * transactional producer (from `describe()`), and records whoever produced them — an application in
 * the same process, or the real KafkaJS over the wire listener. System clock, as the TCP client needs;
 * the waits poll the console's state with a timeout.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Cluster, Kafka, logLevel, murmur2, toPositive, type Producer } from 'kafkalite'
import type { ConsoleHandle } from '../../src/console/index.js'
import type { ConsoleSnapshot } from '../../src/console/console-snapshot.js'
import { tcpKafka, type TcpKafka } from '../wire/tcp-kafka.js'

const WAIT = { timeout: 20_000, interval: 50 }

let ui: ConsoleHandle | undefined
let cluster: Cluster | undefined
let tcp: TcpKafka | undefined
const producers: { disconnect(): Promise<void> }[] = []

afterEach(async () => {
  await Promise.all(producers.splice(0).map((p) => p.disconnect()))
  await ui?.close()
  await cluster?.close()
  await tcp?.close()
  ui = cluster = tcp = undefined
})

async function state(): Promise<ConsoleSnapshot> {
  return (await (await fetch(`${ui!.url}state`)).json()) as ConsoleSnapshot
}

async function appProducer(c: Cluster, options: Parameters<Kafka['producer']>[0] = {}): Promise<Producer> {
  const producer = new Kafka({ clientId: 'shop-app', cluster: c, logLevel: logLevel.NOTHING }).producer(options)
  producers.push(producer)
  await producer.connect()
  return producer
}

describe('the console and other clients', () => {
  it('shows each transactional id open, then committed, then aborted, and puts the changes on the timeline', async () => {
    cluster = new Cluster({ brokers: 3, seed: 4, numPartitions: 3 })
    ui = await cluster.console({ port: 0 })
    const producer = await appProducer(cluster, { transactionalId: 'checkout', idempotent: true, maxInFlightRequests: 1 })
    const checkout = async (): Promise<ConsoleSnapshot['transactions'][number] | undefined> => (await state()).transactions.find((t) => t.transactionalId === 'checkout')

    const open = await producer.transaction()
    await open.send({ topic: 'payments', messages: [{ key: 'order-1', value: 'charged' }] })
    const partition = toPositive(murmur2(Buffer.from('order-1'))) % 3
    expect(await checkout()).toMatchObject({ state: 'Ongoing', partitions: [{ topic: 'payments', partition }] })
    await vi.waitFor(async () => expect((await state()).timeline.map((e) => e.text)).toContainEqual(expect.stringMatching(/^transaction checkout .*: open, writing payments-\d$/)), WAIT)

    await open.commit()
    await vi.waitFor(async () => expect(await checkout()).toMatchObject({ state: 'CompleteCommit', partitions: [] }), WAIT)
    await vi.waitFor(async () => expect((await state()).timeline.map((e) => e.text)).toContainEqual(expect.stringMatching(/^transaction checkout .*: committed$/)), WAIT)

    const aborted = await producer.transaction()
    await aborted.send({ topic: 'payments', messages: [{ key: 'order-2', value: 'charged twice' }] })
    await aborted.abort()
    await vi.waitFor(async () => expect((await checkout())?.state).toBe('CompleteAbort'), WAIT)
    const { producerId, producerEpoch } = (await checkout())!
    expect(cluster.describe().transactions).toContainEqual(expect.objectContaining({ transactionalId: 'checkout', producerId, producerEpoch }))
    expect(cluster.describeText()).toMatch(/^transaction checkout: CompleteAbort, producer \d+ epoch \d+$/m)

    // read_committed, as any consumer: the committed record shows, the aborted one never does.
    await vi.waitFor(async () => expect((await state()).records.map((r) => r.key)).toContain('order-1'), WAIT)
    expect((await state()).records.map((r) => r.key)).not.toContain('order-2')
  })

  it('shows records an application in the same process produced, with the partition murmur2 chose', async () => {
    cluster = new Cluster({ brokers: 1, seed: 8, numPartitions: 4 })
    ui = await cluster.console({ port: 0 })
    const producer = await appProducer(cluster)
    await producer.send({ topic: 'signups', messages: [{ key: 'customer-7', value: 'SignedUp' }, { key: null, value: 'keyless' }] })

    const predicted = toPositive(murmur2(Buffer.from('customer-7'))) % 4
    await vi.waitFor(async () => expect((await state()).records).toHaveLength(2), WAIT)
    const [keyed, keyless] = (await state()).records.slice().sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : 0))
    expect(keyed).toMatchObject({ topic: 'signups', key: 'customer-7', hash: murmur2(Buffer.from('customer-7')), partition: predicted, offset: '0', value: 'SignedUp' })
    expect(keyed!.why).toBe(`toPositive(murmur2("customer-7")) = ${toPositive(murmur2(Buffer.from('customer-7')))}, % 4 partitions = ${predicted}`)
    expect(keyless).toMatchObject({ key: null, hash: null, value: 'keyless' })
    expect(keyless!.why).toMatch(/^no key: /)
  })

  it('shows records the real KafkaJS sent over the wire listener, and says when the producer chose the partition itself', async () => {
    tcp = await tcpKafka({ numPartitions: 6 })
    ui = await tcp.cluster.console({ port: 0 })
    const producer = tcp.kafka.producer()
    producers.push(producer)
    await producer.connect()
    const key = 'order-42'
    const predicted = toPositive(murmur2(Buffer.from(key))) % 6
    const elsewhere = (predicted + 1) % 6
    await producer.send({ topic: 'orders', messages: [{ key, value: 'by hash' }, { key, value: 'pinned', partition: elsewhere }] })

    await vi.waitFor(async () => expect((await state()).records.filter((r) => r.key === key)).toHaveLength(2), WAIT)
    const records = (await state()).records.filter((r) => r.key === key)
    expect(records.find((r) => r.value === 'by hash')).toMatchObject({ topic: 'orders', partition: predicted })
    const pinned = records.find((r) => r.value === 'pinned')
    expect(pinned).toMatchObject({ topic: 'orders', partition: elsewhere })
    expect(pinned!.why).toMatch(new RegExp(`= ${predicted}, but it is in ${elsewhere}: the producer chose the partition itself`))
  })

  it("shows a group's lag per partition: the partition's high watermark less the group's committed offset", async () => {
    cluster = new Cluster({ brokers: 1, seed: 5 })
    ui = await cluster.console({ port: 0 })
    const producer = await appProducer(cluster)
    await producer.send({ topic: 'invoices', messages: ['a', 'b', 'c', 'd', 'e'].map((value) => ({ value, partition: 0 })) })
    const admin = new Kafka({ clientId: 'ops', cluster, logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
    await admin.setOffsets({ groupId: 'billing', topic: 'invoices', partitions: [{ partition: 0, offset: '2' }] })
    await admin.disconnect()
    const billing = async () => (await state()).groups.find((g) => g.groupId === 'billing')
    await vi.waitFor(async () => expect((await billing())?.offsets).toEqual([{ topic: 'invoices', partition: 0, committed: 2, lag: 3 }]), WAIT)
  })

  it('keeps groups and log starts fresh while a leader refuses ListOffsets (OFFSET_NOT_AVAILABLE, a new leader whose high watermark lags)', async () => {
    cluster = new Cluster({ brokers: 1, seed: 5 })
    const producer = await appProducer(cluster)
    await producer.send({ topic: 'invoices', messages: ['a', 'b', 'c'].map((value) => ({ value, partition: 0 })) })
    const admin = new Kafka({ clientId: 'ops', cluster, logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
    await admin.deleteTopicRecords({ topic: 'invoices', partitions: [{ partition: 0, offset: '1' }] })
    await admin.setOffsets({ groupId: 'billing', topic: 'invoices', partitions: [{ partition: 0, offset: '2' }] })
    await admin.disconnect()
    const unsettled = cluster.transport.hooks.add({ api: 'ListOffsets', action: { type: 'fail', errorCode: 78 } })
    ui = await cluster.console({ port: 0 })
    await vi.waitFor(async () => {
      const s = await state()
      expect(s.logStart['invoices-0']).toBe('1')
      expect(s.groups.find((g) => g.groupId === 'billing')?.offsets).toEqual([{ topic: 'invoices', partition: 0, committed: 2, lag: 1 }])
    }, WAIT)
    // The console's own readers look their start offsets up too: let them, so that closing does not wait out their retries.
    unsettled.remove()
  })
})

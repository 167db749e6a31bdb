/**
 * Producer state over long runs, on virtual time: partitions forget idempotent producers after
 * `producer.id.expiration.ms` (KIP-854) and the transaction coordinator forgets transactional ids
 * after `transactional.id.expiration.ms`, so memory stays bounded; a producer that comes back
 * after its state expired loses nothing and duplicates nothing.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, VirtualClock, logLevel } from 'kafkalite'
import type { Producer } from 'kafkalite'
import { brokerSideOf } from '../../src/cluster.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

async function setup(options: { producerIdExpirationMs?: number; transactionalIdExpirationMs?: number } = {}) {
  const clock = new VirtualClock()
  // One broker (no follower long-polls) and hourly checks keep days of virtual time to a few hundred timer firings.
  // The log cleaner's too: at its default 15 s it fired 115,000 times in the 20-day test, most of this file's CPU.
  const cluster = new Cluster({
    clock,
    seed: 11,
    replicaLagTimeMaxMs: 2 * HOUR,
    logRetentionCheckIntervalMs: HOUR,
    logCleanerBackoffMs: HOUR,
    offsetsRetentionCheckIntervalMs: HOUR,
    producerIdExpirationCheckIntervalMs: HOUR,
    transactionRemoveExpiredTransactionCleanupIntervalMs: HOUR,
    ...options,
  })
  const kafka = new Kafka({ clientId: 'shop', cluster, logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await clock.run(admin.connect())
  await clock.run(admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '-1' }] }] }))
  const fleet = brokerSideOf(cluster)
  /** The most producers any partition keeps state for. */
  const producerStates = () => {
    let max = 0
    for (const replica of fleet.broker(0).replicas()) max = Math.max(max, replica.producers.producerCount)
    return max
  }
  const values = async () => {
    const offsets = await clock.run(admin.fetchTopicOffsets('orders'))
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0)
  }
  const send = (producer: Producer, from: number, count: number) =>
    clock.run(producer.send({ topic: 'orders', messages: Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: `${from + i}` })) }))
  return { clock, cluster, kafka, admin, fleet, producerStates, values, send }
}

describe('producer state expiration', () => {
  it('an idempotent producer idle for producer.id.expiration.ms is forgotten and writes again without loss or duplicates', async () => {
    const t = await setup()
    const producer = t.kafka.producer({ idempotent: true })
    await t.clock.run(producer.connect())
    await t.send(producer, 0, 10)
    expect(t.producerStates()).toBe(1)
    await t.clock.advance(DAY - 2 * HOUR)
    expect(t.producerStates()).toBe(1)
    await t.clock.advance(3 * HOUR)
    expect(t.producerStates()).toBe(0)
    // The broker has no state for it and accepts its next sequences (KIP-360): nothing is rejected, lost or repeated.
    await t.send(producer, 10, 10)
    expect(t.producerStates()).toBe(1)
    expect(await t.values()).toBe(20)
    await t.clock.run(producer.disconnect())
  })

  it('a transactional id idle for transactional.id.expiration.ms is forgotten; its producer aborts the transaction that found out and the next one commits', async () => {
    const t = await setup()
    const producer = t.kafka.producer({ transactionalId: 'billing-tx', maxInFlightRequests: 1, idempotent: true })
    await t.clock.run(producer.connect())
    const commitOne = async (from: number) => {
      const txn = await t.clock.run(producer.transaction())
      await t.send(txn as unknown as Producer, from, 5)
      await t.clock.run(txn.commit())
    }
    await commitOne(0)
    expect(t.fleet.transactionCoordinator.transactionalIdCount).toBe(1)
    await t.clock.advance(7 * DAY + 2 * HOUR)
    expect(t.fleet.transactionCoordinator.transactionalIdCount).toBe(0)

    const txn = await t.clock.run(producer.transaction())
    const failed = await t.clock.run(txn.send({ topic: 'orders', messages: [{ key: 'x', value: 'lost' }] }).then(() => undefined, (e: unknown) => e))
    expect((failed as Error & { cause?: { type?: string } }).cause?.type ?? (failed as { type?: string }).type).toBe('INVALID_PRODUCER_ID_MAPPING')
    await t.clock.run(txn.abort())
    await commitOne(5)
    expect(t.fleet.transactionCoordinator.transactionalIdCount).toBe(1)
    // Five committed, the aborted record never written, five committed: a read_committed reader sees ten.
    const consumer = t.kafka.consumer({ groupId: 'audit' })
    const seen: string[] = []
    await t.clock.run(consumer.connect())
    await t.clock.run(consumer.subscribe({ topics: ['orders'], fromBeginning: true }))
    await t.clock.run(consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) }))
    await t.clock.runUntil(() => seen.length >= 10)
    await t.clock.advance(10_000)
    expect(seen.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i))
    await t.clock.run(Promise.all([consumer.disconnect(), producer.disconnect()]))
  })

  it('memory stays bounded: 120 producers over 20 days never leave more producer state than the last expiration window wrote', async () => {
    const t = await setup({ producerIdExpirationMs: DAY, transactionalIdExpirationMs: 2 * DAY })
    const EVERY = 4 * HOUR
    let peakProducers = 0
    let peakTransactionalIds = 0
    for (let i = 0; i < 120; i++) {
      const transactional = i % 2 === 0
      const producer = t.kafka.producer(transactional ? { transactionalId: `tx-${i}`, maxInFlightRequests: 1, idempotent: true } : { idempotent: true })
      await t.clock.run(producer.connect())
      if (transactional) {
        const txn = await t.clock.run(producer.transaction())
        await t.send(txn as unknown as Producer, i * 2, 2)
        await t.clock.run(txn.commit())
      } else {
        await t.send(producer, i * 2, 2)
      }
      await t.clock.run(producer.disconnect())
      await t.clock.advance(EVERY)
      peakProducers = Math.max(peakProducers, t.producerStates())
      peakTransactionalIds = Math.max(peakTransactionalIds, t.fleet.transactionCoordinator.transactionalIdCount)
    }
    // One producer every 4 hours: at most a day (plus one check interval) of them on a partition, two days of transactional ids.
    expect(peakProducers).toBeLessThanOrEqual(Math.ceil((DAY + HOUR) / EVERY) + 1)
    expect(peakTransactionalIds).toBeLessThanOrEqual(Math.ceil((2 * DAY + HOUR) / EVERY / 2) + 1)
    // Without expiration there would be up to 120 of each: the window was reached.
    expect(peakProducers).toBeGreaterThanOrEqual(3)
    console.info(`producer state over 20 days, one producer every 4 h: peak ${peakProducers} producers on a partition, peak ${peakTransactionalIds} transactional ids`)
  })
})

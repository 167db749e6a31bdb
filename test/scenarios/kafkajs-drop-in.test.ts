import { createRequire } from 'node:module'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as kafkalite from 'kafkalite/kafkajs'
import { murmur2, toPositive } from '../../src/client/murmur2.js'
import { VirtualClock } from '../../src/time/virtual-clock.js'
import * as app from './fixtures/kafkajs-order-app.js'

// The only change the app's test needs: KafkaJS is swapped for kafkalite's drop-in.
vi.mock('kafkajs', () => import('kafkalite/kafkajs'))

const realKafkajs = createRequire(import.meta.url)('kafkajs') as Record<string, unknown>

describe('a KafkaJS app through kafkalite/kafkajs', () => {
  let clock: VirtualClock
  beforeEach(() => {
    clock = new VirtualClock()
    kafkalite.resetDefaultCluster({ brokers: 1, clock, seed: 3 })
  })

  it('creates its topic, produces keyed orders, and consumes each once per group', async () => {
    expect(await clock.run(app.setUpTopics())).toBe(true)
    const orders = Array.from({ length: 12 }, (_, i) => ({ id: `order-${1000 + i}`, amount: i * 10 }))
    expect(await clock.run(app.placeOrders(orders))).toBeGreaterThan(0)

    const seen: app.ConsumedOrder[] = []
    const billing = await clock.run(app.startOrderConsumer('billing', (c) => seen.push(c)))
    const shipping = await clock.run(app.startOrderConsumer('shipping', (c) => seen.push(c)))
    await clock.runUntil(() => seen.length === 2 * orders.length)

    for (const groupId of ['billing', 'shipping']) {
      const mine = seen.filter((c) => c.groupId === groupId)
      expect(mine.map((c) => c.order.id).sort()).toEqual(orders.map((o) => o.id).sort())
      // Each order is on the partition Java's and KafkaJS's DefaultPartitioner give its key.
      for (const c of mine) expect(c.partition).toBe(toPositive(murmur2(c.order.id)) % 3)
      // Per partition, offsets arrive in order.
      for (const partition of [0, 1, 2]) {
        const offsets = mine.filter((c) => c.partition === partition).map((c) => Number(c.offset))
        expect(offsets).toEqual([...offsets].sort((a, b) => a - b))
      }
    }

    // Offsets get committed: the next offset to read, per partition.
    await clock.advance(5000)
    const committed = await clock.run(app.committedOffsets('billing'))
    for (const { partition, offset } of committed) {
      expect(Number(offset)).toBe(seen.filter((c) => c.groupId === 'billing' && c.partition === partition).length)
    }
    await clock.run(Promise.all([billing.disconnect(), shipping.disconnect()]))
  })

  it('starts clean after resetDefaultCluster', async () => {
    await clock.run(app.setUpTopics())
    kafkalite.resetDefaultCluster({ brokers: 1, clock, seed: 3 })
    // The topic is gone, so creating it again reports true, as on a fresh cluster.
    expect(await clock.run(app.setUpTopics())).toBe(true)
  })
})

describe('kafkalite/kafkajs exports', () => {
  it('exports every runtime name the real kafkajs package exports', () => {
    const missing = Object.keys(realKafkajs).filter((name) => !(name in kafkalite))
    expect(missing).toEqual([])
  })

  it.each(['CompressionTypes', 'ConfigResourceTypes', 'ConfigSource', 'AclResourceTypes', 'AclOperationTypes', 'AclPermissionTypes', 'ResourcePatternTypes', 'logLevel'])(
    '%s has KafkaJS values',
    (name) => {
      expect((kafkalite as Record<string, unknown>)[name]).toEqual(realKafkajs[name])
    },
  )

  it('exports the same error class names, with the same names at runtime', () => {
    for (const name of Object.keys(realKafkajs).filter((n) => n.startsWith('KafkaJS'))) {
      const ours = (kafkalite as Record<string, unknown>)[name] as new (...args: never[]) => Error
      const theirs = realKafkajs[name] as new (...args: never[]) => Error
      expect(ours.name, name).toBe(theirs.name)
      expect(Object.getPrototypeOf(ours).name, `${name}'s parent class`).toBe(Object.getPrototypeOf(theirs).name)
    }
  })

  it('has the same Partitioners, CompressionCodecs keys and AssignerProtocol keys', () => {
    expect(Object.keys(kafkalite.Partitioners)).toEqual(Object.keys(realKafkajs.Partitioners as object))
    expect(Object.keys(kafkalite.CompressionCodecs)).toEqual(Object.keys(realKafkajs.CompressionCodecs as object))
    expect(Object.keys(kafkalite.AssignerProtocol)).toEqual(expect.arrayContaining(Object.keys(realKafkajs.AssignerProtocol as object)))
    expect(Object.keys(kafkalite.PartitionAssigners)).toEqual(expect.arrayContaining(Object.keys(realKafkajs.PartitionAssigners as object)))
  })

  it('accepts a KafkaJS config with brokers, ssl and sasl', () => {
    const kafka = new kafkalite.Kafka({ clientId: 'x', brokers: ['a:9092'], ssl: true, sasl: { mechanism: 'plain', username: 'u', password: 'p' }, connectionTimeout: 3000 })
    expect(kafka.producer()).toBeDefined()
  })
})

/** An app that imports KafkaJS's default export (ESM importing a CommonJS package) works under the mock too. */
import { describe, expect, it, vi } from 'vitest'
import kafkajs from 'kafkajs'
import { resetDefaultCluster } from 'kafkalite/kafkajs'
import { VirtualClock } from 'kafkalite'

vi.mock('kafkajs', () => import('kafkalite/kafkajs'))

describe('kafkalite/kafkajs default export', () => {
  it('holds the same Kafka, errors and constants as the named exports', async () => {
    const clock = new VirtualClock()
    resetDefaultCluster({ clock, seed: 3 })
    const { Kafka, KafkaJSProtocolError, logLevel } = kafkajs
    expect(typeof KafkaJSProtocolError).toBe('function')
    const kafka = new Kafka({ clientId: 'default-import', brokers: ['localhost:9092'], logLevel: logLevel.NOTHING })
    const producer = kafka.producer()
    await clock.run(producer.connect())
    const [meta] = await clock.run(producer.send({ topic: 'orders', messages: [{ key: 'order-1', value: 'x' }] }))
    expect(meta?.topicName).toBe('orders')
    await clock.run(producer.disconnect())
  })

  it('holds every value the module exports by name, and nothing else', async () => {
    const { default: defaultExport, ...named } = await import('kafkalite/kafkajs')
    expect(Object.keys(defaultExport).sort()).toEqual(Object.keys(named).sort())
    for (const [name, value] of Object.entries(named)) expect(defaultExport[name as keyof typeof defaultExport]).toBe(value)
  })
})

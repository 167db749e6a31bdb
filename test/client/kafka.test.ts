import { describe, expect, it } from 'vitest'
import { Cluster } from '../../src/cluster.js'
import { KafkaJSNonRetriableError } from '../../src/client/errors.js'
import { Kafka } from '../../src/client/kafka.js'
import { logLevel, type LogEntry } from '../../src/client/logger.js'
import { VirtualClock } from '../../src/time/virtual-clock.js'

describe('Kafka', () => {
  it('needs a cluster, with an error that says how to get one', () => {
    expect(() => new Kafka({ clientId: 'x', brokers: ['localhost:9092'] })).toThrow(KafkaJSNonRetriableError)
    expect(() => new Kafka({ clientId: 'x' })).toThrow(/needs a cluster: pass `cluster: new Cluster\(\)`, or import Kafka from "kafkalite\/kafkajs"/)
    expect(() => new Kafka(undefined as never)).toThrow(KafkaJSNonRetriableError)
  })

  it('rejects a non-positive requestTimeout', () => {
    const cluster = new Cluster({ clock: new VirtualClock(), seed: 1 })
    expect(() => new Kafka({ cluster, requestTimeout: 0 })).toThrow(/requestTimeout must be a positive number/)
  })

  it('accepts KafkaJS network options and makes producers, consumers and admins', () => {
    const cluster = new Cluster({ clock: new VirtualClock(), seed: 1 })
    const kafka = new Kafka({ cluster, clientId: 'c', brokers: ['b:9092'], ssl: true, sasl: {}, connectionTimeout: 1, enforceRequestTimeout: false })
    expect(kafka.producer()).toBeDefined()
    expect(kafka.admin()).toBeDefined()
    expect(kafka.consumer({ groupId: 'g' })).toBeDefined()
  })

  it('logs through logCreator with namespaces, levels and cluster-clock timestamps', () => {
    const clock = new VirtualClock(Date.UTC(2024, 5, 1))
    const cluster = new Cluster({ clock, seed: 1 })
    const entries: LogEntry[] = []
    const kafka = new Kafka({ cluster, logLevel: logLevel.WARN, logCreator: () => (entry) => entries.push(entry) })
    kafka.logger().info('hidden')
    kafka.logger().warn('shown', { extra: 1 })
    kafka.producer().logger().error('from producer')
    expect(entries.map((e) => [e.namespace, e.label, e.log.message])).toEqual([
      ['', 'WARN', 'shown'],
      ['Producer', 'ERROR', 'from producer'],
    ])
    expect(entries[0]!.log).toMatchObject({ timestamp: '2024-06-01T00:00:00.000Z', extra: 1 })
  })
})

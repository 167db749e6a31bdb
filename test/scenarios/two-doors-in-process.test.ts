/**
 * One suite, two doors — the in-process door: the shared KafkaJS scenarios through kafkalite's drop-in client on a
 * system-clock cluster, as an app's own tests run them. test/wire/scenarios-over-tcp.test.ts runs the same scenarios
 * through the real kafkajs over TCP.
 */
import type { Kafka as KafkaJs } from 'kafkajs'
import { describe } from 'vitest'
import { brokerSideOf } from '../../src/cluster.js'
import { Cluster, Kafka, logLevel } from 'kafkalite'
import { kafkajsScenarios, type Door } from './shared/kafkajs-scenarios.js'

async function inProcess(): Promise<Door> {
  const cluster = new Cluster({ brokers: 3, defaultReplicationFactor: 3, minInsyncReplicas: 2, seed: 11 })
  const kafka = new Kafka({ clientId: 'two-doors', cluster, logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 10 } })
  return {
    kafka: kafka as unknown as KafkaJs,
    brokers: 3,
    faults: {
      crashBroker: (id) => cluster.crashBroker(id),
      restartBroker: (id) => cluster.restartBroker(id),
      leaderOf: (topic, partition) => brokerSideOf(cluster).controller.topics.get(topic)!.partitions[partition]!.leader,
    },
    name: (base) => base,
    close: () => cluster.close(),
  }
}

describe('KafkaJS scenarios, in-process door (kafkalite/kafkajs)', () => {
  kafkajsScenarios(inProcess, true)
})

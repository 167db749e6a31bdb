/**
 * One suite, two doors — the wire door: the shared KafkaJS scenarios (test/scenarios/shared/kafkajs-scenarios.ts)
 * through the real, unmocked kafkajs over TCP, against `cluster.listen()`; test/scenarios/two-doors-in-process.test.ts
 * runs the same scenarios in-process.
 *
 * `KAFKALITE_TEST_BROKERS=host:port[,host:port]` points the suite at any Kafka-compatible cluster instead (a real
 * Kafka, Redpanda): the scenarios run unchanged, on names unique to the run, and the ones that need kafkalite's fault
 * API are skipped with a message saying so.
 */
import { Kafka, logLevel } from 'kafkajs'
import { describe } from 'vitest'
import { brokerSideOf, Cluster } from '../../src/cluster.js'
import { kafkajsScenarios, type Door } from '../scenarios/shared/kafkajs-scenarios.js'

const EXTERNAL = process.env['KAFKALITE_TEST_BROKERS']?.split(',').filter((b) => b.length > 0)

function client(brokers: string[]): Kafka {
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1'
  return new Kafka({ clientId: 'two-doors-tcp', brokers, logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 10 } })
}

/** kafkalite behind its listener: a fresh three-broker cluster per scenario, with its fault API. */
async function overTcp(): Promise<Door> {
  const cluster = new Cluster({ brokers: 3, defaultReplicationFactor: 3, minInsyncReplicas: 2, seed: 11 })
  const listener = await cluster.listen({ port: 0, log: () => undefined })
  return {
    kafka: client([...listener.brokers]),
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

/** An external cluster: names carry a per-run suffix (its topics outlive the run); no faults. */
const RUN = Date.now().toString(36)
async function external(brokers: string[]): Promise<Door> {
  const kafka = client(brokers)
  const admin = kafka.admin()
  await admin.connect()
  const described = await admin.describeCluster()
  await admin.disconnect()
  return { kafka, brokers: described.brokers.length, faults: null, name: (base) => `kafkalite-${RUN}-${base}`, close: async () => undefined }
}

describe(EXTERNAL === undefined ? 'KafkaJS scenarios, wire door (kafkajs over TCP against cluster.listen())' : `KafkaJS scenarios, wire door (kafkajs over TCP against ${EXTERNAL.join(',')})`, () => {
  kafkajsScenarios(EXTERNAL === undefined ? overTcp : () => external(EXTERNAL), EXTERNAL === undefined)
})

import { Cluster } from '../../../src/cluster.js'
import { Kafka } from '../../../src/client/kafka.js'
import { VirtualClock } from '../../../src/time/virtual-clock.js'

/** A cluster on virtual time with a connected admin and producer. */
export async function adminSetup(options: { brokers?: number; autoCreateTopics?: boolean } = {}) {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: options.brokers ?? 1, clock, seed: 7, autoCreateTopics: options.autoCreateTopics })
  const kafka = new Kafka({ clientId: 'admin-test', cluster, logLevel: 0 })
  const admin = kafka.admin()
  await clock.run(admin.connect())
  const producer = kafka.producer()
  await clock.run(producer.connect())
  return { clock, cluster, kafka, admin, producer, run: <T>(p: Promise<T>) => clock.run(p), fail: (p: Promise<unknown>) => clock.run(p).then(() => undefined, (e) => e) }
}

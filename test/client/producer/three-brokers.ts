/** A 3-broker cluster (min.insync.replicas 2) on virtual time, with a connected admin and producer and topic `t` (3 partitions, RF 3). */
import { Cluster } from '../../../src/cluster.js'
import { Kafka } from '../../../src/client/kafka.js'
import { VirtualClock } from '../../../src/time/virtual-clock.js'

export async function threeBrokers(seed: number) {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: 3, clock, seed, minInsyncReplicas: 2 })
  const kafka = new Kafka({ clientId: 'failover', cluster, logLevel: 0 })
  const admin = kafka.admin()
  const producer = kafka.producer()
  await clock.run(admin.connect())
  await clock.run(producer.connect())
  await clock.run(admin.createTopics({ topics: [{ topic: 't', numPartitions: 3, replicationFactor: 3 }] }))
  return { clock, cluster, kafka, admin, producer }
}

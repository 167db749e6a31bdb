/**
 * Leader failover, step by step: three brokers, a topic with three replicas and
 * min.insync.replicas=2, a producer writing with acks=all and a consumer group reading. The
 * leader of partition 0 crashes; the controller elects a new leader from the ISR, the clients
 * find it through Metadata, and no acknowledged record is lost. Then the old leader comes back,
 * catches up and rejoins the ISR.
 *
 * Run it with `npx tsx examples/failover/main.ts`.
 */
import { Cluster, Kafka, VirtualClock, logLevel } from '../../src/index.js'

const clock = new VirtualClock()
const cluster = new Cluster({ brokers: 3, clock, seed: 7, defaultReplicationFactor: 3, minInsyncReplicas: 2 })
const kafka = new Kafka({ clientId: 'failover-demo', cluster, logLevel: logLevel.NOTHING })
const say = (text: string) => console.log(`[t=${String(clock.now() - Date.UTC(2024, 0, 1)).padStart(6)} ms] ${text}`)
const show = () => console.log(cluster.describeText().replace(/^/gm, '    '))

const admin = kafka.admin()
await clock.run(admin.connect())
await clock.run(admin.createTopics({ topics: [{ topic: 'payments', numPartitions: 1 }] }))
say('created topic "payments": 1 partition, 3 replicas, min.insync.replicas=2')
show()

const producer = kafka.producer()
await clock.run(producer.connect())
const acknowledged: string[] = []
const send = async (value: string) => {
  await clock.run(producer.send({ topic: 'payments', acks: -1, messages: [{ key: 'account-1', value }] }))
  acknowledged.push(value)
}
for (let i = 1; i <= 5; i++) await send(`payment-${i}`)
say(`producer: ${acknowledged.length} records acknowledged by every in-sync replica (acks=all)`)

const received: string[] = []
const consumer = kafka.consumer({ groupId: 'ledger' })
await clock.run(consumer.connect())
await clock.run(consumer.subscribe({ topics: ['payments'], fromBeginning: true }))
await clock.run(consumer.run({ eachMessage: async ({ message }) => void received.push(message.value!.toString()) }))
await clock.runUntil(() => received.length === 5)
say(`consumer group "ledger" read ${received.length} records`)

const leader = cluster.describe().partitions.find((p) => p.topic === 'payments')!.leader
cluster.crashBroker(leader)
say(`broker ${leader}, the leader of payments-0, crashes`)
show()

for (let i = 6; i <= 10; i++) await send(`payment-${i}`)
const newLeader = cluster.describe().partitions.find((p) => p.topic === 'payments')!.leader
say(`producer found the new leader (broker ${newLeader}) through Metadata and kept writing: ${acknowledged.length} acknowledged`)
await clock.runUntil(() => received.length >= 10)
say(`consumer followed the leader too: ${received.length} records read`)

cluster.restartBroker(leader)
await clock.runUntil(() => cluster.describe().partitions.find((p) => p.topic === 'payments')!.isr.length === 3, { maxMs: 60_000 })
say(`broker ${leader} restarted, checked its log against the new leader's (KIP-101), caught up and rejoined the ISR`)
show()

const lost = acknowledged.filter((value) => !received.includes(value))
say(lost.length === 0 ? 'no acknowledged record was lost' : `LOST: ${lost.join(', ')}`)
await clock.run(consumer.disconnect())
await clock.run(producer.disconnect())
await clock.run(admin.disconnect())
process.exitCode = lost.length === 0 ? 0 : 1

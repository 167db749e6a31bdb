/**
 * A failover over TCP: the unmocked KafkaJS producer sends with acks=all while the partition leader's broker
 * crashes (its connections are reset) and later restarts. Every send and a final full read are recorded and checked
 * with the history checker: no acknowledged record is lost while min.insync.replicas (2 of 3) brokers survive.
 */
import { brokerSideOf } from '../../src/cluster.js'
import { checkHistory, formatReport, History } from 'kafkalite'
import { afterEach, describe, expect, it } from 'vitest'
import { condition, tcpKafka, type TcpKafka } from './tcp-kafka.js'

let env: TcpKafka | undefined

afterEach(async () => {
  await env?.close()
  env = undefined
})

const TOPIC = 'ledger'

describe('failover over TCP', () => {
  it('no record acknowledged with acks=all is lost while the leader’s broker crashes and restarts', async () => {
    env = await tcpKafka({ numPartitions: 1 })
    const { cluster, kafka } = env
    const history = new History({ now: () => cluster.clock.now() })
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 3 }] })
    await admin.disconnect()
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 20, initialRetryTime: 50 } })
    await producer.connect()
    let crashed = -1
    for (let i = 0; i < 60; i++) {
      if (i === 20) {
        crashed = brokerSideOf(cluster).controller.topics.get(TOPIC)!.partitions[0]!.leader
        cluster.crashBroker(crashed)
        history.record({ type: 'fault', process: 'nemesis', description: `crash broker ${crashed}` })
      }
      if (i === 40) {
        cluster.restartBroker(crashed)
        history.record({ type: 'fault', process: 'nemesis', description: `restart broker ${crashed}` })
      }
      const value = `entry-${i}`
      try {
        const [meta] = await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: `k${i}`, value }] })
        history.record({ type: 'send', process: 'producer', topic: TOPIC, key: `k${i}`, value, outcome: { type: 'ok', partition: meta!.partition, offset: Number(meta!.baseOffset) } })
      } catch (error) {
        history.record({ type: 'send', process: 'producer', topic: TOPIC, key: `k${i}`, value, outcome: { type: 'info', error: (error as Error).message } })
      }
    }
    await producer.disconnect()
    expect(brokerSideOf(cluster).controller.topics.get(TOPIC)!.partitions[0]!.leader).not.toBe(crashed)

    const consumer = kafka.consumer({ groupId: 'auditor', maxWaitTimeInMs: 100, heartbeatInterval: 300 })
    await consumer.connect()
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true })
    let read = 0
    const sent = history.operations().filter((op) => op.type === 'send' && op.outcome.type === 'ok').length
    const all = condition(() => read >= sent)
    await consumer.run({
      eachBatch: async ({ batch }) => {
        history.record({
          type: 'poll',
          process: 'auditor',
          records: batch.messages.map((m) => ({ topic: TOPIC, partition: batch.partition, offset: Number(m.offset), key: m.key?.toString() ?? null, value: m.value!.toString() })),
        })
        read += batch.messages.length
        all.check()
      },
    })
    await all.promise
    await consumer.disconnect()
    const report = checkHistory(history)
    expect(sent).toBeGreaterThanOrEqual(55)
    expect(report.valid, formatReport(report)).toBe(true)
  }, 60_000)
})

/**
 * Defect 9 of issue 8, through the public API: a consumer with `deadLetter` keeps reading a partition whose leader
 * crashed. Its dead-letter publisher looks up the dead-letter topic's metadata through the consumer's own client;
 * that partial answer once marked the whole metadata cache fresh while the subscribed partition still named the
 * crashed leader, so the partition went unread until `metadataMaxAge` (300 s) ran out.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, logLevel, VirtualClock } from 'kafkalite'

const TOPIC = 'orders'
const DLT = 'orders-dlt'

describe('a consumer with a dead-letter topic, when a partition leader crashes', () => {
  it('resumes reading the partition within seconds, while it keeps dead-lettering records of another partition', async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 3, clock, seed: 3, defaultReplicationFactor: 3, minInsyncReplicas: 2 })
    const kafka = new Kafka({ clientId: 'shop', cluster, logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await clock.run(admin.connect())
    await clock.run(admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }, { topic: DLT, numPartitions: 2 }], waitForLeaders: true }))
    const leaderOf = (partition: number): number => cluster.describe().partitions.find((p) => p.topic === TOPIC && p.partition === partition)!.leader
    const crashed = leaderOf(0)
    // The other partition must stay readable, to keep the dead-letter publisher busy after the crash.
    expect(leaderOf(1), 'setup: the partitions need different leaders').not.toBe(crashed)

    const producer = kafka.producer()
    await clock.run(producer.connect())
    const received: string[] = []
    const consumer = kafka.consumer({ groupId: 'fulfilment', maxWaitTimeInMs: 100 })
    await clock.run(consumer.connect())
    await clock.run(consumer.subscribe({ topics: [TOPIC], fromBeginning: true }))
    await clock.run(
      consumer.run({
        deadLetter: { topic: DLT },
        eachMessage: async ({ message }) => {
          const value = message.value!.toString()
          if (value.startsWith('bad')) throw new Error(`cannot handle ${value}`)
          received.push(value)
        },
      }),
    )
    await clock.run(producer.send({ topic: TOPIC, acks: -1, messages: [{ value: 'good-before', partition: 0 }] }))
    await clock.runUntil(() => received.includes('good-before'), { maxMs: 30_000 })

    cluster.crashBroker(crashed)
    const crashedAt = clock.now()
    // Records that fail on partition 1 make the consumer's dead-letter publisher ask for the dead-letter topic's metadata.
    const badOnes = (async () => {
      for (let i = 0; i < 20; i++) {
        await producer.send({ topic: TOPIC, acks: -1, messages: [{ value: `bad-${i}`, partition: 1 }] })
        await clock.sleep(500)
      }
    })()
    await clock.run(producer.send({ topic: TOPIC, acks: -1, messages: [{ value: 'good-after', partition: 0 }] }))
    await clock.runUntil(() => received.includes('good-after'), { maxMs: 60_000 }).catch(() => undefined)
    const resumedAfter = clock.now() - crashedAt
    expect(received, `partition 0 not read again ${resumedAfter} ms after its leader crashed`).toContain('good-after')
    // Well under metadataMaxAge (300 s): the client refreshes as soon as the leader is gone (about 0.3 s here; before
    // the fix the partition was still unread after 60 s).
    expect(resumedAfter).toBeLessThan(10_000)

    await clock.run(badOnes)
    await clock.run(Promise.all([consumer.disconnect(), producer.disconnect(), admin.disconnect()]))
  })
})

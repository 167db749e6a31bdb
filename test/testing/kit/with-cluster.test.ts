import { describe, expect, it } from 'vitest'
import type { Cluster, Kafka } from 'kafkalite'
import { formatHistory, recordConsumer, recordProducer, withCluster, type FaultSchedule } from 'kafkalite/testing'

describe('withCluster', () => {
  it('runs the body on virtual time with the clock driven, and closes the cluster afterwards', async () => {
    let seen: Cluster | undefined
    const waited = await withCluster({ brokers: 1, seed: 5 }, async (cluster, _kafka, { clock }) => {
      seen = cluster
      const before = clock.now()
      await clock.sleep(30_000)
      return clock.now() - before
    })
    expect(waited).toBe(30_000)
    expect(seen!.closed).toBe(true)
  })

  it('applies the schedule after setup, records its steps, and on failure names the seed, the schedule and the history', async () => {
    const schedule: FaultSchedule = { brokers: 3, steps: [{ kind: 'crash', broker: 1, powerLoss: false }, { kind: 'wait', ms: 100 }] }
    let cluster: Cluster | undefined
    let setupSawBrokerUp = false
    const failure = await withCluster(
      { brokers: 3, seed: 77, schedule, setup: async (c) => void (setupSawBrokerUp = c.liveBrokerIds().includes(1)) },
      async (c, _kafka, { clock }) => {
        cluster = c
        await clock.sleep(50)
        expect(c.liveBrokerIds().includes(1), 'the schedule crashed broker 1').toBe(true)
      },
    ).then(
      () => undefined,
      (e: unknown) => e as Error,
    )
    expect(setupSawBrokerUp).toBe(true)
    expect(failure?.message).toContain('the schedule crashed broker 1')
    expect(failure?.message).toContain('kafkalite cluster seed: 77')
    expect(failure?.message).toContain('1. crash 1')
    expect(failure?.message).toContain('nemesis crash 1')
    expect(cluster!.closed).toBe(true)
  })

  it('the same seed and schedule replay the same run: no state survives between runs', async () => {
    const run = () =>
      withCluster(
        {
          brokers: 3,
          seed: 9,
          schedule: { brokers: 3, steps: [{ kind: 'crash', broker: 0, powerLoss: true }, { kind: 'wait', ms: 500 }] },
          setup: async (_cluster, kafka) => {
            const admin = kafka.admin()
            await admin.connect()
            await admin.createTopics({ topics: [{ topic: 't', numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true })
            await admin.disconnect()
          },
        },
        async (cluster, _kafka, { clock, recording }) => {
          await clock.sleep(1000)
          return { leaders: cluster.describe().partitions.map((p) => p.leader), ops: recording.history.length }
        },
      )
    expect(await run()).toEqual(await run())
  })

  it('a run that fails with its clients still busy leaks nothing into the next: the run after it equals a fresh one', async () => {
    const setup = async (_cluster: Cluster, kafka: Kafka) => {
      const admin = kafka.admin()
      await admin.connect()
      await admin.createTopics({ topics: [{ topic: 't', numPartitions: 2, replicationFactor: 3 }], waitForLeaders: true })
      await admin.disconnect()
    }
    /**
     * Five keyless sends (the partitioner draws on the cluster's seeded random) read back by a group member; the
     * result is the replica placement and the whole recorded history (times, partitions, offsets, generations).
     */
    const clean = () =>
      withCluster({ brokers: 3, seed: 21, setup }, async (cluster, kafka, { clock, recording }) => {
        const producer = recordProducer(kafka.producer(), recording)
        await producer.connect()
        for (let i = 0; i < 5; i++) await producer.send({ topic: 't', messages: [{ value: `v${i}` }] })
        const consumer = recordConsumer(kafka.consumer({ groupId: 'g' }), recording)
        await consumer.connect()
        await consumer.subscribe({ topics: ['t'], fromBeginning: true })
        await consumer.run({ eachMessage: async () => undefined })
        while (recording.deliveries.length < 5) await clock.sleep(100)
        return `${cluster.describeText()}\n${formatHistory(recording.history)}`
      })
    const listeners = () => ['unhandledRejection', 'uncaughtException', 'exit'].map((event) => process.listenerCount(event))
    const before = listeners()
    const fresh = await clean()

    // A run that throws mid-way: a consumer fetching, a producer with sends in flight, a hook, a crashed broker.
    let dirty: Cluster | undefined
    const failed = await withCluster(
      { brokers: 3, seed: 21, setup, schedule: { brokers: 3, steps: [{ kind: 'crash', broker: 2, powerLoss: true }, { kind: 'wait', ms: 60_000 }] } },
      async (cluster, kafka, { clock }) => {
        dirty = cluster
        cluster.transport.hooks.add({ api: 'Produce', action: { type: 'delay', ms: 20_000 } })
        const consumer = kafka.consumer({ groupId: 'g' })
        await consumer.connect()
        await consumer.subscribe({ topics: ['t'], fromBeginning: true })
        await consumer.run({ eachMessage: async () => undefined })
        const producer = kafka.producer()
        await producer.connect()
        void producer.send({ topic: 't', messages: [{ value: 'in flight' }] }).catch(() => undefined)
        await clock.sleep(500)
        throw new Error('the body failed with its clients busy')
      },
    ).then(
      () => undefined,
      (e: unknown) => e as Error,
    )
    expect(failed?.message).toContain('the body failed with its clients busy')
    expect(dirty!.closed).toBe(true)

    expect(await clean()).toBe(fresh)
    expect(listeners()).toEqual(before)
  })
})

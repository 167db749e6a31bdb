/**
 * The consumer's promise budget (issue 11): a single record's way from `send` to the `eachMessage` handler
 * crosses a fetch, a batch and a commit, and every promise on that way is an allocation per record that
 * the young heap pays for (and a scavenge every few hundred records is what sets the latency's p99).
 * Counted with V8's promise hooks around warmed-up round trips that need no cluster time.
 */
import { promiseHooks } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, VirtualClock, logLevel } from 'kafkalite'

/**
 * Promises per round trip: a single-record acks=all send (3 brokers, replication factor 3) until the eachMessage
 * handler has it, the test's own awaits included. Measured: 63.4 (the send's 24 of `promise-budget.test.ts`, the
 * consumer's fetch answer through the transport and the broker router, the batch on the workers, the handler and
 * its await, the batch's auto-commit as a request and its append to the offsets topic, and the next fetch parked at
 * the broker). It was 79.1 while every fetch awaited its metadata, seeks and committed offsets whether or not they
 * had work, and every batch its heartbeat. Any promise more fails the test.
 */
const ROUND_TRIP_BUDGET = 64
/**
 * Promises per message delivered to eachMessage from large batches: the handler's own and the runner's `await` of
 * it (V8 makes a throwaway promise per await, which the hooks count), as in the bench's limit pipeline.
 */
const PER_MESSAGE_BUDGET = 2.05

async function consumerOn(clock: VirtualClock) {
  const cluster = new Cluster({ brokers: 3, clock, seed: 5, defaultReplicationFactor: 3, minInsyncReplicas: 2 })
  const kafka = new Kafka({ clientId: 'budget', cluster, logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await clock.run(admin.connect())
  await clock.run(admin.createTopics({ topics: [{ topic: 'budget', numPartitions: 1, replicationFactor: 3 }] }))
  await clock.run(admin.disconnect())
  const producer = kafka.producer()
  const consumer = kafka.consumer({ groupId: 'budget' })
  await clock.run(producer.connect())
  await clock.run(consumer.connect())
  await clock.run(consumer.subscribe({ topics: ['budget'], fromBeginning: true }))
  return { cluster, producer, consumer }
}

describe('consumer promise budget', () => {
  it(`a single-record round trip, acks=all send to eachMessage handler, creates at most ${ROUND_TRIP_BUDGET} promises`, async () => {
    const clock = new VirtualClock()
    const { producer, consumer } = await consumerOn(clock)
    let arrived: (() => void) | undefined
    await clock.run(consumer.run({ eachMessage: async () => arrived?.() }))
    const roundTrip = async (i: number) => {
      const seen = new Promise<void>((resolve) => (arrived = resolve))
      await producer.send({ topic: 'budget', acks: -1, messages: [{ key: `k${i}`, value: 'v' }] })
      await seen
    }
    for (let i = 0; i < 20; i++) await clock.run(roundTrip(i))
    // A fetch loop yields 1 ms after 64 rounds in which no time passed: time moves once here, and fewer trips follow.
    await clock.advance(1)
    let created = 0
    const stop = promiseHooks.onInit(() => void created++)
    const trips = 40
    try {
      // No clock.run: a warmed-up round trip needs no cluster time (the consumer's fetch is parked at the broker).
      for (let i = 0; i < trips; i++) await roundTrip(i)
    } finally {
      stop()
    }
    await clock.run(consumer.disconnect())
    await clock.run(producer.disconnect())
    expect(created / trips).toBeLessThanOrEqual(ROUND_TRIP_BUDGET)
  })

  it(`eachMessage over large batches creates at most ${PER_MESSAGE_BUDGET} promises per message`, async () => {
    const clock = new VirtualClock()
    const { producer, consumer } = await consumerOn(clock)
    const count = 5000
    for (let i = 0; i < count; i += 500) {
      await clock.run(producer.send({ topic: 'budget', acks: -1, messages: Array.from({ length: 500 }, (_, j) => ({ key: `k${i + j}`, value: 'v' })) }))
    }
    let seen = 0
    let created = 0
    let stop: ReturnType<typeof promiseHooks.onInit> | undefined
    let done!: () => void
    const finished = new Promise<void>((resolve) => (done = resolve))
    await clock.run(
      consumer.run({
        eachMessage: async () => {
          // Counted from the first delivery on, so joining the group is not part of the figure.
          if (seen === 0) stop = promiseHooks.onInit(() => void created++)
          if (++seen === count) done()
        },
      }),
    )
    await clock.run(finished)
    stop?.()
    await clock.run(consumer.disconnect())
    await clock.run(producer.disconnect())
    expect(created / count).toBeLessThanOrEqual(PER_MESSAGE_BUDGET)
  })
})

/**
 * Issue 8, defect 7: bad input that used to get through. Every value here is refused at the call that gave it, with a
 * typed error that says what was wrong, instead of running out of memory, hanging forever, turning the clock's time
 * into a string, firing timers in a tight loop, or killing a consumer with an unrelated TypeError.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, Kafka, KafkaJSNonRetriableError, logLevel, VirtualClock } from 'kafkalite'

function setup() {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: 1, clock, seed: 1 })
  const kafka = new Kafka({ clientId: 'bad-input', cluster, logLevel: logLevel.NOTHING })
  return { clock, cluster, kafka }
}

const HUGE = [2 ** 53, 1e308, 2 ** 31]

describe('bad input is refused with a typed error', () => {
  for (const numPartitions of [2 ** 31, 1e308]) {
    it(`createTopics with numPartitions ${numPartitions}, beyond Kafka's INT32 field: KafkaJSNonRetriableError, nothing created`, async () => {
      const { clock, kafka } = setup()
      const admin = kafka.admin()
      await clock.run(admin.connect())
      const error = await clock.run(admin.createTopics({ topics: [{ topic: 't', numPartitions }] })).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
      expect((error as Error).message).toMatch(/Invalid numPartitions .* fits Kafka's INT32 field/)
      expect(await clock.run(admin.listTopics())).toEqual([])
    })
  }

  for (const numPartitions of [2 ** 31 - 1, 10_001]) {
    it(`createTopics with numPartitions ${numPartitions}: INVALID_PARTITIONS from the broker (kafkalite's cap), nothing created`, async () => {
      const { clock, kafka } = setup()
      const admin = kafka.admin()
      await clock.run(admin.connect())
      const error = (await clock.run(admin.createTopics({ topics: [{ topic: 't', numPartitions }] })).catch((e: unknown) => e)) as { errors?: Array<{ type: string; message: string; detail?: string }> }
      expect(error.errors?.[0]?.type).toBe('INVALID_PARTITIONS')
      expect(error.errors?.[0]?.detail).toMatch(/limit of 10000 per topic/)
      expect(await clock.run(admin.listTopics())).toEqual([])
    })
  }

  for (const numPartitions of [Symbol('many'), 4n, '4']) {
    it(`createTopics with numPartitions ${String(numPartitions)} (${typeof numPartitions}): KafkaJSNonRetriableError`, async () => {
      const { clock, kafka } = setup()
      const admin = kafka.admin()
      await clock.run(admin.connect())
      const error = await clock.run(admin.createTopics({ topics: [{ topic: 't', numPartitions: numPartitions as never }] })).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
      expect((error as Error).message).toMatch(/Invalid numPartitions .* expected an integer/)
    })
  }

  it("clock.advance('1000') from plain JavaScript: TypeError, and now() stays a number", async () => {
    const clock = new VirtualClock()
    const before = clock.now()
    await expect(clock.advance('1000' as never)).rejects.toThrow(TypeError)
    await expect(clock.advance(Infinity)).rejects.toThrow(RangeError)
    expect(() => clock.setTimeout(() => undefined, '5' as never)).toThrow(TypeError)
    await expect(clock.runUntil(() => false, { maxMs: '5' as never })).rejects.toThrow(TypeError)
    expect(clock.now()).toBe(before)
    expect(typeof clock.now()).toBe('number')
  })

  for (const value of HUGE) {
    it(`times of ${value} ms, beyond Kafka's INT32 fields, are refused where they are given`, async () => {
      const { clock, cluster, kafka } = setup()
      expect(() => kafka.consumer({ groupId: 'g', maxWaitTimeInMs: value })).toThrow(/maxWaitTimeInMs must be a number from 0 to 2147483647/)
      expect(() => kafka.consumer({ groupId: 'g', sessionTimeout: value })).toThrow(KafkaJSNonRetriableError)
      expect(() => new Kafka({ cluster, retry: { initialRetryTime: value } })).toThrow(/retry\.initialRetryTime must be a number from 0 to 2147483647/)
      expect(() => new Kafka({ cluster, requestTimeout: value })).toThrow(/requestTimeout must be a positive number of ms up to 2147483647/)
      expect(() => kafka.producer({ retry: { maxRetryTime: value } })).toThrow(KafkaJSNonRetriableError)
      expect(() => kafka.admin({ retry: { initialRetryTime: value } })).toThrow(KafkaJSNonRetriableError)
      const producer = kafka.producer()
      await clock.run(producer.connect())
      await expect(clock.run(producer.send({ topic: 't', timeout: value, messages: [{ value: 'v' }] }))).rejects.toThrow(/Invalid timeout .*2147483647/)
      await clock.run(producer.disconnect())
    })
  }

  for (const value of [Symbol('x'), 10n]) {
    it(`a ${typeof value} in a numeric option is a KafkaJSNonRetriableError, not a TypeError`, () => {
      const { cluster, kafka } = setup()
      const attempts: Array<() => unknown> = [
        () => kafka.consumer({ groupId: 'g', sessionTimeout: value as never }),
        () => kafka.consumer({ groupId: 'g', retry: { retries: value as never } }),
        () => new Kafka({ cluster, requestTimeout: value as never }),
        () => new Kafka({ cluster, retry: { multiplier: value as never } }),
        () => kafka.producer({ retry: { initialRetryTime: value as never } }),
      ]
      for (const attempt of attempts) {
        expect(attempt).toThrow(KafkaJSNonRetriableError)
      }
    })
  }

  it('maxWaitTimeInMs: 0 keeps an idle consumer from fetching in a tight loop, and a new record still arrives at once', async () => {
    const { clock, cluster, kafka } = setup()
    const admin = kafka.admin()
    await clock.run(admin.connect())
    await clock.run(admin.createTopics({ topics: [{ topic: 't', numPartitions: 1 }], waitForLeaders: true }))
    const consumer = kafka.consumer({ groupId: 'g', maxWaitTimeInMs: 0 })
    const received: number[] = []
    await clock.run(consumer.connect())
    await clock.run(consumer.subscribe({ topics: ['t'], fromBeginning: true }))
    await clock.run(consumer.run({ eachMessage: async () => void received.push(clock.now()) }))
    await clock.advance(1_000)
    const fetchesBefore = cluster.transport.stats.byApi.Fetch ?? 0
    const timersBefore = clock.pendingTimers()
    await clock.advance(1_000)
    const fetches = (cluster.transport.stats.byApi.Fetch ?? 0) - fetchesBefore
    // At most one fetch per 10 ms of idle time (it used to be about 65,000 per second).
    expect(fetches).toBeLessThanOrEqual(101)
    expect(clock.pendingTimers()).toBeLessThanOrEqual(timersBefore + 5)
    const producer = kafka.producer()
    await clock.run(producer.connect())
    const sentAt = clock.now()
    await clock.run(producer.send({ topic: 't', messages: [{ value: 'v' }] }))
    await clock.runUntil(() => received.length === 1)
    expect(received[0]! - sentAt).toBeLessThanOrEqual(10)
    await clock.run(Promise.all([consumer.disconnect(), producer.disconnect()]))
  })

  for (const thrown of [undefined, null, 'text']) {
    it(`eachMessage throwing ${String(thrown)} is retried like any failure, not a crash for good`, async () => {
      const { clock, kafka } = setup()
      const admin = kafka.admin()
      await clock.run(admin.connect())
      await clock.run(admin.createTopics({ topics: [{ topic: 't', numPartitions: 1 }], waitForLeaders: true }))
      const producer = kafka.producer()
      await clock.run(producer.connect())
      await clock.run(producer.send({ topic: 't', messages: [{ value: 'a' }, { value: 'b' }] }))
      const consumer = kafka.consumer({ groupId: 'g', retry: { retries: 2, initialRetryTime: 50 } })
      const crashes: Error[] = []
      consumer.on(consumer.events.CRASH, (e) => crashes.push(e.payload.error))
      const processed: string[] = []
      let failures = 0
      await clock.run(consumer.connect())
      await clock.run(consumer.subscribe({ topics: ['t'], fromBeginning: true }))
      await clock.run(
        consumer.run({
          eachMessage: async ({ message }) => {
            if (message.offset === '1' && failures++ === 0) throw thrown
            processed.push(message.value!.toString())
          },
        }),
      )
      await clock.runUntil(() => processed.length === 2)
      expect(processed).toEqual(['a', 'b'])
      expect(crashes).toEqual([])
      await clock.run(Promise.all([consumer.disconnect(), producer.disconnect()]))
    })
  }
})

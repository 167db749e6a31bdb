/**
 * Behaviour a KafkaJS 2.2.4 app observes, through `kafkalite/kafkajs`, where KafkaJS's own specs
 * found kafkalite different (issue 9). Each case names what KafkaJS's source does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  AssignerProtocol,
  Kafka,
  KafkaJSProtocolError,
  logLevel,
  resetDefaultCluster,
  type Admin,
  type Consumer,
  type EachMessagePayload,
  type PartitionAssigner,
  type Producer,
} from 'kafkalite/kafkajs'
import { VirtualClock } from '../../src/time/virtual-clock.js'

let clock: VirtualClock
let kafka: Kafka
let admin: Admin
let producer: Producer
const consumers: Consumer[] = []

beforeEach(async () => {
  clock = new VirtualClock()
  resetDefaultCluster({ brokers: 1, clock, seed: 9 })
  kafka = new Kafka({ clientId: 'kafkajs-app', brokers: ['localhost:9092'], logLevel: logLevel.NOTHING })
  admin = kafka.admin()
  producer = kafka.producer()
  await clock.run(Promise.all([admin.connect(), producer.connect()]))
  await clock.run(admin.createTopics({ topics: [{ topic: 't', numPartitions: 1 }, { topic: 'other', numPartitions: 1 }] }))
})

afterEach(async () => {
  await clock.run(Promise.all([admin.disconnect(), producer.disconnect(), ...consumers.splice(0).map((c) => c.disconnect())]))
})

function consumer(groupId: string, partitionAssigners?: PartitionAssigner[]): Consumer {
  const c = kafka.consumer({ groupId, ...(partitionAssigners === undefined ? {} : { partitionAssigners }) })
  consumers.push(c)
  return c
}

describe('kafkalite/kafkajs behaves as KafkaJS 2.2.4', () => {
  it("eachMessage payloads deep-equal KafkaJS's shape (signal is there but not enumerable)", async () => {
    await clock.run(producer.send({ topic: 't', messages: [{ key: 'k', value: 'v' }] }))
    const c = consumer('shape')
    await clock.run(c.connect())
    await clock.run(c.subscribe({ topics: ['t'], fromBeginning: true }))
    const payloads: EachMessagePayload[] = []
    await clock.run(c.run({ eachMessage: async (payload) => void payloads.push(payload) }))
    await clock.runUntil(() => payloads.length === 1)
    expect(payloads[0]).toEqual({
      topic: 't',
      partition: 0,
      message: {
        magicByte: 2,
        attributes: 0,
        timestamp: expect.any(String),
        offset: '0',
        key: Buffer.from('k'),
        value: Buffer.from('v'),
        headers: {},
        isControlRecord: false,
        // KafkaJS's record decoder hands every message its batch's header.
        batchContext: {
          firstOffset: '0',
          firstTimestamp: expect.any(String),
          partitionLeaderEpoch: 0,
          inTransaction: false,
          isControlBatch: false,
          lastOffsetDelta: 0,
          producerId: expect.any(String),
          producerEpoch: expect.any(Number),
          firstSequence: expect.any(Number),
          maxTimestamp: expect.any(String),
          timestampType: 0,
          magicByte: 2,
        },
      },
      heartbeat: expect.any(Function),
      pause: expect.any(Function),
    })
    expect(payloads[0]!.signal.aborted).toBe(false)
  })

  it('subscribe() registers string topics synchronously: a subscribe that is not awaited, then run(), consumes', async () => {
    await clock.run(producer.send({ topic: 't', messages: [{ value: 'v' }] }))
    const c = consumer('sync-subscribe')
    await clock.run(c.connect())
    const seen: string[] = []
    const subscribed = c.subscribe({ topics: ['t'], fromBeginning: true })
    await clock.run(c.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) }))
    await clock.run(subscribed)
    await clock.runUntil(() => seen.length === 1)
    expect(seen).toEqual(['v'])
  })

  it("protocol errors keep KafkaJS's exact message; what the request was about is in `detail`", async () => {
    const error = await clock.run(admin.createPartitions({ topicPartitions: [{ topic: 'no-such-topic', count: 2 }] })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect((error as KafkaJSProtocolError).message).toBe('This server does not host this topic-partition')
    expect((error as KafkaJSProtocolError & { detail?: string }).detail).toMatch(/no-such-topic/)
  })

  it('createPartitions with an unknown broker in assignments answers INVALID_REPLICA_ASSIGNMENT, also when the replica count differs', async () => {
    for (const assignments of [[[7]], [[0, 7]]]) {
      const error = await clock.run(admin.createPartitions({ topicPartitions: [{ topic: 't', count: 2, assignments }] })).catch((e: unknown) => e)
      expect((error as KafkaJSProtocolError).type).toBe('INVALID_REPLICA_ASSIGNMENT')
    }
  })

  it('fetchTopicOffsetsByTimestamp accepts the numeric string message.timestamp is', async () => {
    await clock.run(producer.send({ topic: 't', messages: [{ value: 'a', timestamp: '1000' }, { value: 'b', timestamp: '2000' }] }))
    expect(await clock.run(admin.fetchTopicOffsetsByTimestamp('t', '2000' as unknown as number))).toEqual([{ partition: 0, offset: '1' }])
  })

  it("a client's first REQUEST event per broker is ApiVersions, as KafkaJS's connection handshake", async () => {
    const fresh = kafka.producer()
    const apis: string[] = []
    fresh.on(fresh.events.REQUEST, (event) => apis.push(event.payload.apiName))
    await clock.run(fresh.connect())
    await clock.run(fresh.send({ topic: 't', messages: [{ value: 'v' }] }))
    await clock.run(fresh.disconnect())
    expect(apis[0]).toBe('ApiVersions')
    expect(apis.filter((api) => api === 'ApiVersions')).toHaveLength(1)
    expect(apis).toContain('Produce')
  })

  it('RECEIVED_UNSUBSCRIBED_TOPICS fires when the assignment holds a topic the member did not subscribe to', async () => {
    // A custom assigner that, as KafkaJS's round-robin does with mixed subscriptions, deals every topic.
    const everything: PartitionAssigner = () => ({
      name: 'Everything',
      version: 0,
      async assign({ members }) {
        return members.map(({ memberId }) => ({
          memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: { t: [0], other: [0] } }),
        }))
      },
      protocol({ topics }) {
        return { name: 'Everything', metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics }) }
      },
    })
    const c = consumer('unsubscribed', [everything])
    const events: unknown[] = []
    c.on(c.events.RECEIVED_UNSUBSCRIBED_TOPICS, (event) => events.push(event.payload))
    await clock.run(c.connect())
    await clock.run(c.subscribe({ topics: ['t'] }))
    await clock.run(c.run({ eachMessage: async () => undefined }))
    expect(events).toEqual([
      { groupId: 'unsubscribed', generationId: expect.any(Number), memberId: expect.any(String), assignedTopics: ['t', 'other'], topicsSubscribed: ['t'], topicsNotSubscribed: ['other'] },
    ])
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { Cluster } from '../../../src/cluster.js'
import { KafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from '../../../src/client/errors.js'
import { Kafka } from '../../../src/client/kafka.js'
import { murmur2, toPositive } from '../../../src/client/murmur2.js'
import { CompressionTypes } from '../../../src/client/message-types.js'
import { Partitioners } from '../../../src/client/partitioners/index.js'
import { legacyMurmur2 } from '../../../src/client/partitioners/legacy-murmur2.js'
import { VirtualClock } from '../../../src/time/virtual-clock.js'

function setup(options: { brokers?: number; autoCreateTopics?: boolean; maxMessageBytes?: number } = {}) {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: options.brokers ?? 1, clock, seed: 1, autoCreateTopics: options.autoCreateTopics, maxMessageBytes: options.maxMessageBytes })
  const kafka = new Kafka({ clientId: 'test', cluster, logLevel: 0 })
  return { clock, cluster, kafka }
}

let cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const fn of cleanup) await fn()
  cleanup = []
})

async function connected(kafka: Kafka, clock: VirtualClock, config = {}) {
  const producer = kafka.producer(config)
  await clock.run(producer.connect())
  const admin = kafka.admin()
  await clock.run(admin.connect())
  cleanup.push(() => producer.disconnect(), () => admin.disconnect())
  return { producer, admin }
}

describe('producer.send', () => {
  it('writes to the partition given by murmur2(key), returning KafkaJS RecordMetadata', async () => {
    const { clock, kafka } = setup()
    const { producer, admin } = await connected(kafka, clock)
    await clock.run(admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 6 }] }))
    const result = await clock.run(producer.send({ topic: 'orders', messages: [{ key: 'order-1234', value: 'v' }] }))
    const expected = toPositive(murmur2('order-1234')) % 6
    expect(result).toEqual([{ topicName: 'orders', partition: expected, errorCode: 0, baseOffset: '0', logAppendTime: '-1', logStartOffset: '0' }])
    const offsets = await clock.run(admin.fetchTopicOffsets('orders'))
    expect(offsets.find((o) => o.partition === expected)?.high).toBe('1')
    expect(offsets.filter((o) => o.high !== '0')).toHaveLength(1)
  })

  it('gives consecutive base offsets to successive sends to one partition', async () => {
    const { clock, kafka } = setup()
    const { producer } = await connected(kafka, clock)
    const first = await clock.run(producer.send({ topic: 'a', messages: [{ value: '1', partition: 0 }, { value: '2', partition: 0 }] }))
    const second = await clock.run(producer.send({ topic: 'a', messages: [{ value: '3', partition: 0 }] }))
    expect(first[0]?.baseOffset).toBe('0')
    expect(second[0]?.baseOffset).toBe('2')
  })

  it('auto-creates an unknown topic with the broker default partition count', async () => {
    const { clock, kafka } = setup()
    const { producer, admin } = await connected(kafka, clock)
    await clock.run(producer.send({ topic: 'fresh', messages: [{ value: 'x' }] }))
    expect(await clock.run(admin.listTopics())).toContain('fresh')
  })

  it('sendBatch writes several topics and merges repeated topics', async () => {
    const { clock, kafka } = setup()
    const { producer, admin } = await connected(kafka, clock)
    await clock.run(admin.createTopics({ topics: [{ topic: 'x', numPartitions: 2 }, { topic: 'y' }] }))
    const result = await clock.run(
      producer.sendBatch({
        topicMessages: [
          { topic: 'x', messages: [{ value: 'a', partition: 0 }] },
          { topic: 'y', messages: [{ value: 'b' }] },
          { topic: 'x', messages: [{ value: 'c', partition: 1 }, { value: 'd', partition: 0 }] },
        ],
      }),
    )
    expect(result.map((r) => `${r.topicName}/${r.partition}`).sort()).toEqual(['x/0', 'x/1', 'y/0'])
    const x = await clock.run(admin.fetchTopicOffsets('x'))
    expect(x.map((o) => o.high)).toEqual(['2', '1'])
  })

  it('sends to a partition added by createPartitions right away: the cached metadata is reloaded first', async () => {
    const { clock, kafka } = setup()
    const { producer, admin } = await connected(kafka, clock)
    await clock.run(admin.createTopics({ topics: [{ topic: 'grow', numPartitions: 1 }] }))
    await clock.run(producer.send({ topic: 'grow', messages: [{ value: 'first' }] }))
    await clock.run(admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 3 }] }))
    const [meta] = await clock.run(producer.send({ topic: 'grow', messages: [{ value: 'new', partition: 2 }] }))
    expect(meta).toMatchObject({ topicName: 'grow', partition: 2, baseOffset: '0' })
    await expect(clock.run(producer.send({ topic: 'grow', messages: [{ value: 'x', partition: 3 }] }))).rejects.toThrow(/Invalid partition 3/)
  })

  it('acks=0 resolves with [] and still writes', async () => {
    const { clock, kafka } = setup()
    const { producer, admin } = await connected(kafka, clock)
    await clock.run(admin.createTopics({ topics: [{ topic: 'z' }] }))
    expect(await clock.run(producer.send({ topic: 'z', acks: 0, messages: [{ value: 'a' }] }))).toEqual([])
    await clock.advance(1)
    expect((await clock.run(admin.fetchTopicOffsets('z')))[0]?.high).toBe('1')
  })

  it('emits CONNECT, REQUEST and DISCONNECT events with KafkaJS payloads', async () => {
    const { clock, kafka } = setup()
    const producer = kafka.producer()
    const seen: Array<{ type: string; payload: any }> = []
    producer.on(producer.events.CONNECT, (e) => seen.push(e))
    producer.on(producer.events.REQUEST, (e) => seen.push(e))
    producer.on(producer.events.DISCONNECT, (e) => seen.push(e))
    await clock.run(producer.connect())
    await clock.run(producer.send({ topic: 'e', messages: [{ value: 'a' }] }))
    await producer.disconnect()
    const types = seen.map((e) => e.type)
    expect(types[0]).toBe('producer.network.request')
    expect(types).toContain('producer.connect')
    expect(types.at(-1)).toBe('producer.disconnect')
    const produce = seen.find((e) => e.payload?.apiName === 'Produce')
    expect(produce?.payload).toMatchObject({ apiKey: 0, clientId: 'test', broker: expect.any(String), duration: expect.any(Number) })
  })

  it('rejects unknown event names as KafkaJS does', () => {
    const { kafka } = setup()
    expect(() => kafka.producer().on('producer.nope' as never, () => undefined)).toThrow(/Event name should be one of producer.events.CONNECT/)
  })

  it('keeps working when a listener throws, and logs what the listener threw', async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 1, clock, seed: 1 })
    const logged: string[] = []
    const kafka = new Kafka({ clientId: 'test', cluster, logCreator: () => ({ log }) => void logged.push(log.message) })
    const producer = kafka.producer()
    producer.on(producer.events.CONNECT, () => {
      throw new Error('listener bug')
    })
    await clock.run(producer.connect())
    const [sent] = await clock.run(producer.send({ topic: 'auto', messages: [{ value: 'v' }] }))
    expect(sent?.baseOffset).toBe('0')
    expect(logged).toContain('Failed to execute listener: listener bug')
    await clock.run(producer.disconnect())
  })
})

describe('producer options', () => {
  it('uses createPartitioner, e.g. the LegacyPartitioner or a custom one', async () => {
    const { clock, kafka } = setup()
    const custom = await connected(kafka, clock, { createPartitioner: () => () => 1 })
    await clock.run(custom.admin.createTopics({ topics: [{ topic: 'p', numPartitions: 3 }] }))
    const sent = await clock.run(custom.producer.send({ topic: 'p', messages: [{ key: 'a', value: '1' }, { value: '2' }] }))
    expect(sent.map((r) => r.partition)).toEqual([1])
    const legacy = await connected(kafka, clock, { createPartitioner: Partitioners.LegacyPartitioner })
    const [meta] = await clock.run(legacy.producer.send({ topic: 'p', messages: [{ key: 'order-1234', value: 'x' }] }))
    expect(meta!.partition).toBe(toPositive(legacyMurmur2('order-1234')) % 3)
  })

  it('retries a request dropped by the transport after requestTimeout, emitting REQUEST_TIMEOUT', async () => {
    const clock = new VirtualClock()
    const cluster = new Cluster({ brokers: 1, clock, seed: 1 })
    const kafka = new Kafka({ clientId: 'slow', cluster, logLevel: 0, requestTimeout: 1000 })
    const { producer, admin } = await connected(kafka, clock)
    await clock.run(admin.createTopics({ topics: [{ topic: 'd' }] }))
    const timeouts: any[] = []
    producer.on(producer.events.REQUEST_TIMEOUT, (e) => timeouts.push(e.payload))
    cluster.transport.hooks.add({ api: 'Produce', action: { type: 'drop' }, times: 1 })
    const started = clock.now()
    const [meta] = await clock.run(producer.send({ topic: 'd', messages: [{ value: 'a' }] }))
    expect(meta!.baseOffset).toBe('0')
    expect(clock.now() - started).toBeGreaterThanOrEqual(1000)
    expect(timeouts).toEqual([expect.objectContaining({ apiName: 'Produce', apiKey: 0, clientId: 'slow' })])
    expect((await clock.run(admin.fetchTopicOffsets('d')))[0]!.high).toBe('1')
  })

  it('acks=1 and acks=-1 both return the base offset', async () => {
    const { clock, kafka } = setup({ brokers: 3 })
    const { producer, admin } = await connected(kafka, clock)
    await clock.run(admin.createTopics({ topics: [{ topic: 'k', replicationFactor: 3 }] }))
    const one = await clock.run(producer.send({ topic: 'k', acks: 1, messages: [{ value: 'a' }] }))
    const all = await clock.run(producer.send({ topic: 'k', acks: -1, messages: [{ value: 'b' }] }))
    expect([one[0]!.baseOffset, all[0]!.baseOffset]).toEqual(['0', '1'])
  })
})

describe('producer errors', () => {
  it('refuses to send before connect, with KafkaJS error', async () => {
    const { clock, kafka } = setup()
    const producer = kafka.producer()
    const error = await clock.run(producer.send({ topic: 't', messages: [{ value: 'a' }] })).catch((e) => e)
    expect(error).toBeInstanceOf(KafkaJSError)
    expect(error.message).toBe('The producer is disconnected')
  })

  it('fails fast with MESSAGE_TOO_LARGE and writes nothing', async () => {
    const { clock, kafka } = setup({ maxMessageBytes: 100 })
    const { producer, admin } = await connected(kafka, clock)
    await clock.run(admin.createTopics({ topics: [{ topic: 'big' }] }))
    const error = await clock.run(producer.send({ topic: 'big', messages: [{ value: Buffer.alloc(500) }] })).catch((e) => e)
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.type).toBe('MESSAGE_TOO_LARGE')
    expect(error.code).toBe(10)
    expect((await clock.run(admin.fetchTopicOffsets('big')))[0]?.high).toBe('0')
  })

  it('rejects an invalid topic name with INVALID_TOPIC_EXCEPTION and creates nothing', async () => {
    const { clock, kafka } = setup()
    const { producer, admin } = await connected(kafka, clock)
    const error = await clock.run(producer.send({ topic: 'bad topic!', messages: [{ value: 'a' }] })).catch((e) => e)
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.type).toBe('INVALID_TOPIC_EXCEPTION')
    expect(await clock.run(admin.listTopics())).not.toContain('bad topic!')
  })

  it('with auto-creation off, an unknown topic fails with UNKNOWN_TOPIC_OR_PARTITION after retries', async () => {
    const { clock, kafka } = setup({ autoCreateTopics: false })
    const { producer, admin } = await connected(kafka, clock, { retry: { retries: 1 } })
    const error = await clock.run(producer.send({ topic: 'ghost', messages: [{ value: 'a' }] })).catch((e) => e)
    expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
    expect(error.cause.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(await clock.run(admin.listTopics())).not.toContain('ghost')
    // The refused topic does not poison later sends to other topics.
    await clock.run(admin.createTopics({ topics: [{ topic: 'real' }] }))
    expect(await clock.run(producer.send({ topic: 'real', messages: [{ value: 'a' }] }))).toHaveLength(1)
  })

  it('retries NOT_LEADER_OR_FOLLOWER injected by the transport and succeeds', async () => {
    const { clock, cluster, kafka } = setup()
    const { producer, admin } = await connected(kafka, clock)
    await clock.run(admin.createTopics({ topics: [{ topic: 'r' }] }))
    cluster.transport.hooks.add({ api: 'Produce', action: { type: 'fail', errorCode: 6 }, times: 2 })
    const result = await clock.run(producer.send({ topic: 'r', messages: [{ value: 'a' }] }))
    expect(result[0]?.baseOffset).toBe('0')
    expect((await clock.run(admin.fetchTopicOffsets('r')))[0]?.high).toBe('1')
  })

  it('gives up with KafkaJSNumberOfRetriesExceeded when the error persists', async () => {
    const { clock, cluster, kafka } = setup()
    const { producer, admin } = await connected(kafka, clock, { retry: { retries: 2 } })
    await clock.run(admin.createTopics({ topics: [{ topic: 'r' }] }))
    cluster.transport.hooks.add({ api: 'Produce', action: { type: 'fail', errorCode: 19 } })
    const error = await clock.run(producer.send({ topic: 'r', messages: [{ value: 'a' }] })).catch((e) => e)
    expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
    expect(error.cause.type).toBe('NOT_ENOUGH_REPLICAS')
  })

  it('refuses a transaction on a producer without transactional id, as KafkaJS', async () => {
    const { kafka } = setup()
    await expect(kafka.producer().transaction()).rejects.toThrow('Must provide transactional id for transactional producer')
  })
})

describe('producer bad input: typed error, nothing written', () => {
  const cases: Array<[string, unknown, RegExp | string]> = [
    ['missing topic', { messages: [{ value: 'a' }] }, 'Invalid topic'],
    ['non-string topic', { topic: 42, messages: [{ value: 'a' }] }, 'Invalid topic'],
    ['messages not an array', { topic: 'in', messages: 'nope' }, 'Invalid messages array [nope] for topic "in"'],
    ['missing messages', { topic: 'in' }, 'Invalid messages array [undefined] for topic "in"'],
    ['message without value', { topic: 'in', messages: [{ key: 'k' }] }, 'Invalid message without value for topic "in": {"key":"k"}'],
    ['object value', { topic: 'in', messages: [{ value: { a: 1 } }] }, /Invalid message value .* JSON.stringify/],
    ['negative partition', { topic: 'in', messages: [{ value: 'a', partition: -1 }] }, /Invalid partition -1/],
    ['partition out of range', { topic: 'in', messages: [{ value: 'a', partition: 7 }] }, /Invalid partition 7 for a message to topic "in": it has 2 partitions/],
    ['bad timestamp', { topic: 'in', messages: [{ value: 'a', timestamp: 'yesterday' }] }, /Invalid timestamp "yesterday"/],
    ['bad headers', { topic: 'in', messages: [{ value: 'a', headers: { h: { x: 1 } } }] }, /Invalid header "h"/],
    ['bad timeout', { topic: 'in', timeout: -5, messages: [{ value: 'a' }] }, /Invalid timeout -5/],
    ['unknown compression', { topic: 'in', compression: 9, messages: [{ value: 'a' }] }, /Invalid compression 9/],
    ['unregistered codec', { topic: 'in', compression: CompressionTypes.Snappy, messages: [{ value: 'a' }] }, 'Snappy compression not implemented'],
  ]
  it.each(cases)('%s', async (_name, record, message) => {
    const { clock, kafka } = setup()
    const { producer, admin } = await connected(kafka, clock)
    await clock.run(admin.createTopics({ topics: [{ topic: 'in', numPartitions: 2 }] }))
    const error = await clock.run(producer.send(record as never)).catch((e) => e)
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError)
    if (typeof message === 'string') expect(error.message).toBe(message)
    else expect(error.message).toMatch(message)
    expect((await clock.run(admin.fetchTopicOffsets('in'))).map((o) => o.high)).toEqual(['0', '0'])
    expect((await clock.run(admin.listTopics())).sort()).toEqual(['in'])
  })

  it('acks outside -1/0/1 gives INVALID_REQUIRED_ACKS', async () => {
    const { clock, kafka } = setup()
    const { producer } = await connected(kafka, clock)
    const error = await clock.run(producer.send({ topic: 'in', acks: 2, messages: [{ value: 'a' }] })).catch((e) => e)
    expect(error).toBeInstanceOf(KafkaJSProtocolError)
    expect(error.type).toBe('INVALID_REQUIRED_ACKS')
  })

  it('a bad message in a batch writes none of the batch', async () => {
    const { clock, kafka } = setup()
    const { producer, admin } = await connected(kafka, clock)
    await clock.run(admin.createTopics({ topics: [{ topic: 'in' }] }))
    await expect(clock.run(producer.sendBatch({ topicMessages: [{ topic: 'in', messages: [{ value: 'ok' }] }, { topic: 'in', messages: [{ value: undefined as never }] }] }))).rejects.toThrow(
      /Invalid message without value/,
    )
    expect((await clock.run(admin.fetchTopicOffsets('in')))[0]?.high).toBe('0')
  })
})

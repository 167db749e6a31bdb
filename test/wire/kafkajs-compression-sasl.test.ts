/**
 * KafkaJS over TCP with gzip, snappy and lz4 batches (KafkaJS's codec hooks), acks=0 (no response on the wire) and
 * SASL/PLAIN; a batch of an undefined codec is answered UNSUPPORTED_COMPRESSION_TYPE with a log line naming it.
 */
import { brokerSideOf } from '../../src/cluster.js'
import { CompressionCodecs, CompressionTypes, Kafka, logLevel } from 'kafkajs'
import * as snappyjs from 'snappyjs'
import * as lz4js from 'lz4js'
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster } from '../../src/cluster.js'
import { Errors } from '../../src/protocol/index.js'
import { produceCodec } from '../../src/wire/apis/00-produce.js'
import { lz4Codec } from '../../src/wire/compression/lz4.js'
import { snappyCodec } from '../../src/wire/compression/snappy.js'
import { crc32c } from '../../src/wire/crc32c.js'
import { buildRecordBatch } from '../../src/broker/record-batch-builder.js'
import { encodeRecordBatches } from '../../src/wire/record-batch.js'
import { RawClient } from './raw-client.js'
import { condition, tcpKafka, type TcpKafka } from './tcp-kafka.js'

let env: TcpKafka | undefined
const clusters: Cluster[] = []

afterEach(async () => {
  await env?.close()
  env = undefined
  for (const c of clusters.splice(0)) await c.close()
})

describe('KafkaJS over TCP: compression, acks=0, SASL', () => {
  it('stores gzip batches and serves them back; acks=0 sends get no response and still append', async () => {
    env = await tcpKafka({ numPartitions: 1 })
    const producer = env.kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'zipped', acks: -1, compression: CompressionTypes.GZIP, messages: [{ value: 'a'.repeat(500) }, { value: 'b'.repeat(500) }] })
    await producer.send({ topic: 'zipped', acks: 0, messages: [{ value: 'fire-and-forget' }] })
    await producer.disconnect()
    const consumer = env.kafka.consumer({ groupId: 'unzip', maxWaitTimeInMs: 100 })
    await consumer.connect()
    await consumer.subscribe({ topic: 'zipped', fromBeginning: true })
    const values: string[] = []
    const done = condition(() => values.length === 3)
    await consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value!.toString())
        done.check()
      },
    })
    await done.promise
    await consumer.disconnect()
    expect(values).toEqual(['a'.repeat(500), 'b'.repeat(500), 'fire-and-forget'])
  }, 30_000)

  it('KafkaJS with snappy and lz4 codec hooks: each batch comes back with the codec it was produced with', async () => {
    // KafkaJS ships no snappy/lz4 codec; users plug one in (kafkajs-snappy, kafkajs-lz4). These hooks compress as
    // kafkajs-snappy does (raw Snappy, no framing) and decompress the framing a Kafka broker sends.
    const snappy = snappyCodec(snappyjs)
    const lz4 = lz4Codec(lz4js)
    CompressionCodecs[CompressionTypes.Snappy] = () => ({
      compress: async (encoder: { buffer: Buffer }) => snappyjs.compress(encoder.buffer),
      decompress: async (buffer: Buffer) => snappy.decompress(buffer),
    })
    CompressionCodecs[CompressionTypes.LZ4] = () => ({
      compress: async (encoder: { buffer: Buffer }) => lz4.compress(encoder.buffer),
      decompress: async (buffer: Buffer) => lz4.decompress(buffer),
    })
    env = await tcpKafka({ numPartitions: 1 })
    const producer = env.kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'codecs', compression: CompressionTypes.Snappy, messages: [{ value: 's'.repeat(300) }, { value: 'snappy' }] })
    await producer.send({ topic: 'codecs', compression: CompressionTypes.LZ4, messages: [{ value: 'l'.repeat(300) }, { value: 'lz4' }] })
    await producer.disconnect()
    const stored = brokerSideOf(env.cluster).controller.topics.get('codecs')!.partitions[0]!
    const leaderLog = brokerSideOf(env.cluster).broker(stored.leader).replica('codecs', 0)!.log
    expect(leaderLog.readBatches(0, Infinity, Infinity).map((b) => b.compression)).toEqual(['snappy', 'lz4'])
    const consumer = env.kafka.consumer({ groupId: 'codecs', maxWaitTimeInMs: 100 })
    await consumer.connect()
    await consumer.subscribe({ topic: 'codecs', fromBeginning: true })
    const values: string[] = []
    const done = condition(() => values.length === 4)
    await consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value!.toString())
        done.check()
      },
    })
    await done.promise
    await consumer.disconnect()
    expect(values).toEqual(['s'.repeat(300), 'snappy', 'l'.repeat(300), 'lz4'])
  }, 30_000)

  it("a topic's compression.type overrides the producer's codec: uncompressed sends are stored and fetched as gzip", async () => {
    env = await tcpKafka({ numPartitions: 1 })
    const admin = env.kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'zipped-by-topic', configEntries: [{ name: 'compression.type', value: 'gzip' }] }] })
    await admin.disconnect()
    const producer = env.kafka.producer()
    await producer.connect()
    await producer.send({ topic: 'zipped-by-topic', messages: [{ value: 'plain' }] })
    await producer.disconnect()
    const side = brokerSideOf(env.cluster)
    const leader = side.controller.topics.get('zipped-by-topic')!.partitions[0]!.leader
    expect(side.broker(leader).replica('zipped-by-topic', 0)!.log.readBatches(0, Infinity, Infinity).map((b) => b.compression)).toEqual(['gzip'])
    const consumer = env.kafka.consumer({ groupId: 'by-topic', maxWaitTimeInMs: 100 })
    await consumer.connect()
    await consumer.subscribe({ topic: 'zipped-by-topic', fromBeginning: true })
    const values: string[] = []
    const done = condition(() => values.length === 1)
    await consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value!.toString())
        done.check()
      },
    })
    await done.promise
    await consumer.disconnect()
    expect(values).toEqual(['plain'])
  }, 30_000)

  it('answers a batch of an undefined codec (5) UNSUPPORTED_COMPRESSION_TYPE and logs why', async () => {
    env = await tcpKafka({ numPartitions: 1 })
    await brokerSideOf(env.cluster).controller.createTopic({ name: 'odd', numPartitions: 1, replicationFactor: 3, replicaAssignment: [], configs: [] }, false)
    const leader = brokerSideOf(env.cluster).controller.topics.get('odd')!.partitions[0]!.leader
    const batch = encodeRecordBatches([
      buildRecordBatch(
        { producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false, records: [{ key: null, value: Buffer.from('v'), headers: [], timestamp: 1 }] },
        { baseOffset: 0, leaderEpoch: 0, timestampType: 'CreateTime', nowMs: 0 },
      ),
    ])
    batch.writeInt16BE(5, 21)
    batch.writeUInt32BE(crc32c(batch.subarray(21)), 17)
    const client = await RawClient.open(env.listener.brokers[leader]!)
    const answer = (await client.request(produceCodec, 7, { transactionalId: null, acks: 1, timeoutMs: 1000, topics: [{ name: 'odd', partitions: [{ index: 0, records: batch }] }] })) as {
      topics: Array<{ partitions: Array<{ errorCode: number }> }>
    }
    client.close()
    expect(answer.topics[0]!.partitions[0]!.errorCode).toBe(Errors.UNSUPPORTED_COMPRESSION_TYPE.code)
    expect(env.logs.some((line) => line.includes('compression codec 5 is unknown'))).toBe(true)
  })

  it('with SASL/PLAIN users, serves a client with the right password and refuses a wrong one', async () => {
    const cluster = new Cluster({ brokers: 1 })
    clusters.push(cluster)
    const listener = await cluster.listen({ port: 0, saslPlainUsers: { alice: 'secret' }, log: () => undefined })
    const client = (password: string) =>
      new Kafka({ brokers: [...listener.brokers], logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', username: 'alice', password }, retry: { retries: 0 } })
    const admin = client('secret').admin()
    await admin.connect()
    expect(await admin.createTopics({ topics: [{ topic: 'private' }] })).toBe(true)
    await admin.disconnect()
    await expect(client('wrong').admin().connect()).rejects.toThrow(/SASL PLAIN authentication failed|Authentication failed/)
  })
})

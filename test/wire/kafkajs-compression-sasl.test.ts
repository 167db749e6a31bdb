/**
 * KafkaJS over TCP with gzip batches, acks=0 (no response on the wire) and SASL/PLAIN; a snappy batch is answered
 * UNSUPPORTED_COMPRESSION_TYPE with a log line naming the codec.
 */
import { brokerSideOf } from '../../src/cluster.js'
import { CompressionTypes, Kafka, logLevel } from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster } from '../../src/cluster.js'
import { Errors } from '../../src/protocol/index.js'
import { produceCodec } from '../../src/wire/apis/00-produce.js'
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

  it('answers a snappy batch UNSUPPORTED_COMPRESSION_TYPE and logs which codec it lacks', async () => {
    env = await tcpKafka({ numPartitions: 1 })
    await brokerSideOf(env.cluster).controller.createTopic({ name: 'snap', numPartitions: 1, replicationFactor: 3, replicaAssignment: [], configs: [] }, false)
    const leader = brokerSideOf(env.cluster).controller.topics.get('snap')!.partitions[0]!.leader
    const batch = encodeRecordBatches([
      buildRecordBatch(
        { producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false, records: [{ key: null, value: Buffer.from('v'), headers: [], timestamp: 1 }] },
        { baseOffset: 0, leaderEpoch: 0, timestampType: 'CreateTime', nowMs: 0 },
      ),
    ])
    batch.writeInt16BE(2, 21)
    batch.writeUInt32BE(crc32c(batch.subarray(21)), 17)
    const client = await RawClient.open(env.listener.brokers[leader]!)
    const answer = (await client.request(produceCodec, 7, { transactionalId: null, acks: 1, timeoutMs: 1000, topics: [{ name: 'snap', partitions: [{ index: 0, records: batch }] }] })) as {
      topics: Array<{ partitions: Array<{ errorCode: number }> }>
    }
    client.close()
    expect(answer.topics[0]!.partitions[0]!.errorCode).toBe(Errors.UNSUPPORTED_COMPRESSION_TYPE.code)
    expect(env.logs.some((line) => line.includes('does not decompress snappy'))).toBe(true)
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

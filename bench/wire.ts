/**
 * The wire listener's cost: produce -> consume over loopback TCP with the unmocked KafkaJS client and with
 * @platformatic/kafka against `cluster.listen()`, records/s and the p99 of each record's produce-to-consume latency,
 * beside a raw loopback socket echo of the same bytes in the same run (the floor of any TCP request/response path on
 * this machine).
 */
import { createServer, connect, type AddressInfo } from 'node:net'
import { Consumer as PltConsumer, MessagesStreamModes, Producer as PltProducer, type Message as PltMessage } from '@platformatic/kafka'
import { Kafka, logLevel } from 'kafkajs'
import { Cluster } from '../src/index.js'
import { brokerSideOf } from '../src/cluster.js'

const RECORDS = Number(process.env.BENCH_WIRE_RECORDS ?? 20_000)
const BATCH = 100
const VALUE = Buffer.alloc(100, 'x')

export interface WireRow {
  name: string
  records: number
  ms: number
  p99Ms: number
}

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0
}

/** Sends BATCH records' worth of bytes per request over one loopback socket and waits for the echo, sequentially. */
async function echoFloor(records: number): Promise<WireRow> {
  const server = createServer((socket) => {
    socket.setNoDelay(true)
    socket.pipe(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const socket = connect(port, '127.0.0.1')
  await new Promise<void>((resolve) => socket.once('connect', resolve))
  socket.setNoDelay(true)
  const payload = Buffer.alloc(BATCH * (VALUE.length + 20), 'x')
  let pending = 0
  let wake: () => void = () => undefined
  socket.on('data', (chunk: Buffer) => {
    pending -= chunk.length
    if (pending <= 0) wake()
  })
  const latencies: number[] = []
  const start = performance.now()
  for (let sent = 0; sent < records; sent += BATCH) {
    const t0 = performance.now()
    pending = payload.length
    await new Promise<void>((resolve) => {
      wake = resolve
      socket.write(payload)
    })
    const rtt = performance.now() - t0
    for (let i = 0; i < BATCH; i++) latencies.push(rtt)
  }
  const ms = performance.now() - start
  socket.destroy()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return { name: `raw loopback echo, ${BATCH} records' bytes per round trip (floor)`, records, ms, p99Ms: p99(latencies) }
}

/** KafkaJS producer and consumer over TCP against a 1-broker cluster's listener: acks=1, batches of BATCH records. */
async function kafkajsOverTcp(records: number): Promise<WireRow> {
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1'
  const cluster = new Cluster({ brokers: 1, seed: 1, numPartitions: 3 })
  const listener = await cluster.listen({ port: 0, log: () => undefined })
  const kafka = new Kafka({ clientId: 'bench-wire', brokers: [...listener.brokers], logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: 'wire-bench', numPartitions: 3 }] })
  await admin.disconnect()
  const producer = kafka.producer()
  const consumer = kafka.consumer({ groupId: 'wire-bench', maxWaitTimeInMs: 100 })
  await producer.connect()
  await consumer.connect()
  await consumer.subscribe({ topic: 'wire-bench', fromBeginning: true })
  const sentAt = new Float64Array(records)
  const latencies: number[] = []
  let done!: () => void
  const finished = new Promise<void>((resolve) => (done = resolve))
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = performance.now()
      for (const message of batch.messages) latencies.push(now - sentAt[Number(message.key!.toString())]!)
      if (latencies.length >= records) done()
    },
  })
  const start = performance.now()
  for (let i = 0; i < records; i += BATCH) {
    const now = performance.now()
    const messages = Array.from({ length: Math.min(BATCH, records - i) }, (_, j) => {
      sentAt[i + j] = now
      return { key: String(i + j), value: VALUE }
    })
    await producer.send({ topic: 'wire-bench', acks: 1, messages })
  }
  await finished
  const ms = performance.now() - start
  await consumer.disconnect()
  await producer.disconnect()
  await cluster.close()
  return { name: `KafkaJS over TCP, produce -> consume (acks=1, batches of ${BATCH})`, records, ms, p99Ms: p99(latencies) }
}

/** @platformatic/kafka producer and consumer over TCP against a 1-broker cluster's listener: acks=1, batches of BATCH records. */
async function platformaticOverTcp(records: number): Promise<WireRow> {
  const cluster = new Cluster({ brokers: 1, seed: 1, numPartitions: 3 })
  const listener = await cluster.listen({ port: 0, log: () => undefined })
  await brokerSideOf(cluster).controller.createTopic({ name: 'wire-bench', numPartitions: 3, replicationFactor: 1, replicaAssignment: [], configs: [] }, false)
  const bootstrapBrokers = [...listener.brokers]
  const producer = new PltProducer({ clientId: 'bench-plt', bootstrapBrokers, acks: 1 })
  const consumer = new PltConsumer({ groupId: 'wire-bench', clientId: 'bench-plt', bootstrapBrokers, maxWaitTime: 100 })
  const stream = await consumer.consume({ topics: ['wire-bench'], mode: MessagesStreamModes.EARLIEST, autocommit: true })
  const sentAt = new Float64Array(records)
  const latencies: number[] = []
  let done!: () => void
  const finished = new Promise<void>((resolve) => (done = resolve))
  stream.on('data', (message: PltMessage<Buffer, Buffer, Buffer, Buffer>) => {
    latencies.push(performance.now() - sentAt[Number(message.key.toString())]!)
    if (latencies.length >= records) done()
  })
  const start = performance.now()
  for (let i = 0; i < records; i += BATCH) {
    const now = performance.now()
    const messages = Array.from({ length: Math.min(BATCH, records - i) }, (_, j) => {
      sentAt[i + j] = now
      return { topic: 'wire-bench', key: Buffer.from(String(i + j)), value: VALUE }
    })
    await producer.send({ messages })
  }
  await finished
  const ms = performance.now() - start
  await stream.close()
  await consumer.close()
  await producer.close()
  await cluster.close()
  return { name: `@platformatic/kafka over TCP, produce -> consume (acks=1, batches of ${BATCH})`, records, ms, p99Ms: p99(latencies) }
}

/** Runs the measurements and returns the table. */
export async function wireBench(): Promise<string> {
  const rows = [await echoFloor(RECORDS), await kafkajsOverTcp(RECORDS), await platformaticOverTcp(RECORDS)]
  const lines = rows.map((r) => {
    const perSec = Math.round((r.records / r.ms) * 1000)
    return `${r.name.padEnd(76)} ${String(r.records).padStart(8)} ${perSec.toLocaleString('en-US').padStart(12)} rec/s   p99 ${r.p99Ms.toFixed(2).padStart(8)} ms`
  })
  return [`\nwire listener (${RECORDS} records of 100 bytes, loopback)`, ...lines].join('\n')
}

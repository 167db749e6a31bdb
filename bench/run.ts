/**
 * `npm run bench`: end-to-end produce -> consume throughput for 100-byte keyed records, beside a
 * bare eventemitter3 loop carrying the same records (the floor of any in-process event bus), and
 * heap bytes per retained record. Prints a table a person can compare between runs.
 */
import { EventEmitter } from 'eventemitter3'
import { Cluster, Kafka, logLevel } from '../src/index.js'
import { formatLifecycle, lifecycleFigures } from './lifecycle.js'

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000)
const BATCH = 1000
const PARTITIONS = 6

interface Row {
  name: string
  records: number
  ms: number
}

function makeRecords(count: number): Array<{ key: string; value: Buffer }> {
  const value = Buffer.alloc(100, 'x')
  return Array.from({ length: count }, (_, i) => ({ key: `order-${i}`, value }))
}

function emitterBaseline(records: Array<{ key: string; value: Buffer }>): Row {
  const bus = new EventEmitter()
  let seen = 0
  bus.on('record', () => {
    seen++
  })
  const start = performance.now()
  for (const record of records) bus.emit('record', record)
  const ms = performance.now() - start
  if (seen !== records.length) throw new Error('baseline lost records')
  return { name: 'eventemitter3 emit loop (baseline)', records: records.length, ms }
}

async function endToEnd(records: Array<{ key: string; value: Buffer }>, mode: 'eachMessage' | 'eachBatch'): Promise<Row> {
  const cluster = new Cluster({ brokers: 1, seed: 1 })
  const kafka = new Kafka({ clientId: 'bench', cluster, logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: 'bench', numPartitions: PARTITIONS }] })
  await admin.disconnect()
  const producer = kafka.producer()
  const consumer = kafka.consumer({ groupId: `bench-${mode}` })
  await producer.connect()
  await consumer.connect()
  await consumer.subscribe({ topics: ['bench'], fromBeginning: true })

  let seen = 0
  let done!: () => void
  const finished = new Promise<void>((resolve) => (done = resolve))
  const count = (n: number) => {
    seen += n
    if (seen >= records.length) done()
  }
  const start = performance.now()
  if (mode === 'eachMessage') {
    await consumer.run({ eachMessage: async () => count(1) })
  } else {
    await consumer.run({ eachBatch: async ({ batch }) => count(batch.messages.length) })
  }
  for (let i = 0; i < records.length; i += BATCH) {
    await producer.send({ topic: 'bench', acks: 1, messages: records.slice(i, i + BATCH) })
  }
  await finished
  const ms = performance.now() - start
  await consumer.disconnect()
  await producer.disconnect()
  return { name: `produce -> consume, ${mode} (acks=1, ${PARTITIONS} partitions)`, records: records.length, ms }
}

/** Sequential single-record sends with acks=all to a 3-broker cluster (RF 3, min.insync.replicas 2): the cost of replication. */
async function replicatedSendLatency(count: number): Promise<Row> {
  const cluster = new Cluster({ brokers: 3, seed: 1, defaultReplicationFactor: 3, minInsyncReplicas: 2 })
  const kafka = new Kafka({ clientId: 'bench-acks-all', cluster, logLevel: logLevel.NOTHING })
  const producer = kafka.producer()
  await producer.connect()
  const value = Buffer.alloc(100, 'x')
  await producer.send({ topic: 'replicated', acks: -1, messages: [{ key: 'warm-up', value }] })
  const start = performance.now()
  for (let i = 0; i < count; i++) await producer.send({ topic: 'replicated', acks: -1, messages: [{ key: `order-${i}`, value }] })
  const ms = performance.now() - start
  await producer.disconnect()
  return { name: 'sequential send, acks=all, 3 brokers, RF 3', records: count, ms }
}

async function heapPerRecord(records: Array<{ key: string; value: Buffer }>): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const before = process.memoryUsage().heapUsed
  const cluster = new Cluster({ brokers: 1, seed: 1 })
  const kafka = new Kafka({ clientId: 'bench-heap', cluster, logLevel: logLevel.NOTHING })
  const producer = kafka.producer()
  await producer.connect()
  for (let i = 0; i < records.length; i += BATCH) {
    await producer.send({ topic: 'heap', acks: 1, messages: records.slice(i, i + BATCH) })
  }
  gc?.()
  const after = process.memoryUsage().heapUsed
  await producer.disconnect()
  // keep the cluster reachable until after the measurement
  if (cluster.brokerIds().length === 0) throw new Error('unreachable')
  return (after - before) / records.length
}

function format(rows: Row[]): string {
  const lines = rows.map((r) => {
    const perSec = Math.round((r.records / r.ms) * 1000)
    return `${r.name.padEnd(52)} ${String(r.records).padStart(9)} ${r.ms.toFixed(0).padStart(8)} ms ${perSec.toLocaleString('en-US').padStart(14)} rec/s`
  })
  return [`${'benchmark'.padEnd(52)} ${'records'.padStart(9)} ${'time'.padStart(11)} ${'throughput'.padStart(20)}`, ...lines].join('\n')
}

const records = makeRecords(RECORDS)
const rows = [emitterBaseline(records), await endToEnd(records, 'eachMessage'), await endToEnd(records, 'eachBatch')]
console.log(format(rows))
const replicated = await replicatedSendLatency(Math.min(RECORDS, 5000))
console.log(format([replicated]).split('\n')[1])
console.log(`  -> ${((replicated.ms * 1000) / replicated.records).toFixed(0)} µs per acknowledged acks=all send (leader append, two follower fetches, high watermark)`)
const heap = await heapPerRecord(records)
console.log(`\nheap per retained record (100-byte value, key "order-N"): ${heap.toFixed(0)} bytes` + ((globalThis as { gc?: unknown }).gc ? '' : ' (run with node --expose-gc for a steadier figure)'))
console.log(formatLifecycle(await lifecycleFigures()))
console.log(`node ${process.version}, ${RECORDS} records`)
console.log(await (await import('./wire.js')).wireBench())

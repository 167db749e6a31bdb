/**
 * The limit (issue 11): the bench's records pushed through an idealized pipeline of a few dozen
 * lines, doing only what any immutable in-process Kafka must do. murmur2 partitioning; one copy of
 * each produced batch into one buffer on append; replication to two followers by reference; one copy
 * per reader per fetched batch; KafkaJS-shaped messages; one await per request and, with
 * `awaitEachMessage`, one per delivered message. Nothing that keeps records immutable beats it.
 *
 * Its work per send follows the partitions the send writes, as kafkalite's must: with 3000 partitions a send of 1000
 * touches ~850 of them. Small batches share slabs, through kafkalite's own allocator. A pipeline that walked all 3000
 * partitions on each send, or gave each small batch an allocation of its own, would understate the limit there: this
 * one did so at first, at 0.33M records/s with 3000 partitions (15 % of its 6-partition speed for 20,000 records);
 * touching only what it writes, 0.64-0.71M (30 %), the 6-partition figure unchanged (2.0-2.3M).
 */
import { allocateLogBytes as allocate } from '../src/broker/log-bytes.js'
import { murmur2, toPositive } from '../src/client/murmur2.js'

export interface BenchRecord {
  key: string
  value: Buffer
}

interface IdealBatch {
  baseOffset: number
  count: number
  bytes: Buffer
  /** keyStart, keyLength, valueStart, valueLength per record. */
  layout: Int32Array
  timestamp: number
}

/** Runs the limit pipeline; resolves with the number of messages delivered. */
export async function limitPipeline(records: readonly BenchRecord[], partitions: number, batchSize: number, awaitEachMessage: boolean): Promise<number> {
  const leader: IdealBatch[][] = Array.from({ length: partitions }, () => [])
  const followers = [0, 1].map(() => Array.from({ length: partitions }, () => [] as IdealBatch[]))
  const byPartition: Array<Array<{ key: Buffer; value: Buffer }>> = Array.from({ length: partitions }, () => [])
  let delivered = 0
  const handler = async (message: { key: Buffer; value: Buffer; offset: string }): Promise<void> => {
    if (message.value.length > 0) delivered++
  }
  for (let i = 0; i < records.length; i += batchSize) {
    const written: number[] = []
    for (const record of records.slice(i, i + batchSize)) {
      const key = Buffer.from(record.key)
      const p = toPositive(murmur2(key)) % partitions
      const list = byPartition[p]!
      if (list.length === 0) written.push(p)
      list.push({ key, value: record.value })
    }
    await Promise.resolve() // the produce request
    for (const p of written) {
      const list = byPartition[p]!
      let size = 0
      for (const r of list) size += r.key.length + r.value.length
      const bytes = allocate(size)
      const layout = new Int32Array(list.length * 4)
      let at = 0
      list.forEach((r, j) => {
        layout[j * 4] = at
        at += r.key.copy(bytes, at)
        layout[j * 4 + 1] = r.key.length
        layout[j * 4 + 2] = at
        at += r.value.copy(bytes, at)
        layout[j * 4 + 3] = r.value.length
      })
      const log = leader[p]!
      const last = log[log.length - 1]
      const batch = Object.freeze({ baseOffset: last === undefined ? 0 : last.baseOffset + last.count, count: list.length, bytes, layout, timestamp: 0 })
      log.push(batch)
      for (const follower of followers) follower[p]!.push(batch)
      list.length = 0
    }
  }
  for (const log of leader) {
    await Promise.resolve() // the fetch request
    for (const batch of log) {
      const copy = allocate(batch.bytes.length)
      batch.bytes.copy(copy)
      const { layout } = batch
      for (let j = 0; j < batch.count; j++) {
        const message = {
          key: copy.subarray(layout[j * 4]!, layout[j * 4]! + layout[j * 4 + 1]!),
          value: copy.subarray(layout[j * 4 + 2]!, layout[j * 4 + 2]! + layout[j * 4 + 3]!),
          timestamp: String(batch.timestamp),
          attributes: 0,
          offset: String(batch.baseOffset + j),
          headers: {},
        }
        if (awaitEachMessage) await handler(message)
        else if (message.value.length > 0) delivered++
      }
    }
  }
  return delivered
}

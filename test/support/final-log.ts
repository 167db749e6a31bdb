/**
 * Reads what a topic finally holds, through the public API: a fresh consumer group reads every partition from the
 * beginning up to its high watermark, its reads recorded in the History (so lost-write sees the whole log). Call it
 * once the faults are over and the cluster has settled.
 */
import type { ReadRecord } from 'kafkalite'
import { startRecordedConsumer } from './recorded-consumer.js'
import type { VirtualKafka } from './virtual-kafka.js'

/** A topic's final log: per partition, offset → record. */
export type FinalLog = Map<number, Map<number, ReadRecord>>

let readers = 0

/** Reads `topic` to its high watermarks with a new group (process `final-reader-N`), then disconnects it. */
export async function readFinalLog(vk: VirtualKafka, topic: string): Promise<FinalLog> {
  const admin = await vk.admin()
  const ends = (await vk.run(admin.fetchTopicOffsets(topic))).map(({ partition, high }) => ({ partition, high: Number(high) }))
  const process = `final-reader-${++readers}`
  const reader = await startRecordedConsumer(vk, { groupId: process, topics: [topic], process })
  const log: FinalLog = new Map(ends.map(({ partition }) => [partition, new Map()]))
  const done = (): boolean => {
    for (const r of reader.reads) log.get(r.partition)!.set(r.offset, r)
    return ends.every(({ partition, high }) => high === 0 || log.get(partition)!.has(high - 1))
  }
  await vk.clock.runUntil(done, { maxMs: 120_000 })
  await vk.run(reader.consumer.disconnect())
  return log
}

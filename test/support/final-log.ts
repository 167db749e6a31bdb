/**
 * The kit's `readFinalLog` for the VirtualKafka set-up: reads what a topic finally holds with a fresh group, and
 * records the reads in the History as one reader's polls in offset order (so lost-write sees the whole log, and
 * `drained` holds). Call it once the faults are over and the cluster has settled.
 */
import { readFinalLog as readWithKit, type FinalLog } from 'kafkalite/testing'
import type { VirtualKafka } from './virtual-kafka.js'

export type { FinalLog }

/** Reads `topic` to its ends (read_committed, KafkaJS's default) and records it as process `final-reader`. */
export async function readFinalLog(vk: VirtualKafka, topic: string): Promise<FinalLog> {
  const log = await vk.run(readWithKit(vk.kafka, vk.clock, [topic], { isolation: 'read_committed' }))
  const partitions = log.extents.map(({ partition }) => ({ topic, partition }))
  vk.history.record({ type: 'assign', process: 'final-reader', partitions })
  for (const { partition } of partitions) {
    const records = log.records.filter((r) => r.partition === partition).sort((a, b) => a.offset - b.offset)
    if (records.length > 0) vk.history.record({ type: 'poll', process: 'final-reader', records: records.map((r) => ({ ...r, key: null })) })
  }
  return log
}

/** The values of one partition of a final log, in offset order. */
export function valuesOf(log: FinalLog, partition: number): string[] {
  return log.records.filter((r) => r.partition === partition).sort((a, b) => a.offset - b.offset).map((r) => r.value)
}

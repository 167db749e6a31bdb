import { describe, expect, it } from 'vitest'
import { buildControlBatch, buildRecordBatch } from '../../../src/broker/record-batch-builder.js'
import { Batch, withoutAbortedBatches } from '../../../src/client/consumer/batch.js'
import type { FetchPartitionResponse } from '../../../src/protocol/data-apis.js'
import type { ControlType, RecordBatch } from '../../../src/protocol/records.js'

/** A stored batch of `count` records from `offset` ("v<offset>" values), or a control batch. */
function stored(offset: number, extra: { count?: number; producerId?: number; transactional?: boolean; control?: ControlType } = {}): RecordBatch {
  const { count = 1, producerId = -1, transactional = false, control } = extra
  if (control !== undefined) return buildControlBatch(control, producerId, 0, 0, offset, 1000)
  const records = Array.from({ length: count }, (_, i) => ({ key: null, value: Buffer.from(`v${offset + i}`), headers: [], timestamp: 1000 + offset + i }))
  return buildRecordBatch({ producerId, producerEpoch: 0, baseSequence: -1, transactional, records }, { baseOffset: offset, leaderEpoch: 0, timestampType: 'CreateTime', nowMs: 0 })
}

function partition(batches: RecordBatch[], highWatermark: number, abortedTransactions: FetchPartitionResponse['abortedTransactions'] = []): FetchPartitionResponse {
  return { partition: 0, errorCode: 0, highWatermark, lastStableOffset: highWatermark, logStartOffset: 0, abortedTransactions, batches }
}

describe('Batch', () => {
  it('drops records below the fetch offset (a whole batch comes back) and reports offsets and lag as KafkaJS', () => {
    const batch = new Batch('t', 2, partition([stored(1, { count: 2 }), stored(3)], 10))
    expect(batch.messages.map((m) => m.offset)).toEqual(['2', '3'])
    expect(batch.firstOffset()).toBe('2')
    expect(batch.lastOffset()).toBe('3')
    expect(batch.offsetLag()).toBe('6')
    expect(batch.offsetLagLow()).toBe('7')
    expect(batch.isEmpty()).toBe(false)
  })

  it('an empty batch: lastOffset is high watermark - 1, no first offset', () => {
    const batch = new Batch('t', 5, partition([], 5))
    expect(batch.isEmpty()).toBe(true)
    expect(batch.isEmptyDueToFiltering()).toBe(false)
    expect(batch.firstOffset()).toBeNull()
    expect(batch.lastOffset()).toBe('4')
    expect(batch.offsetLagLow()).toBe('0')
  })

  it('control records are never messages, but count for lastOffset so the consumer moves past them', () => {
    const batch = new Batch('t', 0, partition([stored(0, { transactional: true, producerId: 7 }), stored(1, { control: 'COMMIT', producerId: 7 })], 2))
    expect(batch.messages.map((m) => m.offset)).toEqual(['0'])
    expect(batch.lastOffset()).toBe('1')
    const onlyMarker = new Batch('t', 1, partition([stored(1, { control: 'COMMIT', producerId: 7 })], 2))
    expect(onlyMarker.isEmptyDueToFiltering()).toBe(true)
  })
})

describe('withoutAbortedBatches (read_committed)', () => {
  it("skips an aborted transaction's batches up to its ABORT marker, keeping other producers' batches", () => {
    const batches = [
      stored(0, { producerId: 1, transactional: true }),
      stored(1, { producerId: 2, transactional: true }),
      stored(2, { producerId: 1, transactional: true }),
      stored(3, { producerId: 1, control: 'ABORT' }),
      stored(4, { producerId: 2, control: 'COMMIT' }),
      stored(5, { producerId: 1, transactional: true }),
      stored(6),
    ]
    const kept = withoutAbortedBatches(batches, [{ producerId: 1, firstOffset: 0 }]).map((b) => b.baseOffset)
    expect(kept).toEqual([1, 3, 4, 5, 6])
  })

  it('keeps everything when nothing was aborted', () => {
    const batches = [stored(0), stored(1)]
    expect(withoutAbortedBatches(batches, [])).toEqual(batches)
  })

  it("gives each reader its own bytes: writing into one Batch's message changes no other", () => {
    const data = partition([stored(0, { count: 2 })], 2)
    const first = new Batch('t', 0, data)
    first.messages[0]!.value!.fill(0)
    expect(new Batch('t', 0, data).messages.map((m) => m.value!.toString())).toEqual(['v0', 'v1'])
  })
})

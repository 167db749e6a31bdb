import { describe, expect, it } from 'vitest'
import { Batch, withoutAbortedRecords } from '../../../src/client/consumer/batch.js'
import type { FetchPartitionResponse } from '../../../src/protocol/data-apis.js'
import type { LogRecord } from '../../../src/protocol/records.js'

function record(offset: number, extra: Partial<LogRecord> = {}): LogRecord {
  return {
    offset,
    timestamp: 1000 + offset,
    timestampType: 'CreateTime',
    key: null,
    value: Buffer.from(`v${offset}`),
    headers: [],
    leaderEpoch: 0,
    producerId: -1,
    producerEpoch: -1,
    sequence: -1,
    transactional: false,
    sizeInBytes: 30,
    ...extra,
  }
}

function partition(records: LogRecord[], highWatermark: number, abortedTransactions: FetchPartitionResponse['abortedTransactions'] = []): FetchPartitionResponse {
  return { partition: 0, errorCode: 0, highWatermark, lastStableOffset: highWatermark, logStartOffset: 0, abortedTransactions, records }
}

describe('Batch', () => {
  it('drops records below the fetch offset and reports offsets and lag as KafkaJS', () => {
    const batch = new Batch('t', 2, partition([record(1), record(2), record(3)], 10))
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
    const batch = new Batch('t', 0, partition([record(0, { transactional: true, producerId: 7 }), record(1, { control: 'COMMIT', producerId: 7, transactional: true })], 2))
    expect(batch.messages.map((m) => m.offset)).toEqual(['0'])
    expect(batch.lastOffset()).toBe('1')
    const onlyMarker = new Batch('t', 1, partition([record(1, { control: 'COMMIT', producerId: 7, transactional: true })], 2))
    expect(onlyMarker.isEmptyDueToFiltering()).toBe(true)
  })
})

describe('withoutAbortedRecords (read_committed)', () => {
  it("skips an aborted transaction's records up to its ABORT marker, keeping other producers' records", () => {
    const records = [
      record(0, { producerId: 1, transactional: true }),
      record(1, { producerId: 2, transactional: true }),
      record(2, { producerId: 1, transactional: true }),
      record(3, { producerId: 1, transactional: true, control: 'ABORT' }),
      record(4, { producerId: 2, transactional: true, control: 'COMMIT' }),
      record(5, { producerId: 1, transactional: true }),
      record(6),
    ]
    const kept = withoutAbortedRecords(records, [{ producerId: 1, firstOffset: 0 }]).map((r) => r.offset)
    expect(kept).toEqual([1, 3, 4, 5, 6])
  })

  it('keeps everything when nothing was aborted', () => {
    const records = [record(0), record(1)]
    expect(withoutAbortedRecords(records, [])).toEqual(records)
  })
})

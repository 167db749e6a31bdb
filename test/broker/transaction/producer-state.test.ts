import { describe, expect, it } from 'vitest'
import { ProducerState } from '../../../src/broker/producer-state.js'
import { buildControlBatch, buildRecordBatch } from '../../../src/broker/record-batch-builder.js'
import { Errors, type ProducedBatch, type RecordBatch } from '../../../src/protocol/index.js'

function batch(producerId: number, producerEpoch: number, baseSequence: number, count: number, transactional = false): ProducedBatch {
  return {
    producerId,
    producerEpoch,
    baseSequence,
    transactional,
    records: Array.from({ length: count }, () => ({ key: null, value: null, headers: [], timestamp: 0 })),
  }
}

/** The batch as a leader stores it at `baseOffset` (the test's name keeps its call sites: records of one append). */
function records(b: ProducedBatch, baseOffset: number): RecordBatch[] {
  return [buildRecordBatch(b, { baseOffset, leaderEpoch: 0, timestampType: 'CreateTime', nowMs: 0 })]
}

function marker(producerId: number, producerEpoch: number, offset: number, control: 'COMMIT' | 'ABORT'): RecordBatch {
  return buildControlBatch(control, producerId, producerEpoch, 0, offset, 0)
}

describe('producer state', () => {
  it('an idempotent producer\'s own epoch bump (KIP-360): the new epoch starts at sequence 0, its sequence 0 is no duplicate of the old epoch\'s, and the old epoch is fenced', () => {
    const state = new ProducerState()
    state.apply(records(batch(7, 0, 0, 1), 0))
    expect(state.check(batch(7, 0, 0, 1))).toEqual({ kind: 'duplicate', baseOffset: 0 })
    expect(state.check(batch(7, 1, 0, 1)).kind).toBe('append')
    expect(state.check(batch(7, 1, 1, 1))).toMatchObject({ kind: 'reject', errorCode: Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code })
    state.apply(records(batch(7, 1, 0, 1), 1))
    expect(state.check(batch(7, 0, 1, 1))).toMatchObject({ kind: 'reject', errorCode: Errors.INVALID_PRODUCER_EPOCH.code })
    expect(state.check(batch(7, 1, 1, 1)).kind).toBe('append')
  })

  it('accepts the next sequence, answers a retried batch with its original offset, and rejects gaps', () => {
    const state = new ProducerState()
    expect(state.check(batch(7, 0, 0, 3)).kind).toBe('append')
    state.apply(records(batch(7, 0, 0, 3), 10))
    expect(state.check(batch(7, 0, 3, 2)).kind).toBe('append')
    state.apply(records(batch(7, 0, 3, 2), 20))
    expect(state.check(batch(7, 0, 0, 3))).toEqual({ kind: 'duplicate', baseOffset: 10 })
    expect(state.check(batch(7, 0, 3, 2))).toEqual({ kind: 'duplicate', baseOffset: 20 })
    expect(state.check(batch(7, 0, 6, 1))).toMatchObject({ kind: 'reject', errorCode: Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code })
    expect(state.check(batch(7, 0, 4, 2))).toMatchObject({ kind: 'reject', errorCode: Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code })
  })

  it('keeps only the last 5 runs for dedupe, as Kafka keeps 5 batches', () => {
    const state = new ProducerState()
    for (let i = 0; i < 6; i++) state.apply(records(batch(1, 0, i, 1), i * 10))
    expect(state.check(batch(1, 0, 0, 1)).kind).toBe('reject')
    expect(state.check(batch(1, 0, 1, 1))).toEqual({ kind: 'duplicate', baseOffset: 10 })
  })

  it('fences an older epoch and requires sequence 0 from a newer one', () => {
    const state = new ProducerState()
    state.apply(records(batch(1, 2, 0, 1), 0))
    expect(state.check(batch(1, 1, 1, 1))).toMatchObject({ kind: 'reject', errorCode: Errors.INVALID_PRODUCER_EPOCH.code })
    expect(state.check(batch(1, 3, 5, 1))).toMatchObject({ kind: 'reject', errorCode: Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code })
    expect(state.check(batch(1, 3, 0, 1)).kind).toBe('append')
    expect(state.checkMarker(1, 1)).toBe(Errors.INVALID_PRODUCER_EPOCH.code)
    expect(state.checkMarker(1, 2)).toBe(0)
  })

  it('tracks open transactions, aborted ones and the first unstable offset', () => {
    const state = new ProducerState()
    state.apply(records(batch(1, 0, 0, 2, true), 0))
    state.apply(records(batch(2, 0, 0, 1, true), 2))
    expect(state.firstUnstableOffset(3)).toBe(0)
    state.apply([marker(1, 0, 3, 'ABORT')])
    expect(state.firstUnstableOffset(3)).toBe(0)
    expect(state.firstUnstableOffset(4)).toBe(2)
    state.apply([marker(2, 0, 4, 'COMMIT')])
    expect(state.firstUnstableOffset(5)).toBeUndefined()
    expect(state.abortedTransactions(0, 5)).toEqual([{ producerId: 1, firstOffset: 0 }])
    expect(state.abortedTransactions(4, 5)).toEqual([])
  })

  it('a marker with a newer epoch bumps the producer epoch, fencing the old producer', () => {
    const state = new ProducerState()
    state.apply(records(batch(1, 0, 0, 1, true), 0))
    state.apply([marker(1, 1, 1, 'ABORT')])
    expect(state.check(batch(1, 0, 1, 1, true))).toMatchObject({ kind: 'reject', errorCode: Errors.INVALID_PRODUCER_EPOCH.code })
    expect(state.check(batch(1, 1, 0, 1, true)).kind).toBe('append')
  })

  it('rebuild from the same batches gives the same state', () => {
    const all = [...records(batch(1, 0, 0, 2, true), 0), marker(1, 0, 2, 'ABORT'), ...records(batch(1, 0, 2, 1), 3)]
    const a = new ProducerState()
    a.apply(all)
    const b = new ProducerState()
    b.apply([...all, ...records(batch(9, 0, 0, 1, true), 4)])
    b.rebuild(all)
    expect(b).toEqual(a)
  })

  describe('expiration (producer.id.expiration.ms, KIP-854)', () => {
    const DAY = 86_400_000
    const at = (b: ProducedBatch, baseOffset: number, timestamp: number): RecordBatch[] => [
      buildRecordBatch({ ...b, records: b.records.map((r) => ({ ...r, timestamp })) }, { baseOffset, leaderEpoch: 0, timestampType: 'CreateTime', nowMs: timestamp }),
    ]

    it('forgets a producer whose last batch is as old as the expiration, keeps a newer one, and then accepts the forgotten one at any sequence', () => {
      const state = new ProducerState()
      state.apply(at(batch(1, 0, 0, 2), 0, 1000))
      state.apply(at(batch(2, 0, 0, 1), 2, 1000 + DAY / 2))
      expect(state.removeExpired(1000 + DAY - 1, DAY)).toBe(0)
      expect(state.removeExpired(1000 + DAY, DAY)).toBe(1)
      expect(state.producerCount).toBe(1)
      // KIP-360: no state, so the next batch appends whatever its sequence (no OUT_OF_ORDER for a producer the broker forgot).
      expect(state.check(batch(1, 0, 2, 1)).kind).toBe('append')
      expect(state.check(batch(2, 0, 5, 1))).toMatchObject({ kind: 'reject', errorCode: Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code })
    })

    it('keeps a producer with an open transaction however old, and forgets it after its marker ages', () => {
      const state = new ProducerState()
      state.apply(at(batch(3, 0, 0, 1, true), 0, 0))
      expect(state.removeExpired(10 * DAY, DAY)).toBe(0)
      state.apply([buildControlBatch('COMMIT', 3, 0, 0, 1, 10 * DAY)])
      expect(state.removeExpired(11 * DAY - 1, DAY)).toBe(0)
      expect(state.removeExpired(11 * DAY, DAY)).toBe(1)
    })

    it('a rebuild from the log (truncation, power loss) keeps expired producers forgotten', () => {
      const state = new ProducerState()
      const log = [...at(batch(1, 0, 0, 1), 0, 0), ...at(batch(2, 0, 0, 1), 1, 5 * DAY)]
      state.apply(log)
      state.removeExpired(2 * DAY, DAY)
      state.rebuild(log)
      expect(state.producerCount).toBe(1)
      expect(state.epochOf(1)).toBeUndefined()
      expect(state.epochOf(2)).toBe(0)
    })
  })
})

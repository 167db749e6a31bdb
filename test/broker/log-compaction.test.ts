/** Log compaction by the log cleaner (cleanup.policy=compact), on one PartitionLog: what a cleaning keeps and when it runs. */
import { describe, expect, it } from 'vitest'
import type { CompactionLimits } from '../../src/broker/log-cleaner.js'
import { PartitionLog, type FlushPolicy } from '../../src/broker/partition-log.js'
import { ProducerState } from '../../src/broker/producer-state.js'
import type { ProducedBatch } from '../../src/protocol/index.js'

/** Every batch rolls a new segment, so every batch but the last is in a closed segment. */
const ROLL_EVERY_BATCH: FlushPolicy = { flushMessages: Infinity, flushMs: Infinity, segmentBytes: 1, segmentMs: Infinity }

const LIMITS: CompactionLimits = {
  nowMs: 1000,
  deleteRetentionMs: 500,
  minCompactionLagMs: 0,
  maxCompactionLagMs: Number.MAX_SAFE_INTEGER,
  minCleanableDirtyRatio: 0.5,
  lastStableOffset: Infinity,
}

type Entry = readonly [key: string | null, value: string | null]

function keyed(entries: readonly Entry[], producer: { id: number; seq: number; transactional?: boolean } = { id: -1, seq: -1 }, timestamp = 100): ProducedBatch {
  return {
    producerId: producer.id,
    producerEpoch: producer.id < 0 ? -1 : 0,
    baseSequence: producer.seq,
    transactional: producer.transactional ?? false,
    records: entries.map(([k, v]) => ({ key: k === null ? null : Buffer.from(k), value: v === null ? null : Buffer.from(v), headers: [], timestamp })),
  }
}

function table(log: PartitionLog): Array<[number, string | null, string | null]> {
  return log.read(0, Infinity, Infinity).filter((r) => r.control === undefined).map((r) => [r.offset, r.key?.toString() ?? null, r.value?.toString() ?? null])
}

function appendAll(log: PartitionLog, batches: readonly ProducedBatch[], nowMs = 100): void {
  for (const b of batches) log.appendAsLeader(b, 0, 'CreateTime', nowMs)
}

describe('log compaction (cleanup.policy=compact)', () => {
  it('keeps the newest record of each key in the closed segments; offsets never change, the active segment is untouched', () => {
    const log = new PartitionLog(() => ROLL_EVERY_BATCH, 0)
    appendAll(log, [keyed([['a', '1'], ['b', '1']]), keyed([['a', '2'], ['c', '1']]), keyed([['b', '2']]), keyed([['a', '3']])])
    expect(log.compact(LIMITS)).toEqual({ markersRemoved: false })
    // Offsets 0..4 are closed, 5 is the active segment (a=3 stays, and a=2 is the newest *in the cleaned part*).
    expect(table(log)).toEqual([
      [2, 'a', '2'],
      [3, 'c', '1'],
      [4, 'b', '2'],
      [5, 'a', '3'],
    ])
    expect(log.logStartOffset).toBe(0)
    expect(log.logEndOffset).toBe(6)
    // Reads from inside a gap start at the next record.
    expect(log.read(1, Infinity, Infinity).map((r) => r.offset)).toEqual([2, 3, 4, 5])
    expect(log.recordAt(0)).toBeUndefined()
    // The batch at 0 went; the cleaned segments left empty went with it.
    expect(log.segmentList().map((s) => s.baseOffset)).toEqual([2, 4, 5])
    // A second cleaning has nothing dirty to do.
    expect(log.compact(LIMITS)).toBeNull()
    appendAll(log, [keyed([['c', '2']])])
    expect(log.compact({ ...LIMITS, minCleanableDirtyRatio: 0 })).not.toBeNull()
    // a=2 goes now that a=3 is closed; c=1 stays until c=2 leaves the active segment.
    expect(table(log).map(([o, k, v]) => `${o}:${k}=${v}`)).toEqual(['3:c=1', '4:b=2', '5:a=3', '6:c=2'])
  })

  it('a tombstone stays for delete.retention.ms after the cleaning that first meets it (KIP-534), then goes', () => {
    const log = new PartitionLog(() => ROLL_EVERY_BATCH, 0)
    appendAll(log, [keyed([['a', '1'], ['b', '1']]), keyed([['a', null]]), keyed([['z', '1']])])
    log.compact(LIMITS)
    expect(table(log)).toEqual([
      [1, 'b', '1'],
      [2, 'a', null],
      [3, 'z', '1'],
    ])
    // Nothing dirty, and the horizon (1000 + 500) is ahead.
    expect(log.compact({ ...LIMITS, nowMs: 1499 })).toBeNull()
    expect(log.compact({ ...LIMITS, nowMs: 1500 })).not.toBeNull()
    expect(table(log)).toEqual([
      [1, 'b', '1'],
      [3, 'z', '1'],
    ])
  })

  it('with delete.retention.ms=0, the next cleaning removes the tombstone though nothing new is dirty', () => {
    const log = new PartitionLog(() => ROLL_EVERY_BATCH, 0)
    appendAll(log, [keyed([['a', '1']]), keyed([['a', null]]), keyed([['z', '1']])])
    const now = { ...LIMITS, deleteRetentionMs: 0 }
    log.compact(now)
    expect(table(log).map(([o]) => o)).toEqual([1, 2])
    expect(log.compact({ ...now, nowMs: 1001 })).not.toBeNull()
    expect(table(log).map(([o]) => o)).toEqual([2])
  })

  it('waits for min.compaction.lag.ms, the dirty ratio, or max.compaction.lag.ms (KIP-354)', () => {
    const log = new PartitionLog(() => ROLL_EVERY_BATCH, 0)
    appendAll(log, [keyed([['a', '1']], undefined, 100), keyed([['a', '2']], undefined, 900), keyed([['z', '1']], undefined, 950)])
    // Offset 1 (timestamp 900) is within a lag of 200 at 1000: only the first segment may be cleaned, which holds nothing to drop.
    log.compact({ ...LIMITS, minCompactionLagMs: 200 })
    expect(table(log).map(([o]) => o)).toEqual([0, 1, 2])
    // With the lag passed, a=1 goes.
    expect(log.compact({ ...LIMITS, nowMs: 1101, minCompactionLagMs: 200 })).toBeNull()
    // Half the cleanable bytes are dirty: Kafka cleans above min.cleanable.dirty.ratio, not at it.
    expect(log.compact({ ...LIMITS, nowMs: 1101, minCompactionLagMs: 200, minCleanableDirtyRatio: 0.49 })).not.toBeNull()
    expect(table(log).map(([o]) => o)).toEqual([1, 2])
    // A little dirt over a clean log: not above the dirty ratio, until max.compaction.lag.ms.
    appendAll(log, [keyed([['a', '3']], undefined, 1200), keyed([['y', '1']], undefined, 1200)])
    const dirty = { ...LIMITS, nowMs: 1300, minCleanableDirtyRatio: 0.9 }
    expect(log.compact(dirty)).toBeNull()
    expect(log.compact({ ...dirty, maxCompactionLagMs: 50 })).not.toBeNull()
    expect(table(log).map(([o]) => o)).toEqual([2, 3, 4])
  })

  it('never cleans at or above the last stable offset', () => {
    const log = new PartitionLog(() => ROLL_EVERY_BATCH, 0)
    appendAll(log, [keyed([['a', '1']]), keyed([['a', '2']]), keyed([['a', '3']]), keyed([['z', '1']])])
    log.compact({ ...LIMITS, lastStableOffset: 2 })
    expect(table(log).map(([o]) => o)).toEqual([1, 2, 3])
  })

  it('removes records without a key (a topic switched to compact may hold some)', () => {
    const log = new PartitionLog(() => ROLL_EVERY_BATCH, 0)
    appendAll(log, [keyed([[null, 'x'], ['a', '1']]), keyed([['z', '1']])])
    log.compact(LIMITS)
    expect(table(log)).toEqual([
      [1, 'a', '1'],
      [2, 'z', '1'],
    ])
  })

  it("keeps an idempotent producer's last batch, empty, so its sequence survives a rebuild of producer state", () => {
    const log = new PartitionLog(() => ROLL_EVERY_BATCH, 0)
    appendAll(log, [keyed([['a', '1'], ['b', '1']], { id: 7, seq: 0 }), keyed([['a', '2'], ['b', '2']], { id: 8, seq: 0 }), keyed([['z', '1']])])
    log.compact(LIMITS)
    expect(table(log).map(([o]) => o)).toEqual([2, 3, 4])
    const empty = log.allBatches()[0]!
    expect({ base: empty.baseOffset, count: empty.count, producerId: empty.producerId }).toEqual({ base: 0, count: 0, producerId: 7 })
    const state = new ProducerState()
    state.rebuild(log.allBatches())
    // Producer 7 continues at sequence 2, as before the cleaning.
    expect(state.check(keyed([['c', '1']], { id: 7, seq: 2 }))).toEqual({ kind: 'append' })
    expect(state.check(keyed([['a', '1'], ['b', '1']], { id: 7, seq: 0 }))).toEqual({ kind: 'duplicate', baseOffset: 0 })
  })

  it('removes aborted transactions at once, and markers delete.retention.ms later once no batch of their transaction is left', () => {
    const log = new PartitionLog(() => ROLL_EVERY_BATCH, 0)
    const txn = (producerId: number, seq: number, entry: Entry, end: 'COMMIT' | 'ABORT'): void => {
      log.appendAsLeader(keyed([entry], { id: producerId, seq, transactional: true }), 0, 'CreateTime', 100)
      log.appendControlAsLeader(end, producerId, 0, 0, 100)
    }
    txn(5, 0, ['a', 'aborted'], 'ABORT')
    txn(6, 0, ['b', 'committed'], 'COMMIT')
    txn(5, 1, ['c', '1'], 'COMMIT')
    txn(6, 1, ['b', 'newer'], 'COMMIT')
    appendAll(log, [keyed([['z', '1']])])
    const kinds = (): string[] => log.read(0, Infinity, Infinity).map((r) => `${r.offset}:${r.control ?? r.value?.toString()}`)
    expect(log.compact(LIMITS)).toEqual({ markersRemoved: false })
    // Every marker gets its delete horizon; those of transactions met in this cleaning stay at least until the next.
    expect(kinds()).toEqual(['1:ABORT', '3:COMMIT', '4:1', '5:COMMIT', '6:newer', '7:COMMIT', '8:1'])
    expect(log.compact({ ...LIMITS, nowMs: 1499 })).toBeNull()
    expect(log.compact({ ...LIMITS, nowMs: 1500 })).toEqual({ markersRemoved: true })
    // The markers of transactions with a batch left stay.
    expect(kinds()).toEqual(['4:1', '5:COMMIT', '6:newer', '7:COMMIT', '8:1'])
  })

  it('a follower copies a cleaned log across its gaps, and a truncation inside a cleaned batch keeps its offsets', () => {
    const leader = new PartitionLog(() => ROLL_EVERY_BATCH, 0)
    appendAll(leader, [keyed([['a', '1']]), keyed([['a', '2'], ['b', '1'], ['a', '3'], ['c', '1']]), keyed([['z', '1']])])
    leader.compact(LIMITS)
    expect(table(leader).map(([o]) => o)).toEqual([2, 3, 4, 5])
    const follower = new PartitionLog(() => ROLL_EVERY_BATCH, 0)
    follower.appendAsFollower(leader.readBatches(0, Infinity, Infinity), 100)
    expect(table(follower)).toEqual(table(leader))
    expect(follower.logEndOffset).toBe(6)
    follower.truncateTo(4)
    expect(table(follower).map(([o]) => o)).toEqual([2, 3])
    expect(follower.logEndOffset).toBe(4)
    // A follower whose log ends inside the cleaned batch takes the rest of it.
    const behind = new PartitionLog(() => ROLL_EVERY_BATCH, 0)
    behind.appendAsFollower(follower.readBatches(0, Infinity, Infinity), 100)
    behind.appendAsFollower(leader.readBatches(4, Infinity, Infinity), 100)
    expect(table(behind)).toEqual(table(leader))
  })
})

import { describe, expect, it } from 'vitest'
import { PartitionLog, type FlushPolicy } from '../../src/broker/partition-log.js'
import { batch } from './cluster-test-kit.js'

const NEVER: FlushPolicy = { flushMessages: Infinity, flushMs: Infinity, segmentBytes: Infinity, segmentMs: Infinity }

function log(policy: FlushPolicy = NEVER): PartitionLog {
  return new PartitionLog(() => policy, 0)
}

describe('PartitionLog', () => {
  it('truncating at its end drops an epoch it started as leader without appending (Kafka UnifiedLog.truncateTo)', () => {
    const l = log()
    l.appendAsLeader(batch(['a']), 0, 'CreateTime', 5)
    // Became leader in epoch 1 at offset 1 and lost it before writing: the leader it now follows may write offset 1 in epoch 0.
    l.epochs.assign(1, 1)
    l.truncateTo(1)
    expect(l.epochs.all()).toEqual([{ epoch: 0, startOffset: 0 }])
    expect(l.logEndOffset).toBe(1)
  })

  it('assigns contiguous offsets and the leader epoch, and freezes batches', () => {
    const l = log()
    expect(l.appendAsLeader(batch(['a', 'b']), 0, 'CreateTime', 5)).toMatchObject({ baseOffset: 0, lastOffset: 1, logAppendTime: -1 })
    expect(l.appendAsLeader(batch(['c']), 2, 'CreateTime', 5)).toMatchObject({ baseOffset: 2, lastOffset: 2, logAppendTime: -1 })
    expect(l.logEndOffset).toBe(3)
    const records = l.read(0, 1 << 20, Infinity)
    expect(records.map((r) => [r.offset, r.leaderEpoch, r.timestamp])).toEqual([
      [0, 0, 1000],
      [1, 0, 1000],
      [2, 2, 1000],
    ])
    expect(Object.isFrozen(l.batchAt(0))).toBe(true)
    expect(l.batchAt(1)).toBe(l.batchAt(0))
    expect(l.epochs.all()).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 2, startOffset: 2 },
    ])
  })

  it('uses the broker time with LogAppendTime', () => {
    const l = log()
    expect(l.appendAsLeader(batch(['a']), 0, 'LogAppendTime', 77).logAppendTime).toBe(77)
    expect(l.recordAt(0)).toMatchObject({ timestamp: 77, timestampType: 'LogAppendTime' })
  })

  it('reads whole batches bounded by max offset and max bytes, with at least one batch unless told otherwise (KIP-74)', () => {
    const l = log()
    l.appendAsLeader(batch(['x'.repeat(100), 'y']), 0, 'CreateTime', 0)
    l.appendAsLeader(batch(['z']), 0, 'CreateTime', 0)
    expect(l.read(0, 10, Infinity)).toHaveLength(2)
    expect(l.read(0, 10, Infinity, false)).toHaveLength(0)
    expect(l.read(1, 1 << 20, 2).map((r) => r.offset)).toEqual([1])
    expect(l.readBatches(1, 1 << 20, Infinity).map((b) => b.baseOffset)).toEqual([0, 2])
    expect(l.readBatches(0, 1 << 20, 1).map((b) => b.count)).toEqual([1])
    expect(l.read(3, 1 << 20, Infinity)).toEqual([])
  })

  it('truncates a suffix and its epochs', () => {
    const l = log()
    l.appendAsLeader(batch(['a', 'b']), 0, 'CreateTime', 0)
    l.appendAsLeader(batch(['c', 'd']), 1, 'CreateTime', 0)
    l.truncateTo(2)
    expect(l.logEndOffset).toBe(2)
    expect(l.epochs.all()).toEqual([{ epoch: 0, startOffset: 0 }])
    l.truncateTo(5)
    expect(l.logEndOffset).toBe(2)
  })

  it('finds the first offset at or after a timestamp', () => {
    const l = log()
    for (const ts of [10, 30, 20, 40]) l.appendAsLeader(batch(['v'], ts), 0, 'CreateTime', 0)
    expect(l.offsetForTimestamp(25, Infinity)?.offset).toBe(1)
    expect(l.offsetForTimestamp(35, 3)).toBeUndefined()
    expect(l.offsetForTimestamp(0, Infinity)?.offset).toBe(0)
  })

  it('flushes by flush.messages, and a power loss falls back to the flushed offset', () => {
    const l = log({ ...NEVER, flushMessages: 3 })
    l.appendAsLeader(batch(['a', 'b']), 0, 'CreateTime', 0)
    expect(l.flushedOffset).toBe(0)
    l.appendAsLeader(batch(['c']), 0, 'CreateTime', 0)
    expect(l.flushedOffset).toBe(3)
    l.appendAsLeader(batch(['d']), 0, 'CreateTime', 0)
    l.loseUnflushed()
    expect(l.logEndOffset).toBe(3)
  })

  it('flushes by flush.ms and at a segment roll', () => {
    const timed = new PartitionLog(() => ({ ...NEVER, flushMs: 100 }), 0)
    timed.appendAsLeader(batch(['a']), 0, 'CreateTime', 50)
    expect(timed.flushedOffset).toBe(0)
    timed.appendAsLeader(batch(['b']), 0, 'CreateTime', 150)
    expect(timed.flushedOffset).toBe(2)
    const rolled = log({ ...NEVER, segmentBytes: 150 })
    rolled.appendAsLeader(batch(['a'.repeat(20)]), 0, 'CreateTime', 0)
    expect(rolled.flushedOffset).toBe(0)
    // Kafka rolls before the batch that would overflow segment.bytes, flushing the finished segment.
    rolled.appendAsLeader(batch(['b'.repeat(20)]), 0, 'CreateTime', 0)
    expect(rolled.flushedOffset).toBe(1)
    expect(rolled.segmentList().map((s) => s.baseOffset)).toEqual([0, 1])
  })

  it('rolls a segment at the first append after segment.ms', () => {
    const aged = log({ ...NEVER, segmentMs: 100 })
    aged.appendAsLeader(batch(['a']), 0, 'CreateTime', 0)
    aged.appendAsLeader(batch(['b']), 0, 'CreateTime', 99)
    aged.appendAsLeader(batch(['c']), 0, 'CreateTime', 100)
    expect(aged.segmentList().map((s) => s.baseOffset)).toEqual([0, 2])
  })

  it('retention deletes whole segments by time and by size, never one reaching above the high watermark, and moves the log start offset', () => {
    const l = log({ ...NEVER, segmentMs: 10 })
    for (let t = 0; t < 50; t += 10) l.appendAsLeader(batch([`r${t}`], t), 0, 'CreateTime', t)
    expect(l.segmentList().map((s) => s.baseOffset)).toEqual([0, 1, 2, 3, 4])
    // retention.ms 25 at time 50: segments with max timestamp 0 and 10 and 20 are older than 25 ms; only those below HW 2 go.
    expect(l.applyRetention({ nowMs: 50, retentionMs: 25, retentionBytes: -1, highWatermark: 2 })).toBe(true)
    expect([l.logStartOffset, l.read(0, 1e9, 10).map((r) => r.offset)]).toEqual([2, [2, 3, 4]])
    const size = l.segmentList()[0]!.bytes
    // retention.bytes of two segments: the oldest of three goes.
    expect(l.applyRetention({ nowMs: 50, retentionMs: -1, retentionBytes: 2 * size, highWatermark: 5 })).toBe(true)
    expect(l.logStartOffset).toBe(3)
    expect(l.applyRetention({ nowMs: 50, retentionMs: -1, retentionBytes: 2 * size, highWatermark: 5 })).toBe(false)
    // Everything expired: a new empty active segment at the log end; the log start is the log end.
    expect(l.applyRetention({ nowMs: 1000, retentionMs: 1, retentionBytes: -1, highWatermark: 5 })).toBe(true)
    expect([l.logStartOffset, l.logEndOffset, l.segmentList().map((s) => s.baseOffset)]).toEqual([5, 5, [5]])
  })

  it('appends as follower only records that continue the log', () => {
    const leader = log()
    leader.appendAsLeader(batch(['a', 'b']), 3, 'CreateTime', 0)
    const follower = log()
    follower.appendAsFollower(leader.readBatches(0, 1 << 20, Infinity), 0)
    expect(follower.batchAt(1)).toBe(leader.batchAt(1))
    expect(follower.recordAt(1)).toEqual(leader.recordAt(1))
    expect(follower.epochs.all()).toEqual([{ epoch: 3, startOffset: 0 }])
    // A batch already held is skipped; one past the log end follows a gap the leader's log cleaner left (compaction), as Kafka's followers take it.
    expect(follower.appendAsFollower(leader.readBatches(0, 1 << 20, Infinity), 0)).toEqual([])
    leader.appendAsLeader(batch(['c']), 3, 'CreateTime', 0)
    leader.appendAsLeader(batch(['d']), 3, 'CreateTime', 0)
    expect(follower.appendAsFollower(leader.readBatches(3, 1 << 20, Infinity), 0).map((b) => b.baseOffset)).toEqual([3])
    expect(follower.logEndOffset).toBe(4)
    expect(follower.recordAt(2)).toBeUndefined()
  })

  it('reads by offset directly in a large log', () => {
    const l = log()
    const one = batch(['v'])
    for (let i = 0; i < 200_000; i++) l.appendAsLeader(one, 0, 'CreateTime', 0)
    expect(l.read(199_990, 1 << 20, Infinity).map((r) => r.offset)).toEqual(Array.from({ length: 10 }, (_, i) => 199_990 + i))
  })
})

/**
 * Compaction keeps a table: reading a compacted topic from the beginning at any moment gives, for every key, the same
 * latest value as the full history, per-key order kept; and once the log has moved on by delete.retention.ms, a key
 * whose latest record is a tombstone is gone. On virtual time, with random compaction configs
 * (`segment.bytes`, `min.compaction.lag.ms`, `max.compaction.lag.ms`, `min.cleanable.dirty.ratio`,
 * `delete.retention.ms`) and a leader change, on every replica (each cleans its own log).
 *
 * Windows it must reach (asserted on the coverage figures): a read that missed records the cleaner removed, a read
 * that saw a tombstone, a tombstone removed, and a read from a new leader after the cleaner had run.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Coverage } from '../support/coverage.js'
import { CLIENT, createTopic, fetch, leaderOf, makeCluster } from './cluster-test-kit.js'
import type { BrokerFleet } from '../../src/broker/broker-fleet.js'
import type { VirtualClock } from '../../src/time/index.js'

const RUNS = 25
const BACKOFF_MS = 1000
const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4']

type Op =
  | { readonly kind: 'produce'; readonly entries: ReadonlyArray<readonly [key: string, tombstone: boolean]> }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'read' }
  | { readonly kind: 'leader change' }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  // About one record in five is a tombstone.
  { weight: 5, arbitrary: fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.integer({ min: 0, max: 4 }).map((n) => n === 0)), { minLength: 1, maxLength: 4 }).map((entries) => ({ kind: 'produce' as const, entries })) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 4000 }).map((ms) => ({ kind: 'advance' as const, ms })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'read' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'leader change' as const }) },
)

const configArb = fc.record({
  segmentBytes: fc.integer({ min: 90, max: 600 }),
  minCompactionLagMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 })),
  maxCompactionLagMs: fc.oneof(fc.constant(Number.MAX_SAFE_INTEGER), fc.integer({ min: 1, max: 5000 })),
  minCleanableDirtyRatio: fc.constantFrom(0, 0.5, 0.9),
  deleteRetentionMs: fc.integer({ min: 0, max: 5000 }),
})

interface Written {
  readonly offset: number
  readonly key: string
  readonly value: string | null
}

const coverage = new Coverage(['read missed cleaned records', 'read saw a tombstone', 'tombstone removed', 'read from a new leader after cleaning'] as const)

/** What a replica's log reads as from its start, below `below`. */
function replicaTable(cluster: BrokerFleet, brokerId: number, below: number): Written[] {
  return cluster
    .broker(brokerId)
    .replica('t', 0)!
    .log.read(0, Infinity, below)
    .map((r) => ({ offset: r.offset, key: r.key!.toString(), value: r.value?.toString() ?? null }))
}

/** The table guarantee for one read (see the file comment); returns whether the read missed anything. */
function checkRead(history: readonly Written[], read: readonly Written[], highWatermark: number): { missed: boolean; sawTombstone: boolean } {
  const below = history.filter((w) => w.offset < highWatermark)
  const byOffset = new Map(below.map((w) => [w.offset, w]))
  // Per-key order kept and nothing invented: every record read is the one written at its offset, in offset order.
  for (let i = 0; i < read.length; i++) {
    expect(read[i], `read record at ${read[i]!.offset}`).toEqual(byOffset.get(read[i]!.offset))
    if (i > 0) expect(read[i]!.offset).toBeGreaterThan(read[i - 1]!.offset)
  }
  const latest = (records: readonly Written[]) => new Map(records.map((w) => [w.key, w]))
  const expected = latest(below)
  const got = latest(read)
  for (const [key, last] of expected) {
    // A key whose latest record is a tombstone may be gone entirely; otherwise its latest record is read.
    if (last.value === null && !got.has(key)) continue
    expect(got.get(key), `latest of ${key}`).toEqual(last)
  }
  return { missed: read.length < below.length, sawTombstone: read.some((w) => w.value === null) }
}

async function send(clock: VirtualClock, cluster: BrokerFleet, entries: ReadonlyArray<readonly [string, string | null]>): Promise<number> {
  const response = await clock.run(
    cluster.dispatch(leaderOf(cluster, 't'), CLIENT, 'Produce', {
      acks: -1,
      timeoutMs: 30000,
      transactionalId: null,
      topics: [
        {
          topic: 't',
          partitions: [
            {
              partition: 0,
              batch: {
                producerId: -1,
                producerEpoch: -1,
                baseSequence: -1,
                transactional: false,
                records: entries.map(([key, value]) => ({ key: Buffer.from(key), value: value === null ? null : Buffer.from(value), headers: [], timestamp: clock.now() })),
              },
            },
          ],
        },
      ],
    }),
  )
  const answer = response.topics[0]!.partitions[0]!
  expect(answer.errorCode).toBe(0)
  return answer.baseOffset
}

type CompactionConfig = typeof configArb extends fc.Arbitrary<infer C> ? C : never

async function runScenario(config: CompactionConfig, ops: readonly Op[]): Promise<void> {
  const { clock, cluster } = makeCluster({ brokers: 3, logCleanerBackoffMs: BACKOFF_MS })
  await createTopic(cluster, 't', 1, 3, [
    { name: 'cleanup.policy', value: 'compact' },
    { name: 'message.timestamp.type', value: 'LogAppendTime' },
    { name: 'segment.bytes', value: String(config.segmentBytes) },
    { name: 'min.compaction.lag.ms', value: String(config.minCompactionLagMs) },
    { name: 'max.compaction.lag.ms', value: String(config.maxCompactionLagMs) },
    { name: 'min.cleanable.dirty.ratio', value: String(config.minCleanableDirtyRatio) },
    { name: 'delete.retention.ms', value: String(config.deleteRetentionMs) },
  ])
  const history: Written[] = []
  let next = 0
  const reached = { 'read missed cleaned records': false, 'read saw a tombstone': false, 'tombstone removed': false, 'read from a new leader after cleaning': false }
  let leaderChanged = false
  const read = async (): Promise<void> => {
    const answer = await fetch(clock, cluster, 't', 0)
    expect(answer.errorCode).toBe(0)
    const records = answer.records.map((r) => ({ offset: r.offset, key: r.key!.toString(), value: r.value?.toString() ?? null }))
    const { missed, sawTombstone } = checkRead(history, records, answer.highWatermark)
    if (missed) reached['read missed cleaned records'] = true
    if (missed && leaderChanged) reached['read from a new leader after cleaning'] = true
    if (sawTombstone) reached['read saw a tombstone'] = true
  }
  for (const op of ops) {
    if (op.kind === 'produce') {
      const entries = op.entries.map(([key, tombstone]) => [key, tombstone ? null : `v${next++}`] as const)
      const base = await send(clock, cluster, entries)
      entries.forEach(([key, value], i) => history.push({ offset: base + i, key, value }))
    } else if (op.kind === 'advance') await clock.advance(op.ms)
    else if (op.kind === 'read') await read()
    else {
      const leader = leaderOf(cluster, 't')
      cluster.crashBroker(leader)
      await clock.advance(20_000)
      cluster.restartBroker(leader)
      await clock.advance(5_000)
      leaderChanged = true
    }
  }
  await read()
  // The log moves on: two batches larger than segment.bytes roll the segments holding everything written.
  const big = 'x'.repeat(700)
  await clock.advance(1)
  const end = await send(clock, cluster, [['end', big]])
  await send(clock, cluster, [['end', big]])
  history.push({ offset: end, key: 'end', value: big }, { offset: end + 1, key: 'end', value: big })
  // KIP-354: with max.compaction.lag.ms, everything is cleaned within it (whatever the dirty ratio), and a tombstone
  // goes delete.retention.ms after that; the cleaner runs every log.cleaner.backoff.ms.
  const bounded = config.maxCompactionLagMs < Number.MAX_SAFE_INTEGER
  await clock.advance(bounded ? config.minCompactionLagMs + config.maxCompactionLagMs + config.deleteRetentionMs + 4 * BACKOFF_MS : 4 * BACKOFF_MS)
  const highWatermark = cluster.broker(leaderOf(cluster, 't')).replica('t', 0)!.highWatermark
  const tombstoned = [...new Map(history.map((w) => [w.key, w])).values()].filter((w) => w.value === null).map((w) => w.key)
  for (const id of [0, 1, 2]) {
    // Every replica reads as the same table (each cleaned its own log).
    const table = replicaTable(cluster, id, highWatermark)
    checkRead(history, table, highWatermark)
    if (!bounded) continue
    for (const key of tombstoned) expect(table.some((w) => w.key === key), `broker ${id}: tombstoned ${key} still there`).toBe(false)
    if (tombstoned.length > 0) reached['tombstone removed'] = true
  }
  coverage.record(reached)
}

describe('log compaction on virtual time', () => {
  it('reading a compacted topic from the beginning at any moment gives every key its latest value, per-key order kept; tombstoned keys go after delete.retention.ms, on every replica', async () => {
    await fc.assert(fc.asyncProperty(configArb, fc.array(opArb, { minLength: 5, maxLength: 40 }), runScenario), { numRuns: RUNS })
    console.info(`compaction coverage: ${coverage.toString()}`)
    for (const [window, share] of [
      ['read missed cleaned records', 0.3],
      ['read saw a tombstone', 0.3],
      ['tombstone removed', 0.12],
      ['read from a new leader after cleaning', 0.1],
    ] as const) {
      expect(coverage.count(window), coverage.toString()).toBeGreaterThanOrEqual(Math.ceil(share * RUNS))
    }
  }, 300_000)
})

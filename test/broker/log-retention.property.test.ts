/**
 * Retention (`cleanup.policy=delete`) as a contract: the cleaner never removes a record newer than `retention.ms`,
 * nor one among the newest `retention.bytes` of the log, nor one at or above the high watermark; on every replica.
 * On virtual time with random retention and segment configs, acks=1 and acks=all, and a follower cut off while
 * still in the ISR (so the high watermark lags behind the log end).
 *
 * Windows it must reach (asserted on the coverage figures): records removed by time, removed by size, and a
 * retention check while the high watermark was below the log end with a closed segment past retention above it.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { BrokerFleet } from '../../src/broker/broker-fleet.js'
import { Coverage } from '../support/coverage.js'
import { createTopic, leaderOf, makeCluster, produce } from './cluster-test-kit.js'

const RUNS = 30
const CHECK_INTERVAL_MS = 1000

type Op =
  | { readonly kind: 'produce'; readonly count: number; readonly acks: 1 | -1 }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'isolate follower' }
  | { readonly kind: 'heal' }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('produce' as const), count: fc.integer({ min: 1, max: 3 }), acks: fc.constantFrom(1 as const, -1 as const) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3000 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'isolate follower' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'heal' as const }) },
)

const configArb = fc.record({
  retentionMs: fc.oneof({ weight: 1, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 5000 }) }),
  retentionBytes: fc.oneof({ weight: 1, arbitrary: fc.constant(-1) }, { weight: 2, arbitrary: fc.integer({ min: 0, max: 800 }) }),
  segmentBytes: fc.integer({ min: 100, max: 800 }),
  segmentMs: fc.integer({ min: 1, max: 8000 }),
})

const coverage = new Coverage(['removed by time', 'removed by size', 'retention held back by the high watermark'] as const)

/** Timestamp (LogAppendTime: the broker's clock) of every offset written. */
type Written = Map<number, number>

describe('log retention on virtual time', () => {
  it('retention never removes a record newer than retention.ms or within retention.bytes, nor one at or above the high watermark, on any replica', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, fc.array(opArb, { minLength: 15, maxLength: 50 }), async (config, ops) => {
        const { clock, cluster } = makeCluster({ brokers: 2, logRetentionCheckIntervalMs: CHECK_INTERVAL_MS, replicaLagTimeMaxMs: 60_000, brokerSessionTimeoutMs: 60_000 })
        await createTopic(cluster, 't', 1, 2, [
          { name: 'retention.ms', value: String(config.retentionMs) },
          { name: 'retention.bytes', value: String(config.retentionBytes) },
          { name: 'segment.bytes', value: String(config.segmentBytes) },
          { name: 'segment.ms', value: String(config.segmentMs) },
          { name: 'message.timestamp.type', value: 'LogAppendTime' },
        ])
        const written: Written = new Map()
        const reached = { 'removed by time': false, 'removed by size': false, 'retention held back by the high watermark': false }
        const leader = leaderOf(cluster, 't')
        const follower = 1 - leader
        const starts = [0, 0]
        let isolated = false
        const observe = (): void => {
          for (const id of [0, 1]) {
            const replica = cluster.broker(id).replica('t', 0)!
            const log = replica.log
            expect(log.logStartOffset, `broker ${id}: log start above the high watermark`).toBeLessThanOrEqual(Math.max(replica.highWatermark, starts[id]!))
            const bytes = log.segmentList().reduce((sum, s) => sum + s.bytes, 0)
            for (let offset = starts[id]!; offset < log.logStartOffset; offset++) {
              const timestamp = written.get(offset)
              if (timestamp === undefined) continue
              const byTime = config.retentionMs >= 0 && timestamp < clock.now() - config.retentionMs
              const bySize = config.retentionBytes >= 0 && bytes >= config.retentionBytes
              expect(byTime || bySize, `broker ${id}: offset ${offset} (written at ${timestamp}) removed at ${clock.now()} with ${bytes} bytes left`).toBe(true)
              if (byTime) reached['removed by time'] = true
              else reached['removed by size'] = true
            }
            starts[id] = log.logStartOffset
          }
          const replica = cluster.broker(leader).replica('t', 0)!
          const segments = replica.log.segmentList()
          const expiredAboveHw = segments.some((s, i) => i + 1 < segments.length && segments[i + 1]!.baseOffset > replica.highWatermark && config.retentionMs >= 0 && clock.now() - s.maxTimestamp > config.retentionMs)
          if (replica.highWatermark < replica.log.logEndOffset && expiredAboveHw) reached['retention held back by the high watermark'] = true
        }
        for (const op of ops) {
          if (op.kind === 'produce') {
            // acks=1 answers at once; acks=all would wait for an isolated follower, so it is sent only when both fetch.
            const acks = isolated ? 1 : op.acks
            const answer = await produce(clock, cluster, 't', Array.from({ length: op.count }, (_, i) => `v${i}`), { acks, timeoutMs: 1000 })
            if (answer.errorCode === 0) for (let i = 0; i < op.count; i++) written.set(answer.baseOffset + i, clock.now())
          } else if (op.kind === 'advance') {
            await clock.advance(op.ms)
          } else if (op.kind === 'isolate follower') {
            if (!isolated) cluster.isolateBroker(follower)
            isolated = true
          } else {
            cluster.heal()
            isolated = false
          }
          observe()
        }
        coverage.record(reached)
      }),
      { numRuns: RUNS },
    )
    console.info(`retention coverage: ${coverage.toString()}`)
    expect(coverage.count('removed by time'), coverage.toString()).toBeGreaterThanOrEqual(Math.ceil(0.15 * RUNS))
    expect(coverage.count('removed by size'), coverage.toString()).toBeGreaterThanOrEqual(Math.ceil(0.15 * RUNS))
    expect(coverage.count('retention held back by the high watermark'), coverage.toString()).toBeGreaterThanOrEqual(Math.ceil(0.05 * RUNS))
  }, 300_000)
})

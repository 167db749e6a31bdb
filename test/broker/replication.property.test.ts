/**
 * The replication guarantee at the broker level, on virtual time with a direct channel: random
 * produces (acks=all, min.insync.replicas=2), consumer reads, crashes, restarts, isolations and
 * heals on 3-5 brokers. The cluster checks its replication invariants after every change
 * (`checkInvariants`), and at the end, once every broker is back:
 * - every acknowledged record is in the log at the offset it was acknowledged with;
 * - every record a consumer read is still there (no consumer read a record later truncated);
 * - all replicas hold the same log.
 * Crashes here are process crashes (the disk survives); power loss is tested on its own.
 *
 * Windows it must reach (asserted on the coverage figures): a leader crashing while an acks=all
 * produce waits for its ISR, and a restarted broker truncating a non-empty suffix.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BrokerUnreachableError, recordsOf } from '../../src/protocol/index.js'
import { Coverage } from '../support/coverage.js'
import { batch, CLIENT, createTopic, makeCluster } from './cluster-test-kit.js'

type Op =
  | { kind: 'produce'; partition: number }
  | { kind: 'consume'; partition: number }
  | { kind: 'crash'; broker: number }
  | { kind: 'restart'; broker: number }
  | { kind: 'isolate'; broker: number }
  | { kind: 'heal' }
  | { kind: 'advance'; ms: number }

const PARTITIONS = 2
const RUNS = Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 200)
const coverage = new Coverage(['leader crash while a produce waits', 'non-empty truncation on restart'] as const)

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('produce' as const), partition: fc.nat(PARTITIONS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('consume' as const), partition: fc.nat(PARTITIONS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('crash' as const), broker: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restart' as const), broker: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('isolate' as const), broker: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'heal' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 4000 }) }) },
)

async function runScenario(brokers: number, ops: readonly Op[], seed: number): Promise<void> {
  const { clock, cluster } = makeCluster({ brokers, seed, minInsyncReplicas: 2, replicaLagTimeMaxMs: 3000, brokerSessionTimeoutMs: 2000 })
  await createTopic(cluster, 't', PARTITIONS, 3)
  const acked = new Map<string, string>() // "partition/offset" -> value
  const read = new Map<string, string>()
  const pending: Array<Promise<void>> = []
  let next = 0
  let waiting = 0
  let leaderCrashWhileWaiting = false
  let truncated = false
  // A restarted broker's last record per partition: if it is replaced or gone later, the broker truncated it.
  const lastAtRestart: Array<{ broker: number; partition: number; offset: number; record: unknown }> = []
  const noteTruncations = () => {
    for (const last of lastAtRestart) if (cluster.broker(last.broker).replica('t', last.partition)?.log.recordAt(last.offset) !== last.record) truncated = true
  }
  const restart = (id: number) => {
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const replica = cluster.broker(id).replica('t', partition)
      if (replica !== undefined && replica.logEndOffset > 0) lastAtRestart.push({ broker: id, partition, offset: replica.logEndOffset - 1, record: replica.log.recordAt(replica.logEndOffset - 1) })
    }
    cluster.restartBroker(id)
  }

  for (const op of ops) {
    switch (op.kind) {
      case 'produce': {
        const leader = cluster.controller.topics.get('t')!.partitions[op.partition]!.leader
        if (leader < 0) break
        const value = `v${next++}`
        waiting++
        const request = { acks: -1 as const, timeoutMs: 3000, transactionalId: null, topics: [{ topic: 't', partitions: [{ partition: op.partition, batch: batch([value]) }] }] }
        pending.push(
          cluster.dispatch(leader, CLIENT, 'Produce', request).then(
            (response) => {
              const result = response.topics[0]!.partitions[0]!
              if (result.errorCode === 0) acked.set(`${op.partition}/${result.baseOffset}`, value)
            },
            (error: unknown) => {
              if (!(error instanceof BrokerUnreachableError)) throw error
            },
          ).finally(() => waiting--),
        )
        break
      }
      case 'consume': {
        const leader = cluster.controller.topics.get('t')!.partitions[op.partition]!.leader
        if (leader < 0 || !cluster.broker(leader).isUp) break
        const response = await cluster.dispatch(leader, CLIENT, 'Fetch', {
          replicaId: -1,
          maxWaitMs: 0,
          minBytes: 1,
          maxBytes: 1 << 20,
          isolationLevel: 0,
          topics: [{ topic: 't', partitions: [{ partition: op.partition, fetchOffset: 0, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1 }] }],
        })
        for (const record of recordsOf(response.topics[0]!.partitions[0]!.batches)) read.set(`${op.partition}/${record.offset}`, record.value!.toString())
        break
      }
      case 'crash':
        if (op.broker < brokers && cluster.broker(op.broker).isUp) {
          const leads = cluster.controller.topics.get('t')!.partitions.some((p) => p.leader === op.broker)
          if (leads && waiting > 0) leaderCrashWhileWaiting = true
          cluster.crashBroker(op.broker)
        }
        break
      case 'restart':
        if (op.broker < brokers && !cluster.broker(op.broker).isUp) restart(op.broker)
        break
      case 'isolate':
        if (op.broker < brokers && !cluster.isIsolated(op.broker)) cluster.isolateBroker(op.broker)
        break
      case 'heal':
        cluster.heal()
        break
      case 'advance':
        await clock.advance(op.ms)
        break
    }
    noteTruncations()
  }

  cluster.heal()
  for (const id of cluster.brokerIds()) if (!cluster.broker(id).isUp) restart(id)
  await clock.run(Promise.all(pending))
  await clock.runUntil(
    () =>
      cluster.describe().partitions.every((p) => p.isr.length === 3 && p.leader >= 0 && p.replicaStates.every((r) => r.logEndOffset === p.logEndOffset && r.highWatermark === p.logEndOffset)),
    { maxMs: 120_000 },
  )
  noteTruncations()
  coverage.record({ 'leader crash while a produce waits': leaderCrashWhileWaiting, 'non-empty truncation on restart': truncated })
  for (const p of cluster.describe().partitions) {
    const leaderLog = cluster.broker(p.leader).replica('t', p.partition)!.log
    const at = (offset: number): string | undefined => leaderLog.recordAt(offset)?.value?.toString()
    for (const [key, value] of acked) if (key.startsWith(`${p.partition}/`)) expect(at(Number(key.split('/')[1])), `acknowledged ${key}`).toBe(value)
    for (const [key, value] of read) if (key.startsWith(`${p.partition}/`)) expect(at(Number(key.split('/')[1])), `consumed ${key}`).toBe(value)
    for (const id of p.replicas) {
      const log = cluster.broker(id).replica('t', p.partition)!.log
      for (let offset = 0; offset < p.logEndOffset; offset++) expect(log.recordAt(offset)).toEqual(leaderLog.recordAt(offset))
    }
  }
}

describe('replication under faults', () => {
  it('no record acknowledged with acks=all and min.insync.replicas=2 is lost, no consumer reads a record later truncated, and replicas agree', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 3, max: 5 }), fc.array(opArb, { minLength: 10, maxLength: 60 }), fc.integer({ min: 0, max: 1 << 30 }), runScenario),
      { numRuns: RUNS },
    )
    console.info(`replication coverage: ${coverage.toString()}`)
    if (RUNS >= 50) {
      expect(coverage.count('leader crash while a produce waits'), coverage.toString()).toBeGreaterThanOrEqual(Math.ceil(0.1 * RUNS))
      expect(coverage.count('non-empty truncation on restart'), coverage.toString()).toBeGreaterThanOrEqual(Math.ceil(0.05 * RUNS))
    }
  }, 600_000)
})

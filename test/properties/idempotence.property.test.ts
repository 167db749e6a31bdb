/**
 * Issue 4's idempotence guarantee: an idempotent producer under injected Produce faults (lost responses, lost
 * requests, NOT_LEADER_OR_FOLLOWER answers, delays past the request timeout) and leader crashes, retrying with the
 * same sequence numbers, leaves every acknowledged record exactly once in its partition, in send order.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Cluster } from '../../src/cluster.js'
import { Kafka } from '../../src/client/kafka.js'
import { Errors } from '../../src/protocol/index.js'
import { VirtualClock } from '../../src/time/virtual-clock.js'

const PARTITIONS = 2
const RUNS = Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 200)
const REQUEST_TIMEOUT = 500

type Fault =
  | { kind: 'none' }
  | { kind: 'dropResponse'; times: number }
  | { kind: 'drop'; times: number }
  | { kind: 'notLeader'; times: number }
  | { kind: 'delay'; ms: number; times: number }
  | { kind: 'crashLeader' }

interface Send {
  partition: number
  count: number
  fault: Fault
}

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('dropResponse' as const), times: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), times: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('notLeader' as const), times: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delay' as const), ms: fc.integer({ min: 1, max: 2 * REQUEST_TIMEOUT }), times: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crashLeader' as const }) },
)
const sendArb: fc.Arbitrary<Send> = fc.record({ partition: fc.nat(PARTITIONS - 1), count: fc.integer({ min: 1, max: 3 }), fault: faultArb })

async function run(sends: Send[], concurrent: boolean): Promise<void> {
  const clock = new VirtualClock()
  const cluster = new Cluster({ brokers: 3, clock, seed: 1, minInsyncReplicas: 2 })
  const kafka = new Kafka({ clientId: 'idem', cluster, logLevel: 0, requestTimeout: REQUEST_TIMEOUT, retry: { retries: 30, initialRetryTime: 20, maxRetryTime: 200 } })
  const admin = kafka.admin()
  await clock.run(admin.connect())
  await clock.run(admin.createTopics({ topics: [{ topic: 't', numPartitions: PARTITIONS, replicationFactor: 3 }] }))
  const producer = kafka.producer({ idempotent: true })
  await clock.run(producer.connect())
  const expected: string[][] = Array.from({ length: PARTITIONS }, () => [])
  const crashed: number[] = []
  const inFlight: Array<Promise<unknown>> = []
  for (const [i, send] of sends.entries()) {
    const leader = cluster.controller.topics.get('t')!.partitions[send.partition]!.leader
    const f = send.fault
    if (f.kind === 'dropResponse' || f.kind === 'drop') cluster.transport.hooks.add({ api: 'Produce', action: { type: f.kind }, times: f.times })
    if (f.kind === 'notLeader') cluster.transport.hooks.add({ api: 'Produce', action: { type: 'fail', errorCode: Errors.NOT_LEADER_OR_FOLLOWER.code }, times: f.times })
    if (f.kind === 'delay') cluster.transport.hooks.add({ api: 'Produce', action: { type: 'delay', ms: f.ms }, times: f.times })
    const values = Array.from({ length: send.count }, (_, j) => `${i}.${j}`)
    expected[send.partition]!.push(...values)
    const sent = producer.send({ topic: 't', messages: values.map((value) => ({ value, partition: send.partition })) })
    if (f.kind === 'crashLeader' && leader >= 0) {
      // Crash the leader once it has the batch, before or after its followers do; bring it back at once (one broker down at a time).
      await clock.runUntil(() => cluster.broker(leader).replica('t', send.partition)!.logEndOffset >= expected[send.partition]!.length - send.count + 1 || !cluster.broker(leader).isUp, { maxMs: 5000 }).catch(() => undefined)
      if (cluster.broker(leader).isUp) {
        cluster.crashBroker(leader)
        crashed.push(leader)
      }
    }
    if (concurrent) inFlight.push(sent)
    else await clock.run(sent)
    for (const id of crashed.splice(0)) cluster.restartBroker(id)
  }
  await clock.run(Promise.all(inFlight))
  cluster.transport.hooks.clear()
  await clock.runUntil(() =>
    Array.from({ length: PARTITIONS }, (_, p) => {
      const state = cluster.controller.topics.get('t')!.partitions[p]!
      return state.isr.length === 3 && cluster.broker(state.leader).replica('t', p)!.highWatermark === expected[p]!.length
    }).every(Boolean),
  )
  for (let p = 0; p < PARTITIONS; p++) {
    const leader = cluster.controller.topics.get('t')!.partitions[p]!.leader
    const log = cluster.broker(leader).replica('t', p)!.log.read(0, Infinity, Infinity)
    expect(log.map((r) => r.value!.toString()), `partition ${p}`).toEqual(expected[p])
  }
}

describe('idempotence', () => {
  it('under lost responses and requests, NOT_LEADER answers, delays and leader crashes, each sent record appears exactly once and in order per partition', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sendArb, { minLength: 1, maxLength: 8 }), fc.boolean(), (sends, concurrent) => run(sends, concurrent)),
      { numRuns: RUNS },
    )
  })
})

/**
 * Issue 4's guarantee for `consumer.run({ eachMessage, retry, deadLetter })`, on virtual time, under
 * random consumer restarts mid-run and lost responses of dead-letter writes (the record is written,
 * the consumer never hears: as a crash between the dead-letter write and the commit, it must give a
 * duplicate in the dead-letter topic, never a loss).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Consumer } from '../../src/client/consumer/consumer.js'
import type { ConsumerCommitOffsetsEvent } from '../../src/client/consumer/consumer-events.js'
import type { RetryPolicy } from '../../src/client/dead-letter/retry-policy.js'
import { harness } from '../client/consumer/harness.js'
import { readDeadLetters, startConsumer } from '../client/consumer/retry-support.js'
import { Coverage } from '../support/coverage.js'

class FatalError extends Error {
  override name = 'FatalError'
}

/**
 * A record's handler: `ok` succeeds; `flaky` fails its first `failures` calls (fewer than the attempts,
 * so it succeeds within one delivery); `always` always fails; `fatal` throws an error marked not
 * retryable. A failure throws, or hangs past `timeoutMs` when `hangs`.
 */
interface RecordPlan {
  kind: 'ok' | 'flaky' | 'always' | 'fatal'
  failures: number
  hangs: boolean
}

const TIMEOUT_MS = 300
const TOPIC = 'jobs'
const DLT = 'jobs-dlt'
const GROUP = 'workers'

const scenario = fc
  .record({
    seed: fc.integer(),
    partitions: fc.integer({ min: 1, max: 3 }),
    attempts: fc.integer({ min: 1, max: 3 }),
    records: fc.array(
      fc.record({ kind: fc.constantFrom('ok', 'flaky', 'always', 'fatal'), failures: fc.nat(8), hangs: fc.boolean() }),
      { minLength: 1, maxLength: 10 },
    ),
    /** Virtual ms after the first run at which the consumer is stopped and a new one takes over. */
    restartsAt: fc.array(fc.integer({ min: 0, max: 4000 }), { maxLength: 3 }),
    /** Dead-letter writes whose response is lost. */
    lostDeadLetterAcks: fc.integer({ min: 0, max: 4 }),
  })
  .map((s) => ({
    ...s,
    restartsAt: [...s.restartsAt].sort((a, b) => a - b),
    records: s.records.map((r): RecordPlan => ({ ...r, failures: r.kind === 'flaky' ? r.failures % s.attempts : 0 })),
  }))

const fails = (plan: RecordPlan): boolean => plan.kind === 'always' || plan.kind === 'fatal'

const RUNS = Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 200)
const coverage = new Coverage([
  'a record delivered again',
  'a duplicate in the dead-letter topic',
  'an attempt timed out',
  'a not-retryable error',
  'a consumer crash',
  'a rebalance while processed records are uncommitted',
  'no fault at all',
] as const)

describe('retries and the dead-letter topic inside consumer.run', () => {
  it('every record whose handler always fails ends up in the dead-letter topic (at least once) with correct headers; every record whose handler eventually succeeds is not there; no record is lost', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ seed, partitions, attempts, records, restartsAt, lostDeadLetterAcks }) => {
        const h = harness({ seed })
        await h.createTopic(TOPIC, partitions)
        await h.createTopic(DLT, partitions)
        // Record i goes to partition i % partitions, so its offset is floor(i / partitions).
        const where = (i: number) => ({ partition: i % partitions, offset: Math.floor(i / partitions) })
        const producer = h.producer()
        await h.clock.run(producer.connect())
        await h.clock.run(producer.send({ topic: TOPIC, messages: records.map((_, i) => ({ key: `job-${i}`, value: `job-${i}`, partition: where(i).partition })) }))
        await h.clock.run(producer.disconnect())
        const ends = new Map(Array.from({ length: partitions }, (_, p) => [p, records.filter((_, i) => where(i).partition === p).length]))

        let deadLetterWrites = 0
        h.cluster.transport.hooks.add({
          api: 'Produce',
          from: 'client',
          action: { type: 'delay', ms: 0 },
          when: (request) => {
            if ((request as { topics: Array<{ topic: string }> }).topics.some((t) => t.topic === DLT)) deadLetterWrites++
            return false
          },
        })
        if (lostDeadLetterAcks > 0) {
          h.cluster.transport.hooks.add({
            api: 'Produce',
            from: 'client',
            action: { type: 'dropResponse' },
            times: lostDeadLetterAcks,
            when: (request) => (request as { topics: Array<{ topic: string }> }).topics.some((t) => t.topic === DLT),
          })
        }

        const calls = new Map<number, number>()
        const succeeded = new Set<number>()
        const committed = new Map<number, number>()
        /** Per partition, the end of the offsets a handler returned from (processed, maybe not committed yet). */
        const handledEnd = new Map<number, number>()
        let crashed = false
        let rebalanceWithUncommitted = false
        const uncommittedNow = () => [...handledEnd].some(([p, end]) => end > (committed.get(p) ?? 0))
        const retry: RetryPolicy = { attempts, initialBackoffMs: 50, maxBackoffMs: 400, timeoutMs: TIMEOUT_MS, notRetryable: [FatalError] }
        const start = (): Promise<Consumer> =>
          startConsumer(h, {
            groupId: GROUP,
            topics: [TOPIC],
            // Restarts after a crash (a lost dead-letter ack exhausts the producer's retries) come quickly.
            config: { retry: { retries: 1, initialRetryTime: 100, restartOnFailure: async () => true } },
            setup: (c) => {
              c.on(c.events.COMMIT_OFFSETS, (event: ConsumerCommitOffsetsEvent) => {
                for (const t of event.payload.topics) for (const p of t.partitions) committed.set(Number(p.partition), Math.max(committed.get(Number(p.partition)) ?? 0, Number(p.offset)))
              })
              c.on(c.events.CRASH, () => {
                crashed = true
                if (uncommittedNow()) rebalanceWithUncommitted = true
              })
            },
            run: {
              retry,
              deadLetter: {},
              eachMessage: async ({ partition, message }) => {
                const i = Number(message.value!.toString().slice(4))
                const handled = () => handledEnd.set(partition, Math.max(handledEnd.get(partition) ?? 0, Number(message.offset) + 1))
                const plan = records[i]!
                const call = (calls.get(i) ?? 0) + 1
                calls.set(i, call)
                if (plan.kind === 'ok' || (plan.kind === 'flaky' && call > plan.failures)) {
                  succeeded.add(i)
                  handled()
                  return
                }
                if (plan.kind === 'fatal') throw new FatalError(`job-${i} is malformed`)
                if (plan.hangs) await h.clock.sleep(TIMEOUT_MS * 3)
                else throw new Error(`job-${i} failed call ${call}`)
              },
            },
          })

        let consumer = await start()
        const startedAt = h.clock.now()
        for (const at of restartsAt) {
          await h.clock.advance(Math.max(0, startedAt + at - h.clock.now()))
          // The member leaves: its group rebalances, whatever it processed must be committed by then.
          if (uncommittedNow()) rebalanceWithUncommitted = true
          await h.clock.run(consumer.disconnect())
          consumer = await start()
        }
        // No record is lost: the group's committed offsets reach the end of every partition.
        await h.clock.runUntil(() => [...ends].every(([p, end]) => end === 0 || committed.get(p) === end), { maxMs: 30 * 60_000 })
        await h.clock.run(consumer.disconnect())
        for (const [p, end] of ends) if (end > 0) expect((await h.committed(GROUP, TOPIC)).get(p)).toBe(end)

        const dead = await readDeadLetters(h, DLT, deadLetterWrites)
        expect(dead).toHaveLength(deadLetterWrites)
        const deadIds = new Set(dead.map((d) => Number(d.value!.slice(4))))
        records.forEach((plan, i) => {
          if (fails(plan)) expect(deadIds.has(i), `job-${i} always fails: it must be dead-lettered`).toBe(true)
          else {
            expect(deadIds.has(i), `job-${i} eventually succeeds: it must not be dead-lettered`).toBe(false)
            expect(succeeded.has(i), `job-${i} eventually succeeds`).toBe(true)
          }
          // A not-retryable error is not retried: one call per delivery, and without restarts or lost acks, one delivery.
          if (plan.kind === 'fatal' && restartsAt.length === 0 && lostDeadLetterAcks === 0) expect(calls.get(i)).toBe(1)
        })
        coverage.record({
          'a record delivered again': records.some((plan, i) => (calls.get(i) ?? 0) > (plan.kind === 'always' ? attempts : plan.kind === 'flaky' ? plan.failures + 1 : 1)),
          'a duplicate in the dead-letter topic': dead.length > deadIds.size,
          'an attempt timed out': dead.some((d) => d.info?.exceptionFqcn === 'AttemptTimeoutError'),
          'a not-retryable error': records.some((plan) => plan.kind === 'fatal'),
          'a consumer crash': crashed,
          'a rebalance while processed records are uncommitted': rebalanceWithUncommitted,
          'no fault at all': restartsAt.length === 0 && lostDeadLetterAcks === 0 && !crashed,
        })
        for (const d of dead) {
          const i = Number(d.value!.slice(4))
          expect(d.key).toBe(`job-${i}`)
          expect(d.partition).toBe(where(i).partition)
          expect(d.info).toMatchObject({
            originalTopic: TOPIC,
            originalPartition: where(i).partition,
            originalOffset: String(where(i).offset),
            originalConsumerGroup: GROUP,
            originalTimestampType: 'CreateTime',
          })
          const expectedClass = records[i]!.kind === 'fatal' ? 'FatalError' : records[i]!.hangs ? 'AttemptTimeoutError' : 'Error'
          expect(d.info?.exceptionFqcn).toBe(expectedClass)
          if (expectedClass !== 'AttemptTimeoutError') expect(d.info?.exceptionMessage).toContain(`job-${i} `)
          expect(d.info?.exceptionStacktrace).toContain(expectedClass)
        }
      }),
      { numRuns: RUNS },
    )
    console.info(`retry-dead-letter coverage: ${coverage.toString()}`)
    if (RUNS >= 100) {
      const share = coverage.shares()
      for (const window of ['a record delivered again', 'an attempt timed out', 'a not-retryable error', 'a consumer crash', 'a rebalance while processed records are uncommitted'] as const) {
        expect(share[window], `${window}: ${coverage.toString()}`).toBeGreaterThanOrEqual(0.1)
      }
      expect(share['a duplicate in the dead-letter topic'], coverage.toString()).toBeGreaterThan(0)
      expect(share['no fault at all'], coverage.toString()).toBeLessThanOrEqual(0.25)
    }
  })
})

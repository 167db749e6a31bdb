import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseDeadLetterHeaders } from '../../src/client/dead-letter/dead-letter-headers.js'
import type { RetryPolicy } from '../../src/client/dead-letter/retry-policy.js'
import { kafkaListener, type ListenerContext } from '../../src/patterns/kafka-listener.js'
import { startListeners } from '../../src/patterns/listener-container.js'
import type { RetryTopicsOptions } from '../../src/patterns/retry-topics.js'
import { typedTopic } from '../../src/patterns/typed-topic.js'
import { patternsHarness } from './harness.js'

interface Job {
  id: string
}

/** How a record's handler behaves: it fails its first `failures` calls (all of them when `always`), by throwing or by hanging past the timeout. */
interface RecordPlan {
  always: boolean
  failures: number
  hangs: boolean
}

const scenario = fc
  .record({
    partitions: fc.integer({ min: 1, max: 3 }),
    instances: fc.integer({ min: 1, max: 2 }),
    blockingAttempts: fc.integer({ min: 1, max: 3 }),
    retryTopicDelays: fc.option(fc.array(fc.constantFrom(500, 2000), { minLength: 1, maxLength: 2 }), { nil: undefined }),
    seed: fc.integer(),
    records: fc.array(fc.record({ always: fc.boolean(), failures: fc.nat(8), hangs: fc.boolean() }), { minLength: 1, maxLength: 8 }),
  })
  .map((s) => {
    // An eventually-succeeding record fails fewer times than its attempts in all, so it must succeed.
    const budget = s.blockingAttempts * ((s.retryTopicDelays?.length ?? 0) + 1)
    return { ...s, records: s.records.map((r): RecordPlan => ({ ...r, failures: r.always ? Infinity : r.failures % budget })) }
  })

const TIMEOUT_MS = 300

describe('retries and dead letters', () => {
  it('every record whose handler always fails ends up in the dead-letter topic with correct headers; every record whose handler eventually succeeds is not there; no record is lost', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ partitions, instances, blockingAttempts, retryTopicDelays, seed, records }) => {
        const h = patternsHarness(seed)
        const jobs = typedTopic<Job>({ name: 'jobs', key: (job) => job.id, numPartitions: partitions })
        const calls = new Map<string, number>()
        const succeeded = new Set<string>()
        const deadLettered = new Set<string>()
        const retry: RetryPolicy = { attempts: blockingAttempts, initialBackoffMs: 50, maxBackoffMs: 400, timeoutMs: TIMEOUT_MS }
        const retryTopics: RetryTopicsOptions | undefined = retryTopicDelays === undefined ? undefined : { delaysMs: retryTopicDelays }
        const handle = async (job: Job, context: ListenerContext): Promise<void> => {
          const plan = records[Number(job.id.slice(4))]!
          const call = (calls.get(job.id) ?? 0) + 1
          calls.set(job.id, call)
          if (call > plan.failures) {
            succeeded.add(job.id)
            return
          }
          if (plan.hangs) await h.clock.sleep(TIMEOUT_MS * 3)
          else throw new Error(`${job.id} failed call ${call} (delivery ${context.delivery}, attempt ${context.attempt})`)
        }
        const listeners = Array.from({ length: instances }, () =>
          kafkaListener<Job>({ topic: jobs, groupId: 'workers', fromBeginning: true, retry, retryTopics }, handle),
        )
        const container = await h.run(
          startListeners(h.kafka, listeners, {
            clock: h.clock,
            onEvent: (event) => {
              if (event.type === 'dead-lettered') deadLettered.add(String(event.message.key))
            },
          }),
        )
        const producer = await h.producer()
        const metadata = await h.run(jobs.send(producer, records.map((_, i) => ({ id: `job-${i}` }))))
        expect(metadata.length).toBeGreaterThan(0)
        const ids = records.map((_, i) => `job-${i}`)
        await h.clock.runUntil(() => ids.every((id) => succeeded.has(id) || deadLettered.has(id)), {
          maxMs: 30 * 60_000,
        })
        await h.clock.advance(10_000)
        await h.run(container.stop())

        const original = new Map((await h.read('jobs')).map(({ partition, message }) => [JSON.parse(String(message.value)).id as string, { partition, offset: message.offset }]))
        const dlt = await h.read('jobs-dlt')
        const dltIds = new Set(dlt.map(({ message }) => JSON.parse(String(message.value)).id as string))
        records.forEach((plan, i) => {
          const id = `job-${i}`
          if (plan.always) expect(dltIds.has(id), `${id} always fails: it must be dead-lettered`).toBe(true)
          else {
            expect(dltIds.has(id), `${id} eventually succeeds: it must not be dead-lettered`).toBe(false)
            expect(succeeded.has(id), `${id} eventually succeeds`).toBe(true)
          }
        })
        for (const { message } of dlt) {
          const id = JSON.parse(String(message.value)).id as string
          const info = parseDeadLetterHeaders(message)
          expect(info).toMatchObject({
            originalTopic: 'jobs',
            originalPartition: original.get(id)!.partition,
            originalOffset: original.get(id)!.offset,
            originalConsumerGroup: 'workers',
            originalTimestampType: 'CreateTime',
          })
          expect(String(message.key)).toBe(id)
          expect(['Error', 'AttemptTimeoutError']).toContain(info?.exceptionFqcn)
          if (info?.exceptionFqcn === 'Error') expect(info.exceptionMessage).toContain(id)
        }
      }),
      { numRuns: Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 200) },
    )
  })
})

/**
 * A consumer whose position was removed from the log (DeleteRecords or retention moved the log start past it) is
 * reset as `auto.offset.reset` says (KafkaJS: `fromBeginning` → earliest, else latest) and goes on reading, never
 * stuck: it gets every record from where it was reset, up to the last one written.
 *
 * Windows it must reach (asserted on the coverage figures): a removed position reset to the earliest offset, one
 * reset to the latest, and a position the removal did not reach.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EachMessagePayload } from '../../../src/client/consumer/index.js'
import { Coverage } from '../../support/coverage.js'
import { adminSetup } from '../admin/admin-helpers.js'

const RUNS = 10

const coverage = new Coverage(['reset to earliest', 'reset to latest', 'position kept'] as const)

const scenarioArb = fc.record({
  firstBatch: fc.integer({ min: 1, max: 5 }),
  whileStopped: fc.integer({ min: 0, max: 5 }),
  afterRestart: fc.integer({ min: 1, max: 3 }),
  fromBeginning: fc.boolean(),
  /** Where DeleteRecords moves the log start, as a share of the log end while the consumer is stopped (retention.ms=1 removes everything). */
  deleteShare: fc.double({ min: 0, max: 1, noNaN: true }),
  byRetention: fc.boolean(),
})

describe('a consumer whose position was removed', () => {
  it('is reset by auto.offset.reset (fromBeginning: earliest, else latest) and reads on to the last record, never stuck', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { admin, kafka, producer, run, clock } = await adminSetup({ brokers: 1 })
        await run(admin.createTopics({ topics: [{ topic: 't', numPartitions: 1, configEntries: [{ name: 'segment.ms', value: '1' }] }] }))
        const write = async (n: number, from: number): Promise<void> => {
          for (let i = 0; i < n; i++) {
            await run(producer.send({ topic: 't', messages: [{ value: `v${from + i}`, partition: 0 }] }))
            await clock.advance(2)
          }
        }
        const seen: number[] = []
        const consumer = kafka.consumer({ groupId: 'g' })
        await run(consumer.connect())
        await run(consumer.subscribe({ topics: ['t'], fromBeginning: s.fromBeginning }))
        const eachMessage = async ({ message }: EachMessagePayload) => void seen.push(Number(message.offset))
        await run(consumer.run({ eachMessage }))
        await clock.advance(3000)
        await write(s.firstBatch, 0)
        await clock.advance(3000)
        const committed = s.firstBatch
        expect(seen).toEqual(Array.from({ length: committed }, (_, i) => i))
        await run(consumer.stop())
        await write(s.whileStopped, s.firstBatch)
        const end = s.firstBatch + s.whileStopped
        const target = Math.floor(s.deleteShare * end)
        if (s.byRetention) {
          // retention.ms: everything older than now goes, segment by segment (the active one too, rolled first).
          const retention = async (ms: string) =>
            run(admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 't', configEntries: [{ name: 'segment.ms', value: '1' }, { name: 'retention.ms', value: ms }] }] }))
          await retention('1')
          await clock.advance(400_000)
          await retention('-1')
        } else {
          await run(admin.deleteTopicRecords({ topic: 't', partitions: [{ partition: 0, offset: String(target) }] }))
        }
        const [{ low }] = await run(admin.fetchTopicOffsets('t'))
        const logStart = Number(low)
        seen.length = 0
        await run(consumer.run({ eachMessage }))
        await clock.advance(3000)
        await write(s.afterRestart, end)
        await clock.advance(3000)
        await run(consumer.disconnect())
        const last = end + s.afterRestart - 1
        let from: number
        if (committed >= logStart) from = committed
        else from = s.fromBeginning ? logStart : end
        expect(seen, `committed ${committed}, log start ${logStart}, end ${end}`).toEqual(Array.from({ length: last - from + 1 }, (_, i) => from + i))
        coverage.record({ 'reset to earliest': committed < logStart && s.fromBeginning, 'reset to latest': committed < logStart && !s.fromBeginning, 'position kept': committed >= logStart })
      }),
      { numRuns: RUNS },
    )
    console.info(`position-removed coverage: ${coverage.toString()}`)
    for (const window of ['reset to earliest', 'reset to latest', 'position kept'] as const) expect(coverage.count(window), coverage.toString()).toBeGreaterThanOrEqual(1)
  }, 120_000)
})

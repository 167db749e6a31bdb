import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PartitionAssigners } from '../../../src/client/assigners/index.js'
import { harness, type Member, type Received } from './harness.js'

const ASSIGNERS = { roundRobin: PartitionAssigners.roundRobin, range: PartitionAssigners.range, cooperativeSticky: PartitionAssigners.cooperativeSticky }

/** A step of the schedule: let time pass, then produce, add a member, or remove one. */
const step = fc.record({
  waitMs: fc.integer({ min: 0, max: 8_000 }),
  action: fc.constantFrom('produce', 'join', 'leave'),
  count: fc.integer({ min: 1, max: 15 }),
  pick: fc.nat(),
})

describe('consumer group delivery', () => {
  it('with no faults, every record is delivered once per group, in offset order per partition, and a stable group gives each partition one owner', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(...(Object.keys(ASSIGNERS) as Array<keyof typeof ASSIGNERS>)),
        fc.array(fc.string({ minLength: 0, maxLength: 6 }), { minLength: 1, maxLength: 40 }),
        fc.array(step, { maxLength: 8 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (partitions, initialMembers, assigner, keys, schedule, brokers, seed) => {
          const h = harness({ seed, brokers })
          await h.createTopic('t', partitions)
          const producer = h.producer()
          await h.clock.run(producer.connect())
          let produced = 0
          const produce = async (n: number) => {
            const messages = Array.from({ length: n }, () => ({ key: keys[produced % keys.length]!, value: `v${produced++}` }))
            await h.clock.run(producer.send({ topic: 't', messages }))
          }
          // Every delivery of every member, in the order they happened.
          const deliveries: Received[] = []
          const members: Member[] = []
          let nextId = 0
          const join = async () => {
            const m = await h.start({
              groupId: 'g',
              topics: ['t'],
              clientId: `m${nextId++}`,
              partitionAssigners: [ASSIGNERS[assigner]],
              onMessage: (r) => void deliveries.push(r),
            })
            members.push(m)
          }

          await produce(keys.length)
          for (let i = 0; i < initialMembers; i++) await join()
          for (const { waitMs, action, count, pick } of schedule) {
            await h.clock.advance(waitMs)
            if (action === 'produce') await produce(count)
            else if (action === 'join' && members.length < 4) await join()
            else if (action === 'leave' && members.length > 1) {
              const [leaving] = members.splice(pick % members.length, 1)
              await h.clock.run(leaving!.consumer.disconnect())
            }
          }
          await h.clock.runUntil(() => new Set(deliveries.map((d) => d.value)).size === produced, { maxMs: 300_000 })
          await h.clock.advance(20_000)
          // Once stable, every partition has exactly one owner.
          const owned = members.flatMap((m) => m.group.assignment.t ?? []).sort((a, b) => a - b)
          expect(owned).toEqual(Array.from({ length: partitions }, (_, p) => p))
          await h.clock.run(Promise.all(members.map((m) => m.consumer.disconnect())))

          // Once: each record delivered exactly one time. Order: per partition, offsets only go up.
          expect(deliveries).toHaveLength(produced)
          const last = new Map<number, number>()
          for (const d of deliveries) {
            expect(d.offset).toBeGreaterThan(last.get(d.partition) ?? -1)
            last.set(d.partition, d.offset)
          }
        },
      ),
      { numRuns: Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 40) },
    )
  })
})

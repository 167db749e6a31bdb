import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Partitioners, type PartitionMetadata } from '../../../src/client/partitioners/index.js'
import { legacyMurmur2 } from '../../../src/client/partitioners/legacy-murmur2.js'
import { SeededRandom } from '../../../src/time/seeded-random.js'

const require = createRequire(import.meta.url)
const kafkajs = require('kafkajs') as typeof import('kafkajs')
const kafkajsLegacyMurmur2: (key: Buffer | string) => number = require('kafkajs/src/producer/partitioners/legacy/murmur2')

function partitions(count: number, leaderless: readonly number[] = []): PartitionMetadata[] {
  return Array.from({ length: count }, (_, id) => ({
    partitionErrorCode: 0,
    partitionId: id,
    leader: leaderless.includes(id) ? -1 : 0,
    replicas: [0],
    isr: [0],
  }))
}

const keyArb = fc.oneof(fc.string({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)))

describe('legacy murmur2', () => {
  it('is bit-exact with KafkaJS LegacyPartitioner hash on any key', () => {
    fc.assert(
      fc.property(keyArb, (key) => {
        expect(legacyMurmur2(key)).toBe(kafkajsLegacyMurmur2(key))
      }),
      { numRuns: 500 },
    )
  })
})

describe.each([
  ['DefaultPartitioner', Partitioners.DefaultPartitioner, kafkajs.Partitioners.DefaultPartitioner],
  ['LegacyPartitioner', Partitioners.LegacyPartitioner, kafkajs.Partitioners.LegacyPartitioner],
] as const)('%s', (_name, ours, theirs) => {
  it('puts every keyed message on the same partition as KafkaJS, over all partitions', () => {
    const mine = ours({ random: new SeededRandom(1) })
    const reference = theirs()
    fc.assert(
      fc.property(keyArb, fc.integer({ min: 1, max: 64 }), fc.array(fc.nat(63)), (key, count, down) => {
        const meta = partitions(count, down)
        const args = { topic: 't', partitionMetadata: meta, message: { key, value: null } }
        expect(mine(args)).toBe(reference(args as never))
      }),
      { numRuns: 300 },
    )
  })

  it('lets an explicit partition win over the key', () => {
    const mine = ours({ random: new SeededRandom(1) })
    expect(mine({ topic: 't', partitionMetadata: partitions(3), message: { key: 'k', value: null, partition: 2 } })).toBe(2)
  })

  it('spreads unkeyed messages round-robin over partitions with a leader', () => {
    const mine = ours({ random: new SeededRandom(7) })
    const meta = partitions(5, [1, 3])
    const picks = Array.from({ length: 9 }, () => mine({ topic: 't', partitionMetadata: meta, message: { value: 'v' } }))
    const available = [0, 2, 4]
    const start = available.indexOf(picks[0]!)
    expect(start).toBeGreaterThanOrEqual(0)
    expect(picks).toEqual(picks.map((_, i) => available[(start + i) % available.length]))
  })

  it('still picks a partition for an unkeyed message when no partition has a leader', () => {
    const mine = ours({ random: new SeededRandom(7) })
    const picked = mine({ topic: 't', partitionMetadata: partitions(4, [0, 1, 2, 3]), message: { value: 'v' } })
    expect(picked).toBeGreaterThanOrEqual(0)
    expect(picked).toBeLessThan(4)
  })

  it('starts the round-robin at a point given by the seed', () => {
    const pick = (seed: number) => ours({ random: new SeededRandom(seed) })({ topic: 't', partitionMetadata: partitions(97), message: { value: 'v' } })
    expect(pick(3)).toBe(pick(3))
  })
})

/**
 * The decoder's guarantee: no byte sequence crashes it. Random frames, and truncated or mutated valid frames of
 * every served API and version, either decode or throw a WireDecodeError (which closes only that connection);
 * nothing else escapes.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { API_CODECS } from '../../src/wire/api-table.js'
import { decodeRequestFrame, encodeRequestFrame } from '../../src/wire/frame.js'
import { WireDecodeError } from '../../src/wire/primitives.js'
import type { Message } from '../../src/wire/schema.js'
import { Coverage } from '../support/coverage.js'

const RUNS = Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 2000)

/** Every served API at every served version, with default field values, as a frame without its size prefix. */
const VALID_FRAMES: Buffer[] = API_CODECS.flatMap((codec) =>
  Array.from({ length: codec.maxVersion - codec.minVersion + 1 }, (_, i) => encodeRequestFrame(codec, codec.minVersion + i, 7, 'fuzz', {}).subarray(4)),
)

/**
 * Requests with content for the admin APIs (ACLs, configs, records, reassignments, elections): a default request is
 * mostly empty arrays, so mutations of these reach the nested structs, nullable arrays and strings too.
 */
const ACL_FILTER = { resourceTypeFilter: 2, resourceNameFilter: 'orders', patternTypeFilter: 3, principalFilter: 'User:alice', hostFilter: null, operation: 3, permissionType: 3 }
const ADMIN_SAMPLES: Record<string, Message> = {
  DeleteRecords: { topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, offset: 5 }, { partitionIndex: 1, offset: -1 }] }], timeoutMs: 1000 },
  DescribeAcls: ACL_FILTER,
  CreateAcls: { creations: [{ resourceType: 2, resourceName: 'orders', resourcePatternType: 4, principal: 'User:alice', host: '*', operation: 4, permissionType: 3 }] },
  DeleteAcls: { filters: [ACL_FILTER, { ...ACL_FILTER, resourceNameFilter: null }] },
  AlterConfigs: { resources: [{ resourceType: 2, resourceName: 'orders', configs: [{ name: 'retention.ms', value: '1000' }, { name: 'cleanup.policy', value: null }] }], validateOnly: true },
  IncrementalAlterConfigs: { resources: [{ resourceType: 2, resourceName: 'orders', configs: [{ name: 'retention.ms', configOperation: 0, value: '1000' }] }], validateOnly: false },
  ElectLeaders: { electionType: 1, topicPartitions: [{ topic: 'orders', partitions: [0, 1, 2] }], timeoutMs: 1000 },
  AlterPartitionReassignments: { timeoutMs: 1000, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, replicas: [1, 2] }, { partitionIndex: 1, replicas: null }] }] },
  ListPartitionReassignments: { timeoutMs: 1000, topics: [{ name: 'orders', partitionIndexes: [0, 1] }] },
}
const ADMIN_FRAMES: Array<{ api: string; frame: Buffer }> = API_CODECS.filter((codec) => codec.name in ADMIN_SAMPLES).flatMap((codec) =>
  Array.from({ length: codec.maxVersion - codec.minVersion + 1 }, (_, i) => ({
    api: codec.name,
    frame: encodeRequestFrame(codec, codec.minVersion + i, 7, 'fuzz', ADMIN_SAMPLES[codec.name]!).subarray(4),
  })),
)

type Outcome = 'decoded' | 'rejected'

function decodeOutcome(frame: Buffer): Outcome {
  try {
    decodeRequestFrame(frame)
    return 'decoded'
  } catch (error) {
    if (error instanceof WireDecodeError) return 'rejected'
    throw error
  }
}

describe('wire frame decoder', () => {
  it('decodes every served API at every served version from the frame it encodes', () => {
    for (const frame of VALID_FRAMES) {
      const decoded = decodeRequestFrame(frame)
      expect(decoded.kind).toBe('request')
      expect(decoded.header.correlationId).toBe(7)
    }
    expect(VALID_FRAMES.length).toBeGreaterThan(100)
  })

  it('never crashes on random bytes, nor on truncated or mutated valid frames of every API', () => {
    const coverage = new Coverage(['decoded', 'rejected', 'truncated', 'mutated', 'random'] as const)
    const mutation = fc.record({
      frame: fc.constantFrom(...VALID_FRAMES),
      cut: fc.nat(),
      flips: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
      truncate: fc.boolean(),
    })
    fc.assert(
      fc.property(fc.oneof(mutation, fc.uint8Array({ maxLength: 200 })), (input) => {
        let frame: Buffer
        const kind = input instanceof Uint8Array ? 'random' : input.truncate ? 'truncated' : 'mutated'
        if (input instanceof Uint8Array) frame = Buffer.from(input)
        else {
          frame = Buffer.from(input.frame)
          if (input.truncate) frame = frame.subarray(0, input.cut % (frame.length + 1))
          for (const flip of input.flips) if (frame.length > 0) frame[flip.at % frame.length] = flip.byte
        }
        const outcome = decodeOutcome(frame)
        coverage.record({ [outcome]: true, [kind]: true })
      }),
      { numRuns: RUNS },
    )
    expect(coverage.missing(), coverage.toString()).toEqual([])
  })

  it('round-trips an admin request with content at every version, and never crashes on its truncations and mutations', () => {
    for (const { api, frame } of ADMIN_FRAMES) {
      const decoded = decodeRequestFrame(frame)
      expect(decoded.kind === 'request' && decoded.codec.name, api).toBe(api)
      if (decoded.kind === 'request' && decoded.header.apiVersion === decoded.codec.maxVersion) expect(decoded.body, api).toEqual(ADMIN_SAMPLES[api])
    }
    const outcomes = ADMIN_FRAMES.flatMap(({ api }) => [`${api} decoded`, `${api} rejected`] as const)
    const coverage = new Coverage([...new Set(outcomes)])
    fc.assert(
      fc.property(fc.constantFrom(...ADMIN_FRAMES), fc.nat(), fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 3 }), ({ api, frame }, cut, flips) => {
        const mutated = Buffer.from(frame).subarray(0, flips.length === 0 ? cut % (frame.length + 1) : frame.length)
        for (const flip of flips) if (mutated.length > 0) mutated[flip.at % mutated.length] = flip.byte
        coverage.record({ [`${api} ${decodeOutcome(mutated)}`]: true })
      }),
      { numRuns: RUNS },
    )
    expect(coverage.missing(), coverage.toString()).toEqual([])
  })
})

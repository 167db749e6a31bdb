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
import { Coverage } from '../support/coverage.js'

const RUNS = Number(process.env.KAFKALITE_PROPERTY_RUNS ?? 2000)

/** Every served API at every served version, with default field values, as a frame without its size prefix. */
const VALID_FRAMES: Buffer[] = API_CODECS.flatMap((codec) =>
  Array.from({ length: codec.maxVersion - codec.minVersion + 1 }, (_, i) => encodeRequestFrame(codec, codec.minVersion + i, 7, 'fuzz', {}).subarray(4)),
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
})

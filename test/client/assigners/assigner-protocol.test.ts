import fc from 'fast-check'
import { AssignerProtocol as KafkaJSProtocol } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { AssignerProtocol, MemberAssignment, MemberMetadata } from '../../../src/client/assigners/index.js'

const topic = fc.string({ unit: 'grapheme', maxLength: 12 })
const userData = fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a))
const version = fc.integer({ min: -32768, max: 32767 })
// KafkaJS decodes an assignment into a plain object keyed by topic, so a topic named `__proto__` cannot
// round-trip through KafkaJS at all: it is left out of the comparison.
const assignment = fc.dictionary(
  fc.stringMatching(/^[a-zA-Z0-9._-]{1,12}$/).filter((name) => name !== '__proto__'),
  fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 8 }),
  { maxKeys: 5 },
)

describe('AssignerProtocol is byte-compatible with KafkaJS', () => {
  it('MemberMetadata: same bytes as KafkaJS, and each decodes the other', () => {
    fc.assert(
      fc.property(version, fc.array(topic, { maxLength: 6 }), userData, (v, topics, data) => {
        const ours = MemberMetadata.encode({ version: v, topics, userData: data })
        const theirs = KafkaJSProtocol.MemberMetadata.encode({ version: v, topics, userData: data })
        expect(ours.equals(theirs)).toBe(true)
        expect(MemberMetadata.decode(theirs)).toEqual({ version: v, topics, userData: data })
        expect(KafkaJSProtocol.MemberMetadata.decode(ours)).toEqual({ version: v, topics, userData: data })
      }),
      { numRuns: 200 },
    )
  })

  it('MemberAssignment: same bytes as KafkaJS, and each decodes the other', () => {
    fc.assert(
      fc.property(version, assignment, userData, (v, a, data) => {
        const ours = MemberAssignment.encode({ version: v, assignment: a, userData: data })
        const theirs = KafkaJSProtocol.MemberAssignment.encode({ version: v, assignment: a, userData: data })
        expect(ours.equals(theirs)).toBe(true)
        expect(MemberAssignment.decode(theirs)).toEqual({ version: v, assignment: a, userData: data })
        expect(KafkaJSProtocol.MemberAssignment.decode(ours)).toEqual({ version: v, assignment: { ...a }, userData: data })
      }),
      { numRuns: 200 },
    )
  })

  it('defaults userData to empty bytes, encodes null as null bytes, and decodes an empty assignment to null', () => {
    expect(MemberMetadata.encode({ version: 0, topics: ['t'] }).equals(KafkaJSProtocol.MemberMetadata.encode({ version: 0, topics: ['t'] } as never))).toBe(true)
    expect(MemberMetadata.encode({ version: 0, topics: [], userData: null }).subarray(-4).readInt32BE()).toBe(-1)
    expect(MemberAssignment.decode(Buffer.alloc(0))).toBeNull()
    expect(AssignerProtocol.MemberAssignment).toBe(MemberAssignment)
  })

  it('a truncated buffer is a RangeError that says what it was reading', () => {
    const full = MemberAssignment.encode({ version: 1, assignment: { orders: [0, 1, 2] } })
    expect(() => MemberAssignment.decode(full.subarray(0, full.length - 6))).toThrow(/MemberAssignment: the buffer ends at byte/)
    expect(() => MemberMetadata.decode(Buffer.from([0, 0, 0]))).toThrow(RangeError)
  })
})

describe('MemberAssignment with a topic named __proto__', () => {
  it('keeps it as an ordinary topic (a legal Kafka topic name)', () => {
    const assignment = JSON.parse('{"__proto__":[0,1],"orders":[2]}') as Record<string, number[]>
    const decoded = MemberAssignment.decode(MemberAssignment.encode({ version: 0, assignment, userData: Buffer.alloc(0) }))
    expect(Object.keys(decoded!.assignment)).toEqual(['__proto__', 'orders'])
    expect(Object.getOwnPropertyDescriptor(decoded!.assignment, '__proto__')?.value).toEqual([0, 1])
    expect(Object.getPrototypeOf(decoded!.assignment)).toBe(Object.prototype)
  })
})

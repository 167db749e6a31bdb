import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WireDecodeError, WireReader, WireWriter } from '../../src/wire/primitives.js'

describe('wire primitives', () => {
  it('writes zig-zag varints as the protocol guide shows (0 → 00, -1 → 01, 1 → 02, 300 → d8 04)', () => {
    const bytes = new WireWriter().varint(0).varint(-1).varint(1).varint(300).finish()
    expect([...bytes]).toEqual([0x00, 0x01, 0x02, 0xd8, 0x04])
  })

  it('round-trips varints, varlongs, compact and classic strings and bytes, nulls included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.maxSafeInteger().map((n) => n * (n % 2 === 0 ? 1 : -1)),
        fc.option(fc.string()),
        fc.option(fc.uint8Array({ maxLength: 300 })),
        fc.boolean(),
        (int, long, text, bytes, compact) => {
          const w = new WireWriter(4).varint(int).varlong(long).string(text, compact).bytes(bytes === null ? null : Buffer.from(bytes), compact)
          const r = new WireReader(w.finish())
          expect(r.varint()).toBe(int)
          expect(r.varlong()).toBe(long)
          expect(r.string(compact)).toBe(text)
          const back = r.bytes(compact)
          expect(back === null ? null : [...back]).toEqual(bytes === null ? null : [...bytes])
          expect(r.remaining).toBe(0)
        },
      ),
    )
  })

  it('writes a compact null as length 0 and a compact empty string as length 1 (KIP-482)', () => {
    expect([...new WireWriter().string(null, true).string('', true).finish()]).toEqual([0, 1])
  })

  it('rejects reads past the end and lengths longer than the bytes left with a WireDecodeError', () => {
    expect(() => new WireReader(Buffer.from([0, 5, 0x61])).string(false)).toThrow(WireDecodeError)
    expect(() => new WireReader(Buffer.from([0, 0, 0])).int32()).toThrow(WireDecodeError)
    expect(() => new WireReader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).uvarint()).toThrow(WireDecodeError)
    expect(() => new WireReader(Buffer.from([0x7f, 0xff, 0xff, 0xff])).arrayLength(false)).toThrow(WireDecodeError)
  })

  it('skips tagged fields it does not model', () => {
    const bytes = new WireWriter().uvarint(2).uvarint(0).uvarint(3).raw(Buffer.from('abc')).uvarint(7).uvarint(0).int8(42).finish()
    const r = new WireReader(bytes)
    r.skipTaggedFields()
    expect(r.int8()).toBe(42)
  })
})

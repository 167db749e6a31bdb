import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  bigIntegerBytes,
  int32Bytes,
  int64Bytes,
  lastHeader,
  lastHeaderInteger,
  readSignedBigEndian,
} from '../../../src/client/dead-letter/header-values.js'

describe('header values in Java encodings', () => {
  it('writes ints and longs big-endian, as ByteBuffer.putInt/putLong', () => {
    expect([...int32Bytes(1)]).toEqual([0, 0, 0, 1])
    expect([...int32Bytes(-2)]).toEqual([0xff, 0xff, 0xff, 0xfe])
    expect([...int64Bytes(42)]).toEqual([0, 0, 0, 0, 0, 0, 0, 42])
    expect([...int64Bytes('1735689600006')]).toEqual([...Buffer.from('000001941f297c06', 'hex')])
  })

  it("writes BigInteger.toByteArray()'s minimal two's complement", () => {
    expect([...bigIntegerBytes(0)]).toEqual([0])
    expect([...bigIntegerBytes(2)]).toEqual([2])
    expect([...bigIntegerBytes(127)]).toEqual([0x7f])
    expect([...bigIntegerBytes(128)]).toEqual([0x00, 0x80])
    expect([...bigIntegerBytes(-1)]).toEqual([0xff])
    expect([...bigIntegerBytes(-129)]).toEqual([0xff, 0x7f])
    expect([...bigIntegerBytes(1735689600006)]).toEqual([...Buffer.from('01941f297c06', 'hex')])
  })

  it('reads back every width it writes (property)', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger().map((n) => n + 0), (n) => {
        expect(readSignedBigEndian(bigIntegerBytes(n))).toBe(n)
        expect(readSignedBigEndian(int64Bytes(n))).toBe(n)
      }),
    )
    fc.assert(
      fc.property(fc.integer().map((n) => n + 0), (n) => {
        expect(readSignedBigEndian(int32Bytes(n))).toBe(n)
      }),
    )
  })

  it('rejects an empty or too long integer', () => {
    expect(() => readSignedBigEndian(Buffer.alloc(0))).toThrow(RangeError)
    expect(() => readSignedBigEndian(Buffer.alloc(9))).toThrow(RangeError)
  })

  it('takes the last value of a repeated header, as Headers.lastHeader', () => {
    const headers = { a: [Buffer.from('first'), Buffer.from('second')], n: int32Bytes(7), s: 'text' }
    expect(lastHeader(headers, 'a')?.toString()).toBe('second')
    expect(lastHeader(headers, 's')?.toString()).toBe('text')
    expect(lastHeaderInteger(headers, 'n')).toBe(7)
    expect(lastHeader(headers, 'missing')).toBeUndefined()
    expect(lastHeader(undefined, 'a')).toBeUndefined()
  })
})

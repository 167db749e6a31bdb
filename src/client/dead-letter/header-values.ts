/**
 * Binary header values as Java Kafka tools write them, so that a dead-letter or retry record made
 * by kafkalite reads the same as one made by Spring Kafka: `ByteBuffer.putInt/putLong` (4 or 8 bytes,
 * big-endian) and `BigInteger.toByteArray()` (minimal big-endian two's complement).
 */
import type { IHeaders } from '../message-types.js'

/** A 4-byte big-endian int, as `ByteBuffer.allocate(4).putInt(n)`. */
export function int32Bytes(value: number): Buffer {
  const out = Buffer.alloc(4)
  out.writeInt32BE(value)
  return out
}

/** An 8-byte big-endian long, as `ByteBuffer.allocate(8).putLong(n)`. */
export function int64Bytes(value: number | bigint | string): Buffer {
  const out = Buffer.alloc(8)
  out.writeBigInt64BE(BigInt(value))
  return out
}

/** The shortest two's-complement big-endian bytes of an integer, as Java's `BigInteger.toByteArray()`. */
export function bigIntegerBytes(value: number | bigint): Buffer {
  let n = BigInt(value)
  const bytes: number[] = []
  for (;;) {
    const byte = Number(n & 0xffn)
    bytes.unshift(byte)
    n >>= 8n
    const signBitSet = (byte & 0x80) !== 0
    if ((n === 0n && !signBitSet) || (n === -1n && signBitSet)) break
  }
  return Buffer.from(bytes)
}

/** Reads a big-endian two's-complement integer of any length (1 to 8 bytes), as `new BigInteger(bytes)`. */
export function readSignedBigEndian(bytes: Buffer): number {
  if (bytes.length === 0 || bytes.length > 8) {
    throw new RangeError(`expected 1 to 8 bytes of a big-endian integer, got ${bytes.length}`)
  }
  let n = BigInt.asIntN(8, BigInt(bytes[0]!))
  for (let i = 1; i < bytes.length; i++) n = (n << 8n) | BigInt(bytes[i]!)
  return Number(n)
}

/** The last value of a header key as bytes (Kafka's `headers.lastHeader(key)`), or undefined if absent or null. */
export function lastHeader(headers: IHeaders | undefined, key: string): Buffer | undefined {
  const value = headers?.[key]
  const last = Array.isArray(value) ? value[value.length - 1] : value
  if (last === undefined || last === null) return undefined
  return Buffer.isBuffer(last) ? last : Buffer.from(String(last), 'utf8')
}

/** The last value of a header key decoded as UTF-8, or undefined. */
export function lastHeaderString(headers: IHeaders | undefined, key: string): string | undefined {
  return lastHeader(headers, key)?.toString('utf8')
}

/** The last value of a header key as a big-endian integer (any width up to 8 bytes), or undefined. */
export function lastHeaderInteger(headers: IHeaders | undefined, key: string): number | undefined {
  const bytes = lastHeader(headers, key)
  return bytes === undefined ? undefined : readSignedBigEndian(bytes)
}

/**
 * The primitive types of Kafka's wire protocol (the protocol guide's "Protocol Primitive Types"):
 * big-endian fixed-width integers, zig-zag varints, classic strings, bytes and arrays (int16/int32
 * lengths, -1 for null) and their compact forms of flexible versions (KIP-482: unsigned varint
 * length + 1, 0 for null), UUIDs, and the tagged-field section that ends every flexible struct.
 */

/** The bytes do not hold what the schema says they should: the frame is malformed. */
export class WireDecodeError extends Error {
  override name = 'WireDecodeError'
}

/** Reads primitives from a buffer; every read checks bounds and throws {@link WireDecodeError}. */
export class WireReader {
  private pos = 0

  constructor(private readonly buf: Buffer) {}

  get offset(): number {
    return this.pos
  }

  get remaining(): number {
    return this.buf.length - this.pos
  }

  private need(n: number): number {
    if (n < 0 || this.pos + n > this.buf.length) throw new WireDecodeError(`needed ${n} bytes at offset ${this.pos}, only ${this.remaining} left`)
    const at = this.pos
    this.pos += n
    return at
  }

  int8(): number {
    return this.buf.readInt8(this.need(1))
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2))
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4))
  }
  uint32(): number {
    return this.buf.readUInt32BE(this.need(4))
  }
  int64(): number {
    return Number(this.buf.readBigInt64BE(this.need(8)))
  }
  bool(): boolean {
    return this.int8() !== 0
  }

  /** An unsigned LEB128 varint of at most 32 bits (Kafka's `UNSIGNED_VARINT`). */
  uvarint(): number {
    let value = 0
    for (let shift = 0; shift <= 28; shift += 7) {
      const byte = this.buf.readUInt8(this.need(1))
      value += (byte & 0x7f) * 2 ** shift
      if ((byte & 0x80) === 0) return value
    }
    throw new WireDecodeError(`varint longer than 5 bytes at offset ${this.pos}`)
  }

  /** A zig-zag signed varint (`VARINT`), as record fields use. */
  varint(): number {
    const raw = this.uvarint()
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2
  }

  /** A zig-zag signed varlong (`VARLONG`), up to 10 bytes; returned as a number (ms timestamps fit). */
  varlong(): number {
    let raw = 0n
    for (let shift = 0n; shift <= 63n; shift += 7n) {
      const byte = BigInt(this.buf.readUInt8(this.need(1)))
      raw |= (byte & 0x7fn) << shift
      if ((byte & 0x80n) === 0n) return Number((raw >> 1n) ^ -(raw & 1n))
    }
    throw new WireDecodeError(`varlong longer than 10 bytes at offset ${this.pos}`)
  }

  raw(n: number): Buffer {
    const at = this.need(n)
    return this.buf.subarray(at, at + n)
  }

  /** A length that may be -1 (null); rejects other negatives and lengths past the end. */
  private length(n: number, what: string): number | null {
    if (n === -1) return null
    if (n < 0 || n > this.remaining) throw new WireDecodeError(`${what} length ${n} at offset ${this.pos} is invalid (${this.remaining} bytes left)`)
    return n
  }

  string(compact: boolean): string | null {
    const n = this.length(compact ? this.uvarint() - 1 : this.int16(), 'string')
    return n === null ? null : this.raw(n).toString('utf8')
  }

  bytes(compact: boolean): Buffer | null {
    const n = this.length(compact ? this.uvarint() - 1 : this.int32(), 'bytes')
    return n === null ? null : this.raw(n)
  }

  /** An array's element count, null for a null array; never more than the bytes left (each element takes at least one). */
  arrayLength(compact: boolean): number | null {
    return this.length(compact ? this.uvarint() - 1 : this.int32(), 'array')
  }

  uuid(): Buffer {
    return this.raw(16)
  }

  /** Skips a tagged-field section: kafkalite reads no tagged field it does not model (KIP-482 lets a reader ignore unknown tags). */
  skipTaggedFields(): void {
    const count = this.uvarint()
    for (let i = 0; i < count; i++) {
      this.uvarint()
      const size = this.uvarint()
      this.raw(size)
    }
  }
}

/** Builds a buffer from primitives; grows as needed. */
export class WireWriter {
  private buf: Buffer
  private pos = 0

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize)
  }

  get length(): number {
    return this.pos
  }

  private ensure(n: number): number {
    if (this.pos + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n))
      this.buf.copy(next, 0, 0, this.pos)
      this.buf = next
    }
    const at = this.pos
    this.pos += n
    return at
  }

  int8(v: number): this {
    const at = this.ensure(1)
    this.buf.writeInt8(v, at)
    return this
  }
  int16(v: number): this {
    const at = this.ensure(2)
    this.buf.writeInt16BE(v, at)
    return this
  }
  int32(v: number): this {
    const at = this.ensure(4)
    this.buf.writeInt32BE(v, at)
    return this
  }
  uint32(v: number): this {
    const at = this.ensure(4)
    this.buf.writeUInt32BE(v >>> 0, at)
    return this
  }
  int64(v: number): this {
    const at = this.ensure(8)
    this.buf.writeBigInt64BE(BigInt(v), at)
    return this
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0)
  }

  uvarint(v: number): this {
    let rest = v
    while (rest >= 0x80) {
      const at = this.ensure(1)
      this.buf.writeUInt8((rest & 0x7f) | 0x80, at)
      rest = Math.floor(rest / 128)
    }
    const at = this.ensure(1)
    this.buf.writeUInt8(rest, at)
    return this
  }

  varint(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1)
  }

  varlong(v: number): this {
    let raw = (BigInt(v) << 1n) ^ (BigInt(v) >> 63n)
    while (raw >= 0x80n) {
      const at = this.ensure(1)
      this.buf.writeUInt8(Number(raw & 0x7fn) | 0x80, at)
      raw >>= 7n
    }
    const at = this.ensure(1)
    this.buf.writeUInt8(Number(raw), at)
    return this
  }

  raw(bytes: Uint8Array): this {
    const at = this.ensure(bytes.length)
    this.buf.set(bytes, at)
    return this
  }

  string(v: string | null, compact: boolean): this {
    if (v === null) return compact ? this.uvarint(0) : this.int16(-1)
    const bytes = Buffer.from(v, 'utf8')
    if (compact) this.uvarint(bytes.length + 1)
    else this.int16(bytes.length)
    return this.raw(bytes)
  }

  bytes(v: Uint8Array | null, compact: boolean): this {
    if (v === null) return compact ? this.uvarint(0) : this.int32(-1)
    if (compact) this.uvarint(v.length + 1)
    else this.int32(v.length)
    return this.raw(v)
  }

  arrayLength(n: number | null, compact: boolean): this {
    if (n === null) return compact ? this.uvarint(0) : this.int32(-1)
    return compact ? this.uvarint(n + 1) : this.int32(n)
  }

  uuid(v: Buffer): this {
    if (v.length !== 16) throw new RangeError(`a UUID is 16 bytes, got ${v.length}`)
    return this.raw(v)
  }

  /** An empty tagged-field section: kafkalite writes no optional tagged fields. */
  emptyTaggedFields(): this {
    return this.uvarint(0)
  }

  /** Overwrites an int32 at `offset` (a length or CRC written after the bytes it covers). */
  patchInt32(offset: number, v: number): void {
    this.buf.writeInt32BE(v, offset)
  }
  patchUint32(offset: number, v: number): void {
    this.buf.writeUInt32BE(v >>> 0, offset)
  }

  /** A view of bytes `[start, end)` written so far. */
  view(start: number, end: number): Buffer {
    return this.buf.subarray(start, end)
  }

  /** Forgets what was written, keeping the allocated buffer. */
  reset(): void {
    this.pos = 0
  }

  /** The bytes written so far (a view; copy it if the writer is reused). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos)
  }
}

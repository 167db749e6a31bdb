/** Kafka protocol primitives (int16, int32, string, bytes, array) for the assignors' buffers. */

/** Writes Kafka protocol primitives, big-endian. */
export class BinaryWriter {
  private readonly chunks: Buffer[] = []

  int16(value: number): this {
    const b = Buffer.alloc(2)
    b.writeInt16BE(value)
    this.chunks.push(b)
    return this
  }

  int32(value: number): this {
    const b = Buffer.alloc(4)
    b.writeInt32BE(value)
    this.chunks.push(b)
    return this
  }

  string(value: string | null): this {
    if (value === null) return this.int16(-1)
    const bytes = Buffer.from(value, 'utf8')
    return this.int16(bytes.length).raw(bytes)
  }

  bytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1)
    return this.int32(value.length).raw(value)
  }

  raw(value: Buffer): this {
    this.chunks.push(value)
    return this
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks)
  }
}

/** Reads Kafka protocol primitives, big-endian; throws a RangeError naming the buffer kind when it is truncated. */
export class BinaryReader {
  private offset = 0

  constructor(
    private readonly buffer: Buffer,
    private readonly what: string,
  ) {}

  int16(): number {
    this.need(2, 'int16')
    const v = this.buffer.readInt16BE(this.offset)
    this.offset += 2
    return v
  }

  int32(): number {
    this.need(4, 'int32')
    const v = this.buffer.readInt32BE(this.offset)
    this.offset += 4
    return v
  }

  string(): string | null {
    const length = this.int16()
    if (length === -1) return null
    return this.take(length, 'string').toString('utf8')
  }

  bytes(): Buffer | null {
    const length = this.int32()
    if (length === -1) return null
    return Buffer.from(this.take(length, 'bytes'))
  }

  array<T>(item: () => T): T[] {
    const length = this.int32()
    if (length === -1) return []
    if (length < 0) throw new RangeError(`${this.what}: negative array length ${length} at byte ${this.offset - 4}`)
    const out: T[] = []
    for (let i = 0; i < length; i++) out.push(item())
    return out
  }

  private take(length: number, type: string): Buffer {
    this.need(length, type)
    const slice = this.buffer.subarray(this.offset, this.offset + length)
    this.offset += length
    return slice
  }

  private need(length: number, type: string): void {
    if (length < 0 || this.offset + length > this.buffer.length) {
      throw new RangeError(`${this.what}: the buffer ends at byte ${this.buffer.length}, reading ${type} of ${length} bytes at byte ${this.offset}: not a valid ${this.what} buffer`)
    }
  }
}

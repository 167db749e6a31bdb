/**
 * Memory for the bytes, layouts and timestamps of stored record batches. Node's `Buffer.allocUnsafe` hands small buffers out of a pool shared
 * with every other pooled Buffer in the process (an application's `Buffer.from(key)` among them), and `buf.buffer`
 * reaches the whole pool: code that writes through it (a DataView over `.buffer` that forgets `byteOffset`, a common
 * mistake) would change records already appended. So the log keeps a pool of its own: consumers, the wire and the
 * console get copies, followers share the log's batches by reference. The raw `cluster.transport` answers with the
 * log's own batches (a docs/semantics.md row): read them, never write them.
 *
 * Slabs are as small as Node's pool: one surviving small batch (an idle partition's last) keeps its whole slab alive.
 */

/** Batches smaller than this share a slab; larger ones get memory of their own. */
const SMALL_BATCH_BYTES = 2048
const SLAB_BYTES = 8192

let slab: Buffer = Buffer.allocUnsafeSlow(0)
let used = 0

/** `length` bytes (uninitialized) that belong to the log alone. */
export function allocateLogBytes(length: number): Buffer {
  if (length >= SMALL_BATCH_BYTES) return Buffer.allocUnsafeSlow(length)
  if (used + length > slab.length) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES)
    used = 0
  }
  const bytes = slab.subarray(used, used + length)
  // 8-byte aligned, as Node's own pool does.
  used += (length + 7) & ~7
  return bytes
}

/** Slabs of the small per-record arrays (layouts, timestamps), as small as the byte slabs. */
const SLAB_ELEMENTS = 1024
/** Arrays of fewer elements than this share a slab. */
const SMALL_ARRAY_ELEMENTS = 256

/** The typed arrays the log copies per batch. */
type PerRecordArray = Int32Array | Float64Array

/** A slab of one typed array kind, handed out in views; a new slab when the current one is full. */
class ArraySlab<T extends PerRecordArray> {
  private slab: T
  private used = 0

  constructor(private readonly make: (length: number) => T) {
    this.slab = make(0)
  }

  /** A copy of `source`: a view of the slab when small, so it costs no ArrayBuffer of its own; else its own copy. */
  copy(source: T): T {
    const length = source.length
    if (length >= SMALL_ARRAY_ELEMENTS) return source.slice() as T
    if (this.used + length > this.slab.length) {
      this.slab = this.make(SLAB_ELEMENTS)
      this.used = 0
    }
    const view = this.slab.subarray(this.used, this.used + length) as T
    this.used += length
    view.set(source)
    return view
  }
}

const layoutSlab = new ArraySlab<Int32Array>((length) => new Int32Array(length))
const timestampSlab = new ArraySlab<Float64Array>((length) => new Float64Array(length))

/**
 * The log's own copy of a batch's layout: a small one in a slab shared with others, so it costs a view and not an
 * ArrayBuffer of its own, which every batch would keep alive for as long as the log holds it; a large one its own copy.
 */
export function copyLogLayout(source: Int32Array): Int32Array {
  return layoutSlab.copy(source)
}

/** The log's own copy of a batch's timestamps, as {@link copyLogLayout}. */
export function copyLogTimestamps(source: Float64Array): Float64Array {
  return timestampSlab.copy(source)
}

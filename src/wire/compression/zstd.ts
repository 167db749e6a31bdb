/**
 * Zstandard (RFC 8878), which Kafka allows from Produce v7 and Fetch v10 (KIP-110). Decoding is the
 * `fzstd` package (pure JavaScript, loaded by compression.ts); Node 20's zlib has no zstd, and no maintained pure-JS or WASM
 * package both compresses and decodes safely. kafkalite walks the frames first, as for LZ4: every block
 * must fit in the bytes sent, and the window and output the decoder would allocate must stay within
 * {@link MAX_INFLATED_BYTES}.
 *
 * Encoding (for fetches of zstd batches) writes valid single-segment frames of raw blocks: every zstd
 * decoder reads them, but they are not smaller than the records (a docs/semantics.md row says so).
 */
import type * as Fzstd from 'fzstd'
import { CompressedDataError, MAX_INFLATED_BYTES, type BatchCodec } from './codec.js'

const FRAME_MAGIC = 0xfd2fb528
/** Skippable frames: magic 0x184D2A50-0x184D2A5F. */
const SKIPPABLE_MASK = 0xfffffff0
const SKIPPABLE_MAGIC = 0x184d2a50
/** Block_Maximum_Size: a block never regenerates more than 128 KiB. */
const BLOCK_MAX = 128 * 1024
const RAW_BLOCK = 0
const RLE_BLOCK = 1
const COMPRESSED_BLOCK = 2

/** Reads an unsigned little-endian integer of `size` bytes (at most 8). */
function readLE(bytes: Buffer, at: number, size: number): number {
  let value = 0
  for (let i = size - 1; i >= 0; i--) value = value * 256 + bytes[at + i]!
  return value
}

/** Walks one zstd frame from `at`; returns where it ends and what decoding it costs. */
function walkFrame(bytes: Buffer, at: number): { end: number; window: number; output: number } {
  const descriptor = bytes[at + 4]
  if (descriptor === undefined) throw new CompressedDataError('a zstd frame header is cut off')
  const contentSizeFlag = descriptor >> 6
  const singleSegment = (descriptor >> 5) & 1
  if ((descriptor & 0x08) !== 0) throw new CompressedDataError('a zstd frame header sets its reserved bit')
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!
  let position = at + 5
  let window = 0
  if (singleSegment === 0) {
    const windowDescriptor = bytes[position++] ?? 0
    const base = 2 ** (10 + (windowDescriptor >> 3))
    window = base + (base / 8) * (windowDescriptor & 7)
  }
  position += dictionaryBytes
  const contentSizeBytes = [singleSegment, 2, 4, 8][contentSizeFlag]!
  if (position + contentSizeBytes > bytes.length) throw new CompressedDataError('a zstd frame header is cut off')
  const contentSize = contentSizeBytes === 0 ? -1 : readLE(bytes, position, contentSizeBytes) + (contentSizeBytes === 2 ? 256 : 0)
  position += contentSizeBytes
  if (singleSegment === 1) window = contentSize
  let output = 0
  for (let last = false; !last; ) {
    if (position + 3 > bytes.length) throw new CompressedDataError('a zstd block header is cut off')
    const header = readLE(bytes, position, 3)
    position += 3
    last = (header & 1) === 1
    const type = (header >> 1) & 3
    const size = header >>> 3
    const stored = type === RLE_BLOCK ? 1 : size
    if (type > COMPRESSED_BLOCK || position + stored > bytes.length) throw new CompressedDataError(`a zstd block (type ${type}, ${size} bytes) overruns the frame`)
    output += type === COMPRESSED_BLOCK ? Math.min(window, BLOCK_MAX) : size
    position += stored
  }
  if ((descriptor & 0x04) !== 0) position += 4
  if (contentSize > output) throw new CompressedDataError(`a zstd frame declares ${contentSize} bytes but its blocks hold at most ${output}`)
  return { end: position, window: contentSize >= 0 ? contentSize : window, output }
}

/** Checks that fzstd's allocations for `bytes` (every frame's window or content size) and its output each stay within the budget. */
function checkDecodingCost(bytes: Buffer): void {
  let memory = 0
  let output = 0
  for (let at = 0; at < bytes.length; ) {
    if (at + 8 > bytes.length) throw new CompressedDataError('bytes follow the last zstd frame')
    const magic = bytes.readUInt32LE(at)
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      at += 8 + bytes.readUInt32LE(at + 4)
      continue
    }
    if (magic !== FRAME_MAGIC) throw new CompressedDataError('not a zstd frame (bad magic)')
    const frame = walkFrame(bytes, at)
    memory += frame.window
    output += frame.output
    if (memory > MAX_INFLATED_BYTES || output > MAX_INFLATED_BYTES) throw new CompressedDataError(`decoding the zstd frames may take more than ${MAX_INFLATED_BYTES} bytes`)
    at = frame.end
  }
}

/** Decompresses zstd frames with fzstd, after checking what they cost. */
function zstdDecompress(fzstd: typeof Fzstd, bytes: Buffer): Buffer {
  checkDecodingCost(bytes)
  const out = fzstd.decompress(bytes)
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength)
}

/** One single-segment zstd frame of raw blocks holding `bytes`, with its content size and no checksum. */
function zstdCompress(bytes: Buffer): Buffer {
  const n = bytes.length
  const sizeBytes = n < 256 ? 1 : n < 65536 + 256 ? 2 : 4
  const sizeFlag = sizeBytes === 1 ? 0 : sizeBytes === 2 ? 1 : 2
  const blocks = Math.max(1, Math.ceil(n / BLOCK_MAX))
  const out = Buffer.alloc(5 + sizeBytes + blocks * 3 + n)
  out.writeUInt32LE(FRAME_MAGIC, 0)
  out[4] = (sizeFlag << 6) | 0x20
  if (sizeBytes === 1) out.writeUInt8(n, 5)
  else if (sizeBytes === 2) out.writeUInt16LE(n - 256, 5)
  else out.writeUInt32LE(n, 5)
  let at = 5 + sizeBytes
  for (let i = 0; i < blocks; i++) {
    const start = i * BLOCK_MAX
    const size = Math.min(BLOCK_MAX, n - start)
    const last = i === blocks - 1 ? 1 : 0
    out.writeUIntLE((size << 3) | (RAW_BLOCK << 1) | last, at, 3)
    at += 3
    at += bytes.copy(out, at, start, start + size)
  }
  return out
}

/** The zstd codec: decoding with the `fzstd` module, encoding as raw blocks. */
export function zstdCodec(fzstd: typeof Fzstd): BatchCodec {
  return { decompress: (bytes) => zstdDecompress(fzstd, bytes), compress: zstdCompress }
}

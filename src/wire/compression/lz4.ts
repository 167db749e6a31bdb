/**
 * LZ4 as Kafka carries it in v2 batches: the standard LZ4 frame format (KIP-57 fixed the header checksum
 * of the old Kafka framing for message format v1+). The block codec is the `lz4js` package (pure
 * JavaScript), loaded by compression.ts. It trusts the frame it is given, so kafkalite walks the frame first: every block must fit
 * in the bytes sent and in its declared maximum size, and the whole must inflate to at most
 * {@link MAX_INFLATED_BYTES}; only then does lz4js decode into a buffer of that bound (or of the content
 * size the frame declares: a frame that lies about it decodes short and its records fail to parse).
 */
import type * as Lz4 from 'lz4js'
import { CompressedDataError, MAX_INFLATED_BYTES, type BatchCodec } from './codec.js'

const FRAME_MAGIC = 0x184d2204
const VERSION_MASK = 0xc0
const VERSION_01 = 0x40
const BLOCK_CHECKSUM = 0x10
const CONTENT_SIZE = 0x08
const CONTENT_CHECKSUM = 0x04
const DICTIONARY_ID = 0x01
const UNCOMPRESSED_BLOCK = 0x80000000
/** Block maximum sizes by the BD byte's 3-bit index (4: 64 KiB ... 7: 4 MiB). */
const BLOCK_MAX: Readonly<Record<number, number>> = { 4: 0x10000, 5: 0x40000, 6: 0x100000, 7: 0x400000 }

/** The most bytes the frame can inflate to, after checking its structure. */
function inflatedBound(bytes: Buffer): number {
  if (bytes.length < 7 || bytes.readUInt32LE(0) !== FRAME_MAGIC) throw new CompressedDataError('not an LZ4 frame (bad magic)')
  const flags = bytes[4]!
  if ((flags & VERSION_MASK) !== VERSION_01) throw new CompressedDataError(`LZ4 frame version ${flags >> 6} is not 1`)
  if ((flags & DICTIONARY_ID) !== 0) throw new CompressedDataError('LZ4 frames with a dictionary id are not served')
  const blockMax = BLOCK_MAX[(bytes[5]! >> 4) & 0x07]
  if (blockMax === undefined) throw new CompressedDataError('the LZ4 frame names an invalid block maximum size')
  const contentSize = (flags & CONTENT_SIZE) !== 0 && bytes.length >= 14 ? Number(bytes.readBigUInt64LE(6)) : Infinity
  let at = 6 + ((flags & CONTENT_SIZE) !== 0 ? 8 : 0) + 1
  const blockChecksum = (flags & BLOCK_CHECKSUM) !== 0 ? 4 : 0
  let bound = 0
  for (;;) {
    if (at + 4 > bytes.length) throw new CompressedDataError('the LZ4 frame ends before its end mark')
    const word = bytes.readUInt32LE(at)
    at += 4
    if (word === 0) break
    const size = word & ~UNCOMPRESSED_BLOCK
    if (size > blockMax || at + size + blockChecksum > bytes.length) throw new CompressedDataError(`an LZ4 block of ${size} bytes overruns the frame or its maximum ${blockMax}`)
    // An LZ4 sequence inflates at most ~255-fold (each extra length byte adds 255), so a small block cannot fill its maximum.
    bound += (word & UNCOMPRESSED_BLOCK) !== 0 ? size : Math.min(blockMax, size * 255 + 64)
    if (bound > MAX_INFLATED_BYTES) throw new CompressedDataError(`the LZ4 frame may inflate past ${MAX_INFLATED_BYTES} bytes`)
    at += size + blockChecksum
  }
  if (at + ((flags & CONTENT_CHECKSUM) !== 0 ? 4 : 0) !== bytes.length) throw new CompressedDataError('bytes follow the LZ4 frame')
  return Math.min(bound, contentSize)
}

function asBuffer(out: Uint8Array): Buffer {
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength)
}

/** The LZ4 codec over the `lz4js` module: one frame each way (lz4js writes 4 MiB blocks, no checksums but the header's). */
export function lz4Codec(lz4: typeof Lz4): BatchCodec {
  return { decompress: (bytes) => asBuffer(lz4.decompress(bytes, inflatedBound(bytes))), compress: (bytes) => asBuffer(lz4.compress(bytes)) }
}

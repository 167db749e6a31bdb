/**
 * Snappy as Kafka carries it: the Java client and broker write snappy-java's framing (an 8-byte magic
 * `\x82SNAPPY\0`, two version ints, then length-prefixed raw Snappy blocks), librdkafka and KafkaJS read it
 * and also raw Snappy without framing, so kafkalite reads both and writes the framing, as a Kafka broker
 * does. The raw Snappy block codec is the `snappyjs` package (pure JavaScript), loaded by compression.ts.
 */
import type * as Snappy from 'snappyjs'
import { CompressedDataError, MAX_INFLATED_BYTES, type BatchCodec } from './codec.js'

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00])
/** Magic, version 1, compatible version 1. */
const XERIAL_HEADER_BYTES = 16
/** snappy-java's default block size: each block holds at most this many uncompressed bytes. */
const BLOCK_BYTES = 32 * 1024

/** Decompresses framed or raw Snappy, refusing to inflate past {@link MAX_INFLATED_BYTES}. */
function snappyDecompress(uncompressBlock: typeof Snappy.uncompress, bytes: Buffer): Buffer {
  if (bytes.length < XERIAL_HEADER_BYTES || !bytes.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) return uncompressBlock(bytes, MAX_INFLATED_BYTES)
  const blocks: Buffer[] = []
  let inflated = 0
  let at = XERIAL_HEADER_BYTES
  while (at < bytes.length) {
    if (at + 4 > bytes.length) throw new CompressedDataError('a snappy block length is cut off')
    const length = bytes.readInt32BE(at)
    at += 4
    if (length < 0 || at + length > bytes.length) throw new CompressedDataError(`a snappy block of ${length} bytes overruns the ${bytes.length} bytes sent`)
    const block = uncompressBlock(bytes.subarray(at, at + length), MAX_INFLATED_BYTES - inflated)
    inflated += block.length
    blocks.push(block)
    at += length
  }
  return Buffer.concat(blocks, inflated)
}

/** Compresses into snappy-java's framing, as Kafka's brokers and Java clients write it. */
function snappyCompress(compressBlock: typeof Snappy.compress, bytes: Buffer): Buffer {
  const parts: Buffer[] = [XERIAL_MAGIC, Buffer.from([0, 0, 0, 1, 0, 0, 0, 1])]
  for (let at = 0; at < bytes.length; at += BLOCK_BYTES) {
    const block = compressBlock(bytes.subarray(at, at + BLOCK_BYTES))
    const length = Buffer.alloc(4)
    length.writeInt32BE(block.length)
    parts.push(length, block)
  }
  return Buffer.concat(parts)
}

/** The snappy codec over the `snappyjs` module. */
export function snappyCodec(snappy: typeof Snappy): BatchCodec {
  return { decompress: (bytes) => snappyDecompress(snappy.uncompress, bytes), compress: (bytes) => snappyCompress(snappy.compress, bytes) }
}

/**
 * The hash of KafkaJS's LegacyPartitioner (its default before 2.0). It follows MurmurHash2's
 * steps but multiplies in double precision instead of 32-bit integers, and walks one block past
 * the end of keys whose length is not a multiple of 4, so it disagrees with Java's `murmur2` for
 * most keys. Reproduced step for step because apps that chose the LegacyPartitioner rely on
 * keys landing on the same partitions as before.
 */

const SEED = 0x9747b28c
const M = 0x5bd1e995

/** A byte of the key, or 0 past its end (where KafkaJS reads `undefined & 0xff`). */
function byteAt(data: Buffer, index: number): number {
  return index < data.length ? data[index]! : 0
}

/** KafkaJS's legacy murmur2 variant: a signed 32-bit integer, bit-exact with KafkaJS 2.x's `LegacyPartitioner`. */
export function legacyMurmur2(key: Buffer | string): number {
  const data = Buffer.isBuffer(key) ? key : Buffer.from(String(key))
  const length = data.length
  let h: number = SEED ^ length
  // The bound is length / 4 without flooring: a partial last block is hashed as a whole block.
  for (let i = 0; i < length / 4; i++) {
    const at = i * 4
    // A sum, not a bitwise or: the top byte shifted by 24 may be negative, as in KafkaJS.
    let k: number = byteAt(data, at) + (byteAt(data, at + 1) << 8) + (byteAt(data, at + 2) << 16) + (byteAt(data, at + 3) << 24)
    k *= M
    k ^= k >>> 24
    k *= M
    h *= M
    h ^= k
  }
  const tail = length & ~3
  const rest = length % 4
  if (rest > 0) {
    if (rest === 3) h ^= byteAt(data, tail + 2) << 16
    if (rest >= 2) h ^= byteAt(data, tail + 1) << 8
    h ^= byteAt(data, tail)
    h *= M
  }
  h ^= h >>> 13
  h *= M
  h ^= h >>> 15
  return h
}

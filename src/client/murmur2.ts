/**
 * Kafka's key hash: the 32-bit MurmurHash2 of Java's `org.apache.kafka.common.utils.Utils.murmur2`
 * (seed 0x9747b28c), which the Java client's default partitioner and KafkaJS's DefaultPartitioner
 * use to map a key to a partition. Same bytes in, same signed int out, on every client.
 */

const SEED = 0x9747b28c
const M = 0x5bd1e995

/**
 * The signed 32-bit MurmurHash2 of a key, exactly as Java's `Utils.murmur2` returns it.
 * A string key is hashed as its UTF-8 bytes (what a Java producer's StringSerializer sends).
 *
 * @example murmur2('foobar') === -790332482
 */
export function murmur2(key: Buffer | string): number {
  if (typeof key === 'string' && isAscii(key)) return murmur2Ascii(key)
  const data = Buffer.isBuffer(key) ? key : Buffer.from(String(key), 'utf8')
  const length = data.length
  let h = (SEED ^ length) | 0
  const blocks = length >>> 2
  for (let i = 0; i < blocks; i++) h = mixBlock(h, data.readInt32LE(i * 4))
  // Java's switch falls through from the highest remaining byte down to the first.
  const tail = blocks * 4
  const rest = length & 3
  if (rest > 0) {
    if (rest === 3) h ^= data[tail + 2]! << 16
    if (rest >= 2) h ^= data[tail + 1]! << 8
    h ^= data[tail]!
    h = Math.imul(h, M)
  }
  return finish(h)
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false
  return true
}

/**
 * The same hash of an ASCII string, whose UTF-8 bytes are its char codes: read in place, so hashing a
 * string key (the common case: an order id) allocates no Buffer.
 */
function murmur2Ascii(text: string): number {
  const length = text.length
  let h = (SEED ^ length) | 0
  const blocks = length >>> 2
  for (let i = 0; i < blocks; i++) {
    const at = i * 4
    h = mixBlock(h, text.charCodeAt(at) | (text.charCodeAt(at + 1) << 8) | (text.charCodeAt(at + 2) << 16) | (text.charCodeAt(at + 3) << 24))
  }
  const tail = blocks * 4
  const rest = length & 3
  if (rest > 0) {
    if (rest === 3) h ^= text.charCodeAt(tail + 2) << 16
    if (rest >= 2) h ^= text.charCodeAt(tail + 1) << 8
    h ^= text.charCodeAt(tail)
    h = Math.imul(h, M)
  }
  return finish(h)
}

function mixBlock(h: number, block: number): number {
  let k = Math.imul(block, M)
  k ^= k >>> 24
  k = Math.imul(k, M)
  return Math.imul(h, M) ^ k
}

function finish(hash: number): number {
  let h = hash ^ (hash >>> 13)
  h = Math.imul(h, M)
  h ^= h >>> 15
  return h | 0
}

/**
 * Kafka's `Utils.toPositive`: clears the sign bit (not `Math.abs`, which would overflow on
 * Integer.MIN_VALUE), so every hash maps to a partition.
 */
export function toPositive(n: number): number {
  return n & 0x7fffffff
}

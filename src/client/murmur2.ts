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
  const data = Buffer.isBuffer(key) ? key : Buffer.from(String(key), 'utf8')
  const length = data.length
  let h = (SEED ^ length) | 0
  const blocks = length >>> 2
  for (let i = 0; i < blocks; i++) {
    let k = data.readInt32LE(i * 4)
    k = Math.imul(k, M)
    k ^= k >>> 24
    k = Math.imul(k, M)
    h = Math.imul(h, M) ^ k
  }
  // Java's switch falls through from the highest remaining byte down to the first.
  const tail = blocks * 4
  const rest = length & 3
  if (rest > 0) {
    if (rest === 3) h ^= data[tail + 2]! << 16
    if (rest >= 2) h ^= data[tail + 1]! << 8
    h ^= data[tail]!
    h = Math.imul(h, M)
  }
  h ^= h >>> 13
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

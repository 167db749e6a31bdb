/**
 * The one source of randomness in kafkalite: a small, fast, seedable generator
 * (mulberry32), so a failing property replays from the seed it prints.
 */

/** A seeded pseudo-random generator. */
export class SeededRandom {
  private state: number

  /** @param seed any integer; the same seed gives the same sequence. Defaults to a value from `Math.random()`. */
  constructor(readonly seed: number = Math.floor(Math.random() * 0x7fffffff)) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [0, bound). */
  int(bound: number): number {
    return Math.floor(this.next() * bound)
  }

  /** A random element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() needs a non-empty array')
    return items[this.int(items.length)]!
  }

  /** A lowercase hex string of `length` characters, e.g. for member and cluster ids. */
  hex(length: number): string {
    let out = ''
    while (out.length < length) out += this.int(16).toString(16)
    return out
  }

  /** A child generator whose sequence is independent of later draws from this one. */
  fork(): SeededRandom {
    return new SeededRandom(this.int(0x7fffffff))
  }
}

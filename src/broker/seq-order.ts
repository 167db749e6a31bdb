/**
 * Ordering a fetch session's partitions by `seq`, the place each took in its session (a counter: a non-negative
 * integer, distinct per session). Partitions unlink in the order their replicas change, which is the order producers
 * wrote to them, not the session's, so a follower's request sorts those unlinked since the last one.
 */

/** Anything placed by a session counter. */
export interface Sequenced {
  readonly seq: number
}

/** True if `entries` are already in seq order (the common case: nothing to sort). */
export function inSeqOrder(entries: readonly Sequenced[]): boolean {
  for (let i = 1; i < entries.length; i++) if (entries[i - 1]!.seq > entries[i]!.seq) return false
  return true
}

/** Below 2^21 entries, an entry's seq and index fit in one double (exact below 2^53, so seq below 2^32). */
const INDEX_BITS = 2 ** 21

/**
 * Sorts `entries` by seq in place; entries of equal seq keep their order. As numbers (seq and index in one double),
 * sorted natively, rather than with a comparator called from the sort for every comparison; with seqs or lengths too
 * large for one double, with the comparator.
 */
export function sortBySeq<T extends Sequenced>(entries: T[]): void {
  const n = entries.length
  const keys = new Float64Array(n)
  let fits = n < INDEX_BITS
  for (let i = 0; i < n && fits; i++) {
    const seq = entries[i]!.seq
    fits = seq >= 0 && seq < 2 ** 32
    keys[i] = seq * INDEX_BITS + i
  }
  if (!fits) {
    entries.sort((a, b) => a.seq - b.seq)
    return
  }
  keys.sort()
  const copy = entries.slice()
  for (let i = 0; i < n; i++) entries[i] = copy[keys[i]! % INDEX_BITS]!
}

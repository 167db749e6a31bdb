/**
 * Options objects written in plain JavaScript have no compiler to catch `{ broker: 3 }` or
 * `{ eachmessage }`: a misspelt key would be ignored in silence. Every options check names such
 * keys, with the known key the user most likely meant.
 */

/** Edit distance, small inputs only (option names). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/** The known key closest to `key` (case-insensitively equal, or at most 2 edits away), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase()
  let best: { name: string; d: number } | undefined
  for (const name of known) {
    const d = name.toLowerCase() === lower ? 0 : distance(lower, name.toLowerCase())
    if (d <= 2 && (best === undefined || d < best.d)) best = { name, d }
  }
  return best?.name
}

/**
 * Describes the keys of `given` that are not in `known`, e.g. `unknown option "broker" (did you
 * mean "brokers"?)`; undefined when every key is known.
 */
export function describeUnknownKeys(given: object, known: readonly string[], what = 'option'): string | undefined {
  const unknown = Object.keys(given).filter((key) => !known.includes(key))
  if (unknown.length === 0) return undefined
  return unknown
    .map((key) => {
      const suggestion = closest(key, known)
      return `unknown ${what} "${key}"${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`
    })
    .join(', ')
}

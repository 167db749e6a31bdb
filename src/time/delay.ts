/**
 * The checks every clock applies to a delay: timers and waits take a number of milliseconds. From plain JavaScript a
 * string ('1000') would turn `now()` into a string on a VirtualClock, and NaN would fire at once; both are refused.
 */

/** Throws a TypeError unless `ms` is a number other than NaN (Infinity is a timer that never fires). */
export function checkDelay(ms: unknown, what: string): asserts ms is number {
  if (typeof ms !== 'number' || Number.isNaN(ms)) {
    throw new TypeError(`${what} needs a number of milliseconds, got ${typeof ms === 'string' ? JSON.stringify(ms) : String(ms as never)} (${typeof ms})`)
  }
}

/** Throws unless `ms` is a finite, non-negative number: how far a VirtualClock may move. */
export function checkDuration(ms: unknown, what: string): asserts ms is number {
  checkDelay(ms, what)
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`${what} needs a finite, non-negative number of milliseconds, got ${ms}`)
}

/**
 * A real-time watchdog for a {@link VirtualClock}: on virtual time nothing happens until the test
 * moves the clock, so a test that awaits a client call without `clock.run(...)` hangs until the
 * test runner's timeout, with no hint. When a timer is scheduled while nobody drives the clock and
 * nobody drives it for `afterMs` of real time, the watchdog says what is wrong and how to fix it.
 * Its real timer is unref'd: it never keeps a process alive.
 */

/** Options of the watchdog, given as `new VirtualClock(start, { idleWarning })`. */
export interface IdleWarningOptions {
  /** Real milliseconds without anyone driving the clock before the warning (default 2000; 0 turns it off). */
  afterMs?: number
  /** Receives the warning (default: `process.emitWarning`, which prints it on stderr). */
  onIdle?: (message: string) => void
}

const DEFAULT_AFTER_MS = 2000

/** The warning's text. */
export const IDLE_MESSAGE =
  'VirtualClock: a timer is pending but nothing has advanced this virtual clock for a while of real time, so whatever ' +
  'waits on it (a producer send, a consumer run, a request timeout) waits forever. On a VirtualClock time moves only ' +
  'when the test moves it: `await clock.run(promise)` instead of `await promise`, or `await clock.advance(ms)` / ' +
  '`await clock.runUntil(() => condition)`.'

/** Watches one virtual clock: {@link armed} when a timer is scheduled undriven, {@link driven} on every move. */
export class IdleWatchdog {
  private timer: ReturnType<typeof setTimeout> | undefined
  private drives = 0
  private readonly afterMs: number
  private readonly onIdle: (message: string) => void
  /**
   * Where the clock was made: with many clocks in one process (a test suite), the warning names the one left undriven
   * (a test that awaits without `clock.run`, or one that ended leaving its clients running). Kept as the Error and read
   * only for a warning: V8 formats a stack when `stack` is first read, and under a test runner that maps it through
   * source maps, which cost a property suite that makes hundreds of clusters more than making them.
   */
  private readonly createdAt: Error | undefined

  constructor(
    options: IdleWarningOptions,
    private readonly stillPending: () => boolean,
  ) {
    this.afterMs = options.afterMs ?? DEFAULT_AFTER_MS
    this.onIdle = options.onIdle ?? ((message) => process.emitWarning(message, { code: 'KAFKALITE_VIRTUAL_CLOCK_IDLE' }))
    this.createdAt = this.afterMs > 0 ? new Error() : undefined
  }

  /** A timer was scheduled while nobody drove the clock: warn unless someone drives it soon. */
  armed(): void {
    if (this.afterMs <= 0 || this.timer !== undefined) return
    const drivesAtArm = this.drives
    this.timer = setTimeout(() => {
      this.timer = undefined
      if (this.drives === drivesAtArm && this.stillPending()) this.onIdle(this.warning())
    }, this.afterMs)
    this.timer.unref()
  }

  private warning(): string {
    const createdAt = callerFrames(this.createdAt?.stack)
    return createdAt === undefined ? IDLE_MESSAGE : `${IDLE_MESSAGE} The clock was made ${createdAt}`
  }

  /** The test moved (or flushed) the clock. */
  driven(): void {
    this.drives++
  }
}

/** How many of the caller's frames the warning shows. */
const CALLER_FRAMES = 3

/** The first frames of a construction stack outside the watchdog and the clock themselves, on one line. */
function callerFrames(stack: string | undefined): string | undefined {
  const frames = (stack ?? '')
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at ') && !/\b(IdleWatchdog|VirtualClock)\b/.test(line))
  return frames.length === 0 ? undefined : `${frames.slice(0, CALLER_FRAMES).join(', ')}.`
}

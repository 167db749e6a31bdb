/**
 * One attempt at handling a record, bounded in time on the cluster clock (issue 4's `timeoutMs`):
 * the handler gets an `AbortSignal` that aborts when the time is up, and an attempt that times out
 * counts as failed even if the handler settles later.
 */
import type { Clock } from '../../time/clock.js'

/** The error an attempt fails with when it outlives its `timeoutMs`; it is also the signal's `reason`. */
export class AttemptTimeoutError extends Error {
  override name = 'AttemptTimeoutError'
  constructor(readonly timeoutMs: number) {
    super(`The handler did not finish within timeoutMs (${timeoutMs} ms); the attempt counts as failed`)
  }
}

/** Bounds for one attempt. */
export interface AttemptOptions {
  clock: Clock
  /** Fail the attempt after this many ms of the clock's time; no limit when absent. */
  timeoutMs?: number
  /** An outer signal (e.g. the consumer stopping): aborting it aborts and fails the attempt with its reason. */
  signal?: AbortSignal
}

/**
 * Runs `handler` once with a fresh `AbortSignal`, and settles with its outcome, or rejects with
 * {@link AttemptTimeoutError} when `timeoutMs` passes first, or with the outer signal's reason when it
 * aborts first. A handler that settles after that is ignored (its rejection is never unhandled).
 */
export function runAttempt<T>(handler: (signal: AbortSignal) => Promise<T> | T, options: AttemptOptions): Promise<T> {
  const { clock, timeoutMs, signal: outer } = options
  const controller = new AbortController()
  return new Promise<T>((resolve, reject) => {
    let settled = false
    const settle = (finish: () => void): void => {
      if (settled) return
      settled = true
      if (timer !== undefined) clock.clearTimeout(timer)
      outer?.removeEventListener('abort', onOuterAbort)
      finish()
    }
    const fail = (reason: unknown): void => {
      controller.abort(reason)
      settle(() => reject(reason))
    }
    const onOuterAbort = (): void => fail(outer?.reason)
    const timer = timeoutMs === undefined ? undefined : clock.setTimeout(() => fail(new AttemptTimeoutError(timeoutMs)), timeoutMs)
    if (outer?.aborted) {
      fail(outer.reason)
      return
    }
    outer?.addEventListener('abort', onOuterAbort, { once: true })
    let outcome: Promise<T>
    try {
      outcome = Promise.resolve(handler(controller.signal))
    } catch (error) {
      outcome = Promise.reject(error)
    }
    outcome.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    )
  })
}

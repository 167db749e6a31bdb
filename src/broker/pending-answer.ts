/**
 * The answer of a request that waits at the broker (a parked Fetch, an acks=all Produce), settled later by the
 * wait's callback: a handler returns it instead of a promise, and the broker hands the outcome straight to the
 * request's callbacks ({@link Broker.serve}), so a wait costs no promise.
 */
export class PendingAnswer<T> {
  private outcome: { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown } | undefined
  private listener: { readonly resolve: (value: T) => void; readonly reject: (error: unknown) => void } | undefined

  /** Settles with the answer `compute` gives, or with the error it throws; only the first settling counts. */
  settleWith(compute: () => T): void {
    if (this.outcome !== undefined) return
    try {
      this.outcome = { ok: true, value: compute() }
    } catch (error) {
      this.outcome = { ok: false, error }
    }
    this.deliver()
  }

  /** Hands the outcome to `resolve` or `reject` once settled (at once if it is already). One listener only. */
  listen(resolve: (value: T) => void, reject: (error: unknown) => void): void {
    this.listener = { resolve, reject }
    this.deliver()
  }

  private deliver(): void {
    const { outcome, listener } = this
    if (outcome === undefined || listener === undefined) return
    this.listener = undefined
    if (outcome.ok) listener.resolve(outcome.value)
    else listener.reject(outcome.error)
  }
}

/**
 * A counting semaphore: at most `limit` batches are processed at once (KafkaJS's
 * `partitionsConsumedConcurrently`). Waiters are served in arrival order, so the schedule is
 * deterministic.
 */
export class ConcurrencyLimit {
  private available: number
  private readonly waiters: Array<() => void> = []

  constructor(limit: number) {
    this.available = limit
  }

  /** Runs `task` once a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.available > 0) this.available--
    else await new Promise<void>((resolve) => this.waiters.push(resolve))
    try {
      return await task()
    } finally {
      const next = this.waiters.shift()
      if (next !== undefined) next()
      else this.available++
    }
  }
}

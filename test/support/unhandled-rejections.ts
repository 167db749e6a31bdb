/**
 * Catches promise rejections nobody handled while a property run goes on (say, a replication invariant that failed
 * inside a follower's fetch loop), so that they fail the run that caused them, with its seed, instead of surfacing
 * later as an unattributed error of the whole file.
 */

/** Watches for unhandled rejections until `stop()`. */
export function watchUnhandledRejections(): { readonly errors: unknown[]; stop(): void } {
  const errors: unknown[] = []
  const listener = (reason: unknown): void => {
    errors.push(reason)
  }
  process.on('unhandledRejection', listener)
  return { errors, stop: () => process.off('unhandledRejection', listener) }
}

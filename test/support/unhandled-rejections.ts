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

/** Runs `work` and fails, with `context`, if a promise rejection nobody handled happened meanwhile. */
export async function withoutUnhandledRejections(context: string, work: () => Promise<void>): Promise<void> {
  const unhandled = watchUnhandledRejections()
  try {
    await work()
  } finally {
    unhandled.stop()
  }
  if (unhandled.errors.length > 0) throw new Error(`rejections nobody handled, ${context}: ${unhandled.errors.map(String).join('; ')}`)
}

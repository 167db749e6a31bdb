/**
 * Whether a crashed consumer restarts, as KafkaJS decides: only after a retriable error (or when
 * retries ran out), and only if `retry.restartOnFailure` agrees (a callback that throws counts as
 * yes). The restart waits for the error's retry time, else `retry.initialRetryTime`.
 */
import { isRetriableCrash } from '../error-policy.js'
import { toError } from '../thrown-value.js'
import type { Logger } from '../logger.js'
import { RETRY_DEFAULTS, type RetryOptions } from '../retry.js'

/** The error a consumer crashed with, as the retrier leaves it. */
export type CrashError = Error & { retryCount?: number; retryTime?: number }

/** Decides whether to restart after `error`. */
export async function shouldRestart(error: CrashError, retry: RetryOptions, logger: Logger, groupId: string): Promise<boolean> {
  const retriable = isRetriableCrash(error)
  if (!retriable || retry.restartOnFailure === undefined) return retriable
  const decide = retry.restartOnFailure
  return Promise.resolve()
    .then(() => decide(error))
    .catch((callbackError: unknown) => {
      logger.error('Caught error when invoking user-provided "restartOnFailure" callback. Defaulting to restarting.', {
        error: toError(callbackError, 'restartOnFailure').message,
        cause: error.message,
        groupId,
      })
      return true
    })
}

/** How long to wait before restarting. */
export function restartDelay(error: CrashError, retry: RetryOptions): number {
  return error.retryTime ?? retry.initialRetryTime ?? RETRY_DEFAULTS.initialRetryTime
}

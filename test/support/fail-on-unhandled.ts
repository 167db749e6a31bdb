/**
 * A vitest setup file (vitest.config.ts `setupFiles`): fails the test during which a promise rejection went unhandled
 * or an exception went uncaught. kafkalite runs much in the background (restarts, fetch loops, replica fetchers,
 * timers); an error there that nobody handles would kill a real process under Node's default, so it is a defect of
 * the test's subject, and the test it happened in says which.
 *
 * A rejection handled later in the same test (Node's `rejectionHandled`) does not count.
 */
import { afterEach } from 'vitest'

interface Seen {
  readonly unhandled: Map<Promise<unknown>, unknown>
  readonly uncaught: unknown[]
}

function listen(): Seen {
  const seen: Seen = { unhandled: new Map(), uncaught: [] }
  process.on('unhandledRejection', (reason, promise) => {
    seen.unhandled.set(promise, reason)
  })
  process.on('rejectionHandled', (promise) => {
    seen.unhandled.delete(promise)
  })
  process.on('uncaughtException', (error) => {
    seen.uncaught.push(error)
  })
  return seen
}

// Vitest runs a setup file again before each test file, and a worker that does not isolate files (vitest.config.ts)
// runs many in one process: the listeners are added once per process, or each file would add three more.
const key = Symbol.for('kafkalite.test.fail-on-unhandled')
const holder = globalThis as typeof globalThis & { [key]?: Seen }
const { unhandled, uncaught } = (holder[key] ??= listen())

function describe(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.stack ?? `${thrown.name}: ${thrown.message}`
  try {
    return String(thrown)
  } catch {
    return Object.prototype.toString.call(thrown)
  }
}

afterEach(async () => {
  // Node reports a rejection once the microtasks of the tick it happened in have run: let the test's last tick end.
  await new Promise((resolve) => setImmediate(resolve))
  const found = [...[...unhandled.values()].map((r) => `unhandled rejection: ${describe(r)}`), ...uncaught.map((e) => `uncaught exception: ${describe(e)}`)]
  unhandled.clear()
  uncaught.length = 0
  if (found.length > 0) throw new Error(`${found.length} error(s) nobody handled during this test:\n${found.join('\n')}`)
})

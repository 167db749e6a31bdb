/**
 * `npm run demo -- --web`: the order workflow in the browser. The story runs on its virtual clock as
 * in the terminal, but paced to the wall clock (`speed` virtual ms per wall ms), so a person can
 * watch the orders arrive, the broker crash, the lag build and drain. The cluster's console shows it
 * live, with the terminal timeline's lines on its timeline; the story starts when the first page
 * opens the console. When the story is over the cluster stays
 * up, to explore and break from the page, until {@link WebDemo.stop} (Ctrl-C).
 */
import { SystemClock, type ConsoleHandle, type VirtualClock } from '../../src/index.js'
import { runScenario } from './scenario.js'
import type { ScenarioResult } from './scenario-result.js'
import type { FaultSchedule } from './story-plan.js'

/** Options of {@link startWebDemo}. */
export interface WebDemoOptions {
  orders: number
  seed: number
  faults: boolean | FaultSchedule
  /** Virtual ms per wall ms (1: real time). */
  speed: number
  /** The console's port (0: any free one). */
  port: number
}

/** A running web demo. */
export interface WebDemo {
  /** The console's address. */
  readonly url: string
  /** Resolves when the story is over (the cluster and its console stay up). */
  readonly storyOver: Promise<void>
  /** Closes the console and the shop; resolves with the run's result, or undefined if the story was stopped before its end. */
  stop(): Promise<ScenarioResult | undefined>
}

/** Wall time between two moves of the virtual clock. */
const TICK_MS = 50
/** Most wall time one move makes up for (after a pause of the process, virtual time does not leap). */
const MAX_TICK_MS = 500

/** The story's drive, ended by `stop()` before the story is over. */
class StoppedError extends Error {
  override name = 'StoppedError'
}

/** Starts the story and its console; resolves once the console is up. */
export async function startWebDemo(options: WebDemoOptions): Promise<WebDemo> {
  if (!(options.speed > 0)) throw new RangeError(`speed must be above 0, got ${options.speed}`)
  const wall = new SystemClock()
  /** Set by stop() once the console is closed, if the story was not over: the clock stops moving. */
  let abandoned = false
  let ui: ConsoleHandle | undefined
  let consoleUp!: (handle: ConsoleHandle) => void
  const consoleReady = new Promise<ConsoleHandle>((resolve) => (consoleUp = resolve))
  let over!: () => void
  const storyOver = new Promise<void>((resolve) => (over = resolve))
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  let holding = false

  const paced = async <T>(clock: VirtualClock, work: Promise<T>): Promise<T> => {
    let settled = false
    const tracked = work.finally(() => (settled = true))
    tracked.catch(() => undefined)
    let last = wall.now()
    while (!settled) {
      if (abandoned) throw new StoppedError('stopped before the story was over')
      await wall.sleep(TICK_MS)
      const now = wall.now()
      await clock.advance(Math.min(now - last, MAX_TICK_MS) * options.speed)
      last = now
    }
    return tracked
  }

  const result = runScenario({
    orders: options.orders,
    seed: options.seed,
    faults: options.faults,
    drive: paced,
    onOpen: async (cluster) => {
      ui = await cluster.console({ port: options.port })
      consoleUp(ui)
      // The story starts when someone watches: the first page to open sees it from its first line.
      await ui.viewed()
    },
    onEntry: (entry) => ui?.note(entry.text, { kind: entry.kind, ...(entry.details === undefined ? {} : { details: entry.details }) }),
    holdOpen: async () => {
      holding = true
      ui?.note('the story is over: the cluster stays up, break it from this page (Ctrl-C in the terminal ends the demo)', { kind: 'phase' })
      over()
      await released
    },
  })
  const handle = await Promise.race([consoleReady, result.then(() => Promise.reject(new Error('the story ended before its console started')))])
  return {
    url: handle.url,
    storyOver,
    async stop() {
      // Closed while the clock still moves: its clients leave their groups on cluster time.
      await handle.close()
      if (holding) release()
      else abandoned = true
      try {
        return await result
      } catch (error) {
        if (error instanceof StoppedError) return undefined
        throw error
      }
    },
  }
}

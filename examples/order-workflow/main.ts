/**
 * `npm run demo`: the order workflow, told as a timeline and checked by its summary.
 *
 *   npm run demo                        # 40 orders, seed 12, with faults
 *   npm run demo -- --orders 10000      # bigger (progress on stderr)
 *   npm run demo -- --seed 3 --no-faults --quiet --verbose
 *   npm run demo -- --web               # in the browser, cluster time paced to wall time, until Ctrl-C
 *   npm run demo -- --web --speed 2 --port 8080
 *
 * Exits with 1 if an invariant does not hold, 2 on bad arguments.
 */
import { SystemClock } from '../../src/index.js'
import { renderDemoReport } from './demo-report.js'
import { runScenario } from './scenario.js'
import type { Progress } from './scenario-result.js'
import { checkInvariants } from './summary.js'
import { startWebDemo } from './web-demo.js'

interface Arguments {
  orders: number
  seed: number
  faults: boolean
  quiet: boolean
  verbose: boolean
  web: boolean
  /** With --web: virtual ms per wall ms. */
  speed: number
  /** With --web: the console's port (0: any free one). */
  port: number
}

const USAGE = 'usage: npm run demo -- [--orders N] [--seed S] [--no-faults] [--quiet] [--verbose] [--web [--speed X] [--port P]]'

function parseArguments(argv: readonly string[]): Arguments {
  const args: Arguments = { orders: 40, seed: 12, faults: true, quiet: false, verbose: false, web: false, speed: 1, port: 0 }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const integer = (min: number): number => {
      const value = Number(argv[++i])
      if (!Number.isInteger(value) || value < min) throw new Error(`${flag} needs an integer of at least ${min}, got ${JSON.stringify(argv[i])}`)
      return value
    }
    if (flag === '--orders') args.orders = integer(1)
    else if (flag === '--seed') args.seed = integer(0)
    else if (flag === '--no-faults') args.faults = false
    else if (flag === '--quiet') args.quiet = true
    else if (flag === '--verbose') args.verbose = true
    else if (flag === '--web') args.web = true
    else if (flag === '--port') args.port = integer(0)
    else if (flag === '--speed') {
      const value = Number(argv[++i])
      if (!(value > 0 && value <= 1000)) throw new Error(`--speed needs a number above 0 and at most 1000, got ${JSON.stringify(argv[i])}`)
      args.speed = value
    }
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE)
      process.exit(0)
    } else throw new Error(`unknown argument ${JSON.stringify(flag)}`)
  }
  return args
}

async function main(): Promise<number> {
  let args: Arguments
  try {
    args = parseArguments(process.argv.slice(2))
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    return 2
  }
  if (args.web) return runInBrowser(args)
  const wall = new SystemClock()
  const startedAt = wall.now()
  const long = args.orders > 200
  const onProgress = (p: Progress): void => {
    if (long) process.stderr.write(`  ${p.phase}: ${p.placed}/${p.total} orders placed, cluster time +${(p.elapsedMs / 1000).toFixed(0)} s, wall ${((wall.now() - startedAt) / 1000).toFixed(1)} s\n`)
  }
  const result = await runScenario({ orders: args.orders, seed: args.seed, faults: args.faults, onProgress })
  const wallSeconds = ((wall.now() - startedAt) / 1000).toFixed(1)
  if (long) process.stderr.write(`  the run took ${wallSeconds} s of wall time; checking the invariants\n`)
  const violations = checkInvariants(result)

  console.log(renderDemoReport(result, violations, { quiet: args.quiet, verbose: args.verbose, wallSeconds }).join('\n'))
  if (args.quiet || long) console.log(`\n(${wallSeconds} s of wall time for the run, ${((wall.now() - startedAt) / 1000).toFixed(1)} s with the checks)`)
  return violations.length === 0 ? 0 : 1
}

/** `--web`: the story in the console, until Ctrl-C; then the summary. */
async function runInBrowser(args: Arguments): Promise<number> {
  const wall = new SystemClock()
  const startedAt = wall.now()
  const demo = await startWebDemo({ orders: args.orders, seed: args.seed, faults: args.faults, speed: args.speed, port: args.port })
  console.log(`kafkalite order workflow in the browser: open ${demo.url}`)
  console.log(`${args.orders} orders, seed ${args.seed}; the story starts when the page opens, cluster time at ${args.speed}x wall time. Ctrl-C stops the demo.`)
  void demo.storyOver.then(() => console.log('The story is over; the cluster stays up for you to explore and break from the page. Ctrl-C stops it.'))
  // Ctrl-C may arrive twice (the terminal signals tsx and the demo, and tsx passes it on): the first one stops, later ones wait for it.
  await new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve())
    process.on('SIGTERM', () => resolve())
  })
  console.log('\nstopping: closing the console and the shop')
  const result = await demo.stop()
  if (result === undefined) {
    console.log('stopped before the story was over: no summary')
    return 0
  }
  const violations = checkInvariants(result)
  const wallSeconds = ((wall.now() - startedAt) / 1000).toFixed(1)
  console.log(renderDemoReport(result, violations, { quiet: true, verbose: false, wallSeconds }).join('\n'))
  return violations.length === 0 ? 0 : 1
}

process.exitCode = await main()

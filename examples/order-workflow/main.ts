/**
 * `npm run demo`: the order workflow, told as a timeline and checked by its summary.
 *
 *   npm run demo                        # 40 orders, seed 12, with faults
 *   npm run demo -- --orders 10000      # bigger (progress on stderr)
 *   npm run demo -- --seed 3 --no-faults --quiet --verbose
 *
 * Exits with 1 if an invariant does not hold, 2 on bad arguments.
 */
import { SystemClock } from '../../src/index.js'
import { renderDemoReport } from './demo-report.js'
import { runScenario } from './scenario.js'
import type { Progress } from './scenario-result.js'
import { checkInvariants } from './summary.js'

interface Arguments {
  orders: number
  seed: number
  faults: boolean
  quiet: boolean
  verbose: boolean
}

const USAGE = 'usage: npm run demo -- [--orders N] [--seed S] [--no-faults] [--quiet] [--verbose]'

function parseArguments(argv: readonly string[]): Arguments {
  const args: Arguments = { orders: 40, seed: 12, faults: true, quiet: false, verbose: false }
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

process.exitCode = await main()

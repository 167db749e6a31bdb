#!/usr/bin/env node
/** The `kafkalite` command. `kafkalite serve ...` runs a cluster behind Kafka's wire protocol until SIGINT or SIGTERM. */
import { serve } from './serve.js'
import { parseServeOptions, SERVE_USAGE, UsageError } from './serve-options.js'

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command !== 'serve') {
    process.stderr.write(`${command === undefined ? 'No command given' : `Unknown command ${command}`}.\n${SERVE_USAGE}\n`)
    return 2
  }
  let options
  try {
    options = parseServeOptions(rest)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`${error.message}\n${SERVE_USAGE}\n`)
    return 2
  }
  // The handlers go in before the cluster starts: a signal that lands while it starts (right after the 'bootstrap:'
  // line, say) stops it once started, instead of killing the process with Node's default action.
  const signalled = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`received ${signal}, stopping\n`)
      resolve()
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
  })
  const handle = await serve(options, (line) => process.stdout.write(`${line}\n`))
  await signalled
  await handle.stop()
  return 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`kafkalite: ${(error as Error).message}\n`)
    process.exit(1)
  },
)

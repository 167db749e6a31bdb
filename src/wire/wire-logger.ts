/** The listener's log: a level filter over a sink, so `serve --log-level debug` shows every request and tests can capture lines. */

export type WireLogLevel = 'debug' | 'info' | 'warn' | 'error'

/** Where log lines go. */
export type WireLogSink = (level: WireLogLevel, message: string) => void

const RANK: Record<WireLogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 }

/** Writes lines at `level` and above to `sink` (default: standard error). */
export function wireLogger(level: WireLogLevel = 'warn', sink?: WireLogSink): WireLogSink {
  const out: WireLogSink = sink ?? ((lineLevel, message) => process.stderr.write(`[kafkalite wire] ${lineLevel.toUpperCase()} ${message}\n`))
  return (lineLevel, message) => {
    if (RANK[lineLevel] >= RANK[level]) out(lineLevel, message)
  }
}

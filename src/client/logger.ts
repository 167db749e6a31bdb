/**
 * KafkaJS's logger: `logLevel`, `logCreator` and namespaced loggers, so a KafkaJS app's logging
 * setup carries over. The default writes JSON lines to the console, as KafkaJS does.
 */

/** KafkaJS's log levels. */
export const logLevel = { NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 } as const
export type LogLevel = (typeof logLevel)[keyof typeof logLevel]

/** What a log creator receives for each entry. */
export interface LogEntry {
  namespace: string
  level: LogLevel
  label: string
  log: { timestamp: string; logger: 'kafkajs'; message: string; [key: string]: unknown }
}

/** KafkaJS's `logCreator`: given the level, returns the function that writes entries. */
export type LogCreator = (level: LogLevel) => (entry: LogEntry) => void

/** A namespaced logger, as `kafka.logger()` and `consumer.logger()` return. */
export interface Logger {
  info(message: string, extra?: object): void
  error(message: string, extra?: object): void
  warn(message: string, extra?: object): void
  debug(message: string, extra?: object): void
  namespace(namespace: string, level?: LogLevel): Logger
  setLogLevel(level: LogLevel): void
}

/** KafkaJS's default log creator: JSON to console.info/warn/error. */
export const consoleLogCreator: LogCreator = () => (entry) => {
  const line = JSON.stringify({ level: entry.label, ...entry.log })
  if (entry.level === logLevel.ERROR) console.error(line)
  else if (entry.level === logLevel.WARN) console.warn(line)
  else console.info(line)
}

const LABELS: Record<number, string> = { 1: 'ERROR', 2: 'WARN', 4: 'INFO', 5: 'DEBUG' }

/** Creates a root logger. `now` gives the timestamp (the cluster clock). */
export function createLogger(options: { level?: LogLevel; logCreator?: LogCreator; now: () => number }): Logger {
  const state = { level: options.level ?? logLevel.INFO }
  const write = (options.logCreator ?? consoleLogCreator)(state.level)
  const make = (namespace: string, fixed?: LogLevel): Logger => {
    const at = (level: LogLevel) => (message: string, extra: object = {}) => {
      if (level > (fixed ?? state.level)) return
      write({
        namespace,
        level,
        label: LABELS[level] ?? 'INFO',
        log: { timestamp: new Date(options.now()).toISOString(), logger: 'kafkajs', message, ...extra },
      })
    }
    return {
      info: at(logLevel.INFO),
      error: at(logLevel.ERROR),
      warn: at(logLevel.WARN),
      debug: at(logLevel.DEBUG),
      namespace: (child, level) => make(namespace === '' ? child : `${namespace}.${child}`, level ?? fixed),
      setLogLevel: (level) => {
        state.level = level
      },
    }
  }
  return make('')
}

/** The options of `kafkalite serve`, parsed from the command line with Node's parseArgs, each checked with a message that says what to pass instead. */
import { parseArgs } from 'node:util'
import { SASL_MECHANISMS, type SaslMechanism } from '../wire/sasl.js'
import type { WireLogLevel } from '../wire/wire-logger.js'

/** What `kafkalite serve` runs. */
export interface ServeOptions {
  readonly brokers: number
  /** Port of broker 0; broker i listens on port + i. */
  readonly port: number
  readonly host: string
  readonly replicationFactor: number
  readonly minInsync: number
  readonly partitions: number
  readonly seed: number | undefined
  readonly logLevel: WireLogLevel
  /** SASL users (`--sasl-user name:password`, repeatable); undefined: SASL off. */
  readonly saslUsers?: Readonly<Record<string, string>>
  /** `--sasl-mechanisms`: the mechanisms offered (default all three). */
  readonly saslMechanisms?: readonly SaslMechanism[]
  /** `--tls-key` and `--tls-cert`: PEM files of the listener's key and certificate; undefined: plaintext. */
  readonly tls?: { readonly keyPath: string; readonly certPath: string }
  /** `--console`: the web console beside the listener, on the same host; port 0 picks a free one. */
  readonly console: { readonly port: number } | undefined
}

/** A command line `kafkalite serve` cannot run, with what was wrong. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export const SERVE_USAGE = `Usage: kafkalite serve [--brokers 3] [--port 9092] [--host 127.0.0.1] [--replication-factor N] [--min-insync N]
                       [--partitions N] [--seed S] [--log-level debug|info|warn|error] [--console [--console-port P]]
                       [--sasl-user name:password ...] [--sasl-mechanisms PLAIN,SCRAM-SHA-256,SCRAM-SHA-512]
                       [--tls-key key.pem --tls-cert cert.pem]`

function integer(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < min) throw new UsageError(`--${name} must be an integer >= ${min}, got ${value}`)
  return parsed
}

const LEVELS: readonly WireLogLevel[] = ['debug', 'info', 'warn', 'error']

/** Parses the arguments after `serve`. Throws {@link UsageError} on an unknown flag or a bad value. */
export function parseServeOptions(args: readonly string[]): ServeOptions {
  let values: Record<string, string | undefined> & { 'sasl-user'?: string[] }
  try {
    values = parseArgs({
      args: [...args],
      options: {
        brokers: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'replication-factor': { type: 'string' },
        'min-insync': { type: 'string' },
        partitions: { type: 'string' },
        seed: { type: 'string' },
        'log-level': { type: 'string' },
        'sasl-user': { type: 'string', multiple: true },
        'sasl-mechanisms': { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-cert': { type: 'string' },
        console: { type: 'boolean' },
        'console-port': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values as typeof values
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  const brokers = integer('brokers', values['brokers'], 3, 1)
  const replicationFactor = integer('replication-factor', values['replication-factor'], Math.min(3, brokers), 1)
  if (replicationFactor > brokers) throw new UsageError(`--replication-factor ${replicationFactor} is larger than --brokers ${brokers}`)
  const minInsync = integer('min-insync', values['min-insync'], 1, 1)
  if (minInsync > replicationFactor) throw new UsageError(`--min-insync ${minInsync} is larger than --replication-factor ${replicationFactor}: acks=all sends would always fail`)
  const logLevel = (values['log-level'] ?? 'info') as WireLogLevel
  if (!LEVELS.includes(logLevel)) throw new UsageError(`--log-level must be one of ${LEVELS.join(', ')}, got ${logLevel}`)
  const withConsole = (values['console'] as unknown) === true
  if (values['console-port'] !== undefined && !withConsole) throw new UsageError('--console-port needs --console')
  const consolePort = integer('console-port', values['console-port'], 0, 0)
  if (consolePort > 65535) throw new UsageError(`--console-port must be at most 65535, got ${consolePort}`)
  const port = integer('port', values['port'], 9092, 0)
  if (port + brokers - 1 > 65535) throw new UsageError(`--port ${port} leaves no room for ${brokers} brokers below 65536`)
  return {
    ...securityOptions(values),
    brokers,
    port,
    host: values['host'] ?? '127.0.0.1',
    replicationFactor,
    minInsync,
    partitions: integer('partitions', values['partitions'], 1, 1),
    seed: values['seed'] === undefined ? undefined : integer('seed', values['seed'], 0, 0),
    logLevel,
    console: withConsole ? { port: consolePort } : undefined,
  }
}

/** `--sasl-user`, `--sasl-mechanisms`, `--tls-key` and `--tls-cert`, checked. */
function securityOptions(values: Record<string, string | undefined> & { 'sasl-user'?: string[] }): Pick<ServeOptions, 'saslUsers' | 'saslMechanisms' | 'tls'> {
  const out: { saslUsers?: Record<string, string>; saslMechanisms?: SaslMechanism[]; tls?: { keyPath: string; certPath: string } } = {}
  for (const entry of values['sasl-user'] ?? []) {
    const colon = entry.indexOf(':')
    if (colon <= 0) throw new UsageError(`--sasl-user must be name:password, got ${entry}`)
    out.saslUsers = { ...out.saslUsers, [entry.slice(0, colon)]: entry.slice(colon + 1) }
  }
  const mechanisms = values['sasl-mechanisms']
  if (mechanisms !== undefined) {
    if (out.saslUsers === undefined) throw new UsageError('--sasl-mechanisms needs at least one --sasl-user')
    const names = mechanisms.split(',').map((m) => m.trim().toUpperCase())
    const unknown = names.filter((m) => !(SASL_MECHANISMS as readonly string[]).includes(m))
    if (unknown.length > 0 || names.length === 0) throw new UsageError(`--sasl-mechanisms takes a list of ${SASL_MECHANISMS.join(', ')}, got ${mechanisms}`)
    out.saslMechanisms = names as SaslMechanism[]
  }
  const key = values['tls-key']
  const cert = values['tls-cert']
  if ((key === undefined) !== (cert === undefined)) throw new UsageError('--tls-key and --tls-cert go together: give both PEM files')
  if (key !== undefined && cert !== undefined) out.tls = { keyPath: key, certPath: cert }
  return out
}

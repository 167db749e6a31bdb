/**
 * `cluster.listen()`: Kafka's wire protocol in front of the same brokers the in-process clients
 * use. One TCP listener per broker, each advertised in Metadata and FindCoordinator at its own
 * host and port. Every request is decoded, sent through the cluster's transport (so request hooks
 * and network faults apply to it as to in-process traffic), served by the same broker handler,
 * and encoded. The listener runs on the system clock: TCP clients time out in wall time.
 */
import type { ApiName, RequestChannel, RequestOf, ResponseOf } from '../protocol/index.js'
import { VirtualClock, type Clock } from '../time/index.js'
import { BrokerListener } from './broker-listener.js'
import { loadCompressionCodecs } from './compression.js'
import { SASL_MECHANISMS, SaslAuthenticator, type SaslMechanism } from './sasl.js'
import { wireLogger, type WireLogLevel, type WireLogSink } from './wire-logger.js'

/** What the listener needs from a cluster: its transport, ids and liveness. */
export interface WireBackend {
  readonly transport: RequestChannel
  readonly clock: Clock
  brokerIds(): number[]
  liveBrokerIds(): number[]
}

/** Options of `cluster.listen()`. */
export interface ListenOptions {
  /** Interface to bind (default 127.0.0.1; any other host without TLS or SASL logs a warning). */
  host?: string
  /** Port of broker 0; broker i listens on port + i. 0 (default) gives each broker a free port. */
  port?: number
  /** `socket.request.max.bytes` (default 104857600, 100 MiB): a larger frame closes the connection. */
  maxRequestBytes?: number
  /** Connection limit per broker listener (Kafka's `max.connections`; default 1000). */
  maxConnections?: number
  /** SASL/PLAIN users (name to password): shorthand for `sasl: { users, mechanisms: ['PLAIN'] }`. */
  saslPlainUsers?: Readonly<Record<string, string>>
  /**
   * SASL users (name to password) and the mechanisms offered for them (default all three: PLAIN, SCRAM-SHA-256,
   * SCRAM-SHA-512; Kafka's `sasl.enabled.mechanisms`). Given, every connection must authenticate first; absent,
   * SASL is off. A client authenticated as `alice` is the principal `User:alice` to the cluster's authorizer.
   */
  sasl?: ListenSaslOptions
  /** TLS with the key and certificate given (Kafka's SSL and SASL_SSL listeners); absent, the listener is plaintext. */
  tls?: ListenTlsOptions
  /** Log lines at this level and above (default 'warn'). */
  logLevel?: WireLogLevel
  /** Where log lines go (default standard error). */
  log?: WireLogSink
}

/** SASL on the listener (see {@link ListenOptions.sasl}). */
export interface ListenSaslOptions {
  /** User names and their passwords. */
  readonly users: Readonly<Record<string, string>>
  /** The mechanisms offered, in the order SaslHandshake lists them (default: all three). */
  readonly mechanisms?: readonly SaslMechanism[]
}

/** TLS on the listener: what Node's `tls.createServer` needs to serve (see {@link ListenOptions.tls}). */
export interface ListenTlsOptions {
  /** The private key, PEM. */
  readonly key: string | Buffer
  /** The certificate chain for that key, PEM. */
  readonly cert: string | Buffer
  /** The passphrase of an encrypted key. */
  readonly passphrase?: string
}

/** A running listener: the bootstrap addresses, request counts, and `close()`. */
export interface WireListener {
  /** `host:port` of each broker, in broker id order: pass them to any Kafka client as bootstrap servers. */
  readonly brokers: readonly string[]
  /** Requests served, by API name. */
  readonly requests: Readonly<Record<string, number>>
  /** Closes the connections of a broker that crashed. */
  brokerDown(brokerId: number): void
  /** Stops every broker's listener and closes its connections. */
  close(): Promise<void>
}

/** Starts one TCP listener per broker of `backend`. */
export async function listen(backend: WireBackend, options: ListenOptions = {}): Promise<WireListener> {
  const host = options.host ?? '127.0.0.1'
  const log = wireLogger(options.logLevel ?? 'warn', options.log)
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    const guards = [options.tls === undefined ? 'no TLS' : null, options.sasl === undefined && options.saslPlainUsers === undefined ? 'no SASL' : null].filter((g) => g !== null)
    if (guards.length > 0) log('warn', `listening on ${host} with ${guards.join(' and ')}: anyone who can reach this host can read and write every topic the authorizer allows`)
  }
  if (backend.clock instanceof VirtualClock) {
    log('warn', 'the cluster runs on a VirtualClock: long-poll fetches and timeouts of wire clients wait until the test advances it; use the system clock for TCP clients')
  }
  for (const [codec, why] of await loadCompressionCodecs()) {
    log('warn', `${codec} compression is unavailable (${why}): ${codec} batches are answered UNSUPPORTED_COMPRESSION_TYPE`)
  }
  const authenticator = saslAuthenticator(options)
  const requests: Record<string, number> = {}
  const ports = new Map<number, number>()
  const listeners = new Map<number, BrokerListener>()
  for (const brokerId of backend.brokerIds()) {
    const listener = new BrokerListener(
      {
        brokerId,
        maxRequestBytes: options.maxRequestBytes ?? 104857600,
        authenticator,
        log,
        send: <K extends ApiName>(clientId: string, principal: string | undefined, api: K, request: RequestOf<K>): Promise<ResponseOf<K>> =>
          backend.transport.send({ kind: 'client', clientId, ...(principal === undefined ? {} : { principal }) }, brokerId, api, request),
        address: (id) => (ports.has(id) ? { host, port: ports.get(id)! } : undefined),
        served: (api) => {
          requests[api] = (requests[api] ?? 0) + 1
        },
      },
      () => backend.liveBrokerIds().includes(brokerId),
      options.maxConnections ?? 1000,
      options.tls,
    )
    listeners.set(brokerId, listener)
  }
  try {
    for (const [brokerId, listener] of listeners) {
      await listener.start(host, options.port === undefined || options.port === 0 ? 0 : options.port + brokerId)
      ports.set(brokerId, listener.port)
      log('info', `broker ${brokerId} listening on ${host}:${listener.port}${options.tls === undefined ? '' : ' (TLS)'}`)
    }
  } catch (error) {
    await Promise.all([...listeners.values()].map((l) => l.stop()))
    throw error
  }
  return {
    brokers: [...ports.values()].map((port) => `${host}:${port}`),
    requests,
    brokerDown(brokerId) {
      listeners.get(brokerId)?.dropConnections(`broker ${brokerId} crashed`)
    },
    async close() {
      await Promise.all([...listeners.values()].map((l) => l.stop()))
    },
  }
}

/** The listener's SASL users and mechanisms from `sasl` or `saslPlainUsers` (at most one of them). */
function saslAuthenticator(options: ListenOptions): SaslAuthenticator {
  if (options.sasl !== undefined && options.saslPlainUsers !== undefined) {
    throw new TypeError('cluster.listen(): give either sasl or saslPlainUsers, not both (saslPlainUsers is sasl with mechanisms: ["PLAIN"])')
  }
  const users = new Map(Object.entries(options.sasl?.users ?? options.saslPlainUsers ?? {}))
  const mechanisms = options.sasl?.mechanisms ?? (options.saslPlainUsers === undefined ? SASL_MECHANISMS : ['PLAIN'])
  const unknown = mechanisms.filter((m) => !(SASL_MECHANISMS as readonly string[]).includes(m))
  if (unknown.length > 0) throw new TypeError(`cluster.listen(): unknown SASL mechanism ${unknown.join(', ')}; kafkalite offers ${SASL_MECHANISMS.join(', ')}`)
  return new SaslAuthenticator(users, mechanisms)
}

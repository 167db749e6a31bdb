/**
 * `kafkalite serve`: a cluster behind its wire listener, for any Kafka client in any language. Prints the bootstrap
 * address and each broker's port (and, with `--console`, the web console's address), logs connections and requests
 * at debug, and on stop closes the listener and prints a summary (uptime, requests by API, topics).
 */
import { readFileSync } from 'node:fs'
import { Cluster } from '../cluster.js'
import { SASL_MECHANISMS } from '../wire/sasl.js'
import type { WireListener } from '../wire/listener.js'
import type { ServeOptions } from './serve-options.js'

/** A running `kafkalite serve`. */
export interface ServeHandle {
  readonly cluster: Cluster
  readonly listener: WireListener
  /** The web console's address, with `--console`. */
  readonly consoleUrl: string | undefined
  /** Closes the listener; resolves with the summary lines it printed. */
  stop(): Promise<string[]>
}

/** Starts the cluster and its listener; `print` receives the lines for the terminal. */
export async function serve(options: ServeOptions, print: (line: string) => void): Promise<ServeHandle> {
  const cluster = new Cluster({
    brokers: options.brokers,
    defaultReplicationFactor: options.replicationFactor,
    minInsyncReplicas: options.minInsync,
    numPartitions: options.partitions,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  })
  const listener = await cluster.listen({
    host: options.host,
    port: options.port,
    logLevel: options.logLevel,
    log: (level, line) => print(`${level.toUpperCase()} ${line}`),
    ...(options.saslUsers === undefined ? {} : { sasl: { users: options.saslUsers, ...(options.saslMechanisms === undefined ? {} : { mechanisms: options.saslMechanisms }) } }),
    ...(options.tls === undefined ? {} : { tls: { key: readFileSync(options.tls.keyPath), cert: readFileSync(options.tls.certPath) } }),
  })
  const started = cluster.clock.now()
  print(`kafkalite: ${options.brokers} broker(s), cluster ${cluster.clusterId}, seed ${cluster.seed}`)
  listener.brokers.forEach((address, id) => print(`  broker ${id} at ${address}`))
  print(`bootstrap: ${listener.brokers.join(',')}`)
  const security = securityProtocol(options)
  if (security !== 'PLAINTEXT') print(`security: ${security}${options.saslUsers === undefined ? '' : ` (SASL ${(options.saslMechanisms ?? SASL_MECHANISMS).join(', ')}; users ${Object.keys(options.saslUsers).join(', ')})`}`)
  print(`try: kcat -b ${listener.brokers[0]}${security === 'PLAINTEXT' ? '' : ` -X security.protocol=${security}`} -L`)
  // The console closes with the cluster; it binds the listener's host (and warns when that is not loopback).
  const ui = options.console === undefined ? undefined : await cluster.console({ host: options.host, port: options.console.port })
  if (ui !== undefined) print(`console: ${ui.url} (records any client sends show there, with the partition their key chose)`)
  let stopped: Promise<string[]> | undefined
  return {
    cluster,
    listener,
    consoleUrl: ui?.url,
    stop() {
      stopped ??= (async () => {
        const partitions = new Map<string, number>()
        for (const p of cluster.describe().partitions) if (!p.topic.startsWith('__')) partitions.set(p.topic, (partitions.get(p.topic) ?? 0) + 1)
        await cluster.close()
        const seconds = ((cluster.clock.now() - started) / 1000).toFixed(1)
        const requests = Object.entries(listener.requests).sort(([a], [b]) => a.localeCompare(b))
        const total = requests.reduce((sum, [, n]) => sum + n, 0)
        const topics = [...partitions].map(([name, count]) => ({ name, count }))
        const lines = [
          `kafkalite stopped after ${seconds} s: ${total} request(s)${requests.length > 0 ? ` (${requests.map(([api, n]) => `${api} ${n}`).join(', ')})` : ''}`,
          `topics: ${topics.length === 0 ? 'none' : topics.map((t) => `${t.name} (${t.count} partition(s))`).join(', ')}`,
        ]
        for (const line of lines) print(line)
        return lines
      })()
      return stopped
    },
  }
}

/** Kafka's name for what the listener asks of a client: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
function securityProtocol(options: ServeOptions): string {
  if (options.saslUsers === undefined) return options.tls === undefined ? 'PLAINTEXT' : 'SSL'
  return options.tls === undefined ? 'SASL_PLAINTEXT' : 'SASL_SSL'
}

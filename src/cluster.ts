/**
 * The public `Cluster`: a whole Kafka cluster in this process. It is the broker side
 * (`BrokerCluster`: controller, brokers, partition logs, group coordinator, fault injection)
 * joined to the in-process transport through which every client and every follower reaches
 * a broker, so that network faults and request hooks apply to all traffic alike.
 */
import { BrokerCluster, type ClusterOptions, type CrashOptions } from './broker/broker-cluster.js'
import { KafkaliteClusterError } from './broker/cluster-errors.js'
import type { ClusterConnection, TrackedClient } from './client/cluster/cluster-connection.js'
import { startConsole, type ConsoleHandle, type ConsoleOptions } from './console/index.js'
import { InProcessTransport } from './transport/in-process-transport.js'
import { listen, type ListenOptions, type WireListener } from './wire/listener.js'

export type { ClusterOptions, ListenOptions, WireListener }

/**
 * An in-process Kafka cluster.
 *
 * ```ts
 * const cluster = new Cluster({ brokers: 3, clock: new VirtualClock(), seed: 42 })
 * const kafka = new Kafka({ clientId: 'shop', cluster })
 * // ...
 * await cluster.close() // or: await using cluster = new Cluster(...)
 * ```
 *
 * Faults for your own tests: `crashBroker`, `restartBroker`, `isolateBroker`, `heal`, and
 * `cluster.transport.hooks` to delay, fail or drop requests by API name.
 */
export class Cluster extends BrokerCluster implements ClusterConnection {
  /** The network of this cluster: clients and brokers send every request through it. */
  readonly transport: InProcessTransport
  private readonly clients = new Set<TrackedClient>()
  private closing: Promise<void> | undefined

  constructor(options: ClusterOptions = {}) {
    super(options)
    this.transport = new InProcessTransport(this)
    this.attachChannel(this.transport)
  }

  private readonly listeners = new Set<WireListener>()

  /**
   * Serves Kafka's wire protocol: one TCP listener per broker on 127.0.0.1 (by default), in front
   * of the same handlers, hooks and faults as in-process clients. Any Kafka client connects to
   * `listener.brokers`. Use the system clock (the default) for TCP clients.
   *
   * ```ts
   * const listener = await cluster.listen({ port: 0 })
   * // kcat -b ${listener.brokers[0]} -L
   * await listener.close()
   * ```
   */
  async listen(options: ListenOptions = {}): Promise<WireListener> {
    if (this.closed) throw new KafkaliteClusterError('This cluster was closed; create a new Cluster to listen again')
    const listener = await listen(this, options)
    this.listeners.add(listener)
    return {
      ...listener,
      close: async () => {
        this.listeners.delete(listener)
        await listener.close()
      },
    }
  }

  /** Closes every wire listener this cluster opened. */
  async closeListeners(): Promise<void> {
    const open = [...this.listeners]
    this.listeners.clear()
    await Promise.all(open.map((l) => l.close()))
  }

  /** Also closes the crashed broker's TCP connections: a dead process's sockets are reset. */
  override crashBroker(id: number, options: CrashOptions = {}): void {
    super.crashBroker(id, options)
    for (const listener of this.listeners) listener.brokerDown(id)
  }

  /** Called by `Kafka` for every producer, consumer and admin made on this cluster, so {@link close} can disconnect it. */
  track(client: TrackedClient): void {
    this.clients.add(client)
  }

  /**
   * Starts the web console: a live page of brokers, partitions, groups and dead letters, with buttons
   * for faults and records. It is a client of this cluster's public API, binds 127.0.0.1 unless
   * `host` says otherwise, and {@link close} closes it.
   *
   * ```ts
   * const ui = await cluster.console({ port: 0 })
   * console.log(`open ${ui.url}`)
   * await ui.close()
   * ```
   */
  async console(options: ConsoleOptions = {}): Promise<ConsoleHandle> {
    return startConsole(this, options)
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.closing !== undefined
  }

  /**
   * Shuts the cluster down: the network closes (requests in flight fail, parked fetches end),
   * every broker timer stops, and every client made on it is disconnected. Afterwards nothing of
   * the cluster keeps the process alive, and a client used again fails with
   * `KafkaliteClusterClosedError`. Idempotent: later calls return the first call's promise.
   */
  close(): Promise<void> {
    this.closing ??= this.closeNow()
    return this.closing
  }

  /** `await using cluster = new Cluster(...)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  private async closeNow(): Promise<void> {
    // The network goes first, so that no client can wait on a broker while it is being disconnected.
    await this.closeListeners()
    this.transport.close()
    this.stopBrokers()
    await Promise.allSettled([...this.clients].map((client) => client.disconnect()))
    this.clients.clear()
  }
}

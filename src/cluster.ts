/**
 * The public `Cluster`: a whole Kafka cluster in this process. It is the broker side
 * (`BrokerCluster`: controller, brokers, partition logs, group coordinator, fault injection)
 * joined to the in-process transport through which every client and every follower reaches
 * a broker, so that network faults and request hooks apply to all traffic alike.
 */
import { BrokerCluster, type ClusterOptions } from './broker/broker-cluster.js'
import type { ClusterConnection, TrackedClient } from './client/cluster/cluster-connection.js'
import { InProcessTransport } from './transport/in-process-transport.js'

export type { ClusterOptions }

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

  /** Called by `Kafka` for every producer, consumer and admin made on this cluster, so {@link close} can disconnect it. */
  track(client: TrackedClient): void {
    this.clients.add(client)
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
    this.transport.close()
    this.stopBrokers()
    await Promise.allSettled([...this.clients].map((client) => client.disconnect()))
    this.clients.clear()
  }
}

/**
 * The public `Cluster`: a whole Kafka cluster in this process. It is the broker side
 * (`BrokerCluster`: controller, brokers, partition logs, group coordinator, fault injection)
 * joined to the in-process transport through which every client and every follower reaches
 * a broker, so that network faults and request hooks apply to all traffic alike.
 */
import { BrokerCluster, type ClusterOptions } from './broker/broker-cluster.js'
import type { ClusterConnection } from './client/cluster/cluster-connection.js'
import { startConsole, type ConsoleHandle, type ConsoleOptions } from './console/index.js'
import { InProcessTransport } from './transport/in-process-transport.js'

export type { ClusterOptions }

/**
 * An in-process Kafka cluster.
 *
 * ```ts
 * const cluster = new Cluster({ brokers: 3, clock: new VirtualClock(), seed: 42 })
 * const kafka = new Kafka({ clientId: 'shop', cluster })
 * ```
 *
 * Faults for your own tests: `crashBroker`, `restartBroker`, `isolateBroker`, `heal`, and
 * `cluster.transport.hooks` to delay, fail or drop requests by API name.
 */
export class Cluster extends BrokerCluster implements ClusterConnection {
  /** The network of this cluster: clients and brokers send every request through it. */
  readonly transport: InProcessTransport

  constructor(options: ClusterOptions = {}) {
    super(options)
    this.transport = new InProcessTransport(this)
    this.attachChannel(this.transport)
  }

  /**
   * Starts the web console: a live page of brokers, partitions, groups and dead letters, with buttons
   * for faults and records. It is a client of this cluster's public API and binds 127.0.0.1 unless
   * `host` says otherwise.
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
}

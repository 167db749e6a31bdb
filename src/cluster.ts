/**
 * The public `Cluster`: a whole Kafka cluster in this process. It is the broker side
 * (`BrokerCluster`: controller, brokers, partition logs, group coordinator, fault injection)
 * joined to the in-process transport through which every client and every follower reaches
 * a broker, so that network faults and request hooks apply to all traffic alike.
 */
import { BrokerCluster, type ClusterOptions, type CrashOptions } from './broker/broker-cluster.js'
import type { ClusterConnection } from './client/cluster/cluster-connection.js'
import { InProcessTransport } from './transport/in-process-transport.js'
import { listen, type ListenOptions, type WireListener } from './wire/listener.js'

export type { ClusterOptions, ListenOptions, WireListener }

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
}

/**
 * The public `Cluster`: a whole Kafka cluster in this process. It holds the broker side
 * (`BrokerFleet`: controller, brokers, partition logs, coordinators) privately and joins it to
 * the in-process transport through which every client and every follower reaches a broker, so
 * that network faults and request hooks apply to all traffic alike.
 *
 * Its public surface is what a user of the cluster needs: faults, a description, the transport's
 * hooks, closing, and the clock and seed to replay a run. The broker side's own objects
 * (controller, coordinators, brokers, the dispatch point) stay behind {@link brokerSideOf}, which
 * only kafkalite's own code and tests use: a client reaches a broker only through the transport.
 */
import { BrokerFleet, type ClusterOptions, type CrashOptions } from './broker/broker-fleet.js'
import type { ClusterDescription, DescribeOptions } from './broker/cluster-description.js'
import { KafkaliteClusterError } from './broker/cluster-errors.js'
import type { ClusterConfig } from './broker/cluster-options.js'
import type { ClientBootstrap, TrackedClient } from './client/network/client-bootstrap.js'
import { startConsole, type ConsoleHandle, type ConsoleOptions } from './console/index.js'
import type { Clock, SeededRandom } from './time/index.js'
import { InProcessTransport } from './transport/in-process-transport.js'
import { listen, type ListenOptions, type WireListener } from './wire/listener.js'

export type { ClusterOptions, ListenOptions, WireListener }

/** The broker side of every cluster, out of the public type's reach (see {@link brokerSideOf}). */
const brokerSides = new WeakMap<Cluster, BrokerFleet>()

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
export class Cluster implements ClientBootstrap {
  readonly clock: Clock
  /** The cluster's seeded random source: every random choice of the cluster and its clients draws from it. */
  readonly random: SeededRandom
  /** The seed of {@link random}: print it when a test fails, pass it back to replay. */
  readonly seed: number
  readonly clusterId: string
  /** The resolved options. */
  readonly config: Readonly<ClusterConfig>
  /** The network of this cluster: clients and brokers send every request through it. */
  readonly transport: InProcessTransport
  private readonly brokerSide: BrokerFleet
  private readonly clients = new Set<TrackedClient>()
  private closing: Promise<void> | undefined
  private readonly listeners = new Set<WireListener>()

  constructor(options: ClusterOptions = {}) {
    this.brokerSide = new BrokerFleet(options)
    brokerSides.set(this, this.brokerSide)
    this.clock = this.brokerSide.clock
    this.random = this.brokerSide.random
    this.seed = this.brokerSide.seed
    this.clusterId = this.brokerSide.clusterId
    this.config = this.brokerSide.config
    this.transport = new InProcessTransport(this.brokerSide)
    this.brokerSide.attachChannel(this.transport)
  }

  // Faults ---------------------------------------------------------------------------------------

  /**
   * Crashes broker `id`: it stops answering, its in-flight requests fail and its TCP connections
   * close (a dead process's sockets are reset); the controller fences it at once (its leaderships move to in-sync replicas, it leaves every ISR). Its log survives,
   * except with `loseUnflushed`. Throws `UnknownBrokerError` or `BrokerStateError` (already down)
   * without changing anything.
   */
  crashBroker(id: number, options: CrashOptions = {}): void {
    this.brokerSide.crashBroker(id, options)
    for (const listener of this.listeners) listener.brokerDown(id)
  }

  /**
   * Restarts a crashed broker: it learns the partition states from the controller, truncates any
   * suffix its leaders do not have (KIP-101), catches up, and rejoins the ISR. A broker that is
   * still isolated stays fenced until {@link heal}. Throws if the broker is unknown or already up.
   */
  restartBroker(id: number): void {
    this.brokerSide.restartBroker(id)
  }

  /**
   * Cuts broker `id` off from the other brokers and the controller; clients can still reach it.
   * After `brokerSessionTimeoutMs` the controller fences it (new leaders for its partitions);
   * the broker itself learns it lost leadership only at {@link heal}.
   */
  isolateBroker(id: number): void {
    this.brokerSide.isolateBroker(id)
  }

  /** Ends every network partition: isolated brokers reconnect, learn the current state, truncate and catch up. */
  heal(): void {
    this.brokerSide.heal()
  }

  // What a test may ask --------------------------------------------------------------------------

  /** Ids of all brokers (clients bootstrap from these; a down one is skipped as unreachable). */
  brokerIds(): number[] {
    return this.brokerSide.brokerIds()
  }

  /** Ids of the brokers that are up. */
  liveBrokerIds(): number[] {
    return this.brokerSide.liveBrokerIds()
  }

  /** The broker hosting the controller: the lowest-id broker that is up and not isolated, or -1. */
  controllerId(): number {
    return this.brokerSide.controllerId()
  }

  /** Whether a broker is cut off from the other brokers by {@link isolateBroker}. */
  isIsolated(brokerId: number): boolean {
    return this.brokerSide.isIsolated(brokerId)
  }

  /** A plain-object picture of the cluster: brokers up, down or isolated; per partition leader, replicas, ISR, log end offsets, high watermark. */
  describe(options: DescribeOptions = {}): ClusterDescription {
    return this.brokerSide.describe(options)
  }

  /** {@link describe}, rendered as readable text. */
  describeText(options: DescribeOptions = {}): string {
    return this.brokerSide.describeText(options)
  }

  // Front doors: the wire protocol's `listen()` and the web console's `console()` ---------------

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

  /**
   * Serves Kafka's wire protocol: one TCP listener per broker on 127.0.0.1 (by default), in front
   * of the same handlers, hooks and faults as in-process clients. Any Kafka client connects to
   * `listener.brokers`. Use the system clock (the default) for TCP clients; {@link close} closes it.
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
  private async closeListeners(): Promise<void> {
    const open = [...this.listeners]
    this.listeners.clear()
    await Promise.all(open.map((l) => l.close()))
  }

  // Lifecycle ------------------------------------------------------------------------------------

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
   * the cluster keeps the process alive. A client used again fails: a call says it is disconnected, as KafkaJS's
   * do, and `connect()` rejects with a `KafkaJSNonRetriableError` whose `cause` is a `KafkaliteClusterClosedError`.
   * Idempotent: later calls return the first call's promise.
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
    this.brokerSide.stopBrokers()
    await Promise.allSettled([...this.clients].map((client) => client.disconnect()))
    this.clients.clear()
  }
}

/**
 * The broker side of `cluster`: controller, brokers, coordinators and the dispatch point, which
 * bypass the transport. For kafkalite's own tests and test kit only: not exported from the package,
 * and no client code may use it (a client reaches a broker only through the transport).
 *
 * @internal
 */
export function brokerSideOf(cluster: Cluster): BrokerFleet {
  const brokerSide = brokerSides.get(cluster)
  if (brokerSide === undefined) throw new TypeError('brokerSideOf() needs a Cluster made with new Cluster()')
  return brokerSide
}

/**
 * The broker side of a kafkalite cluster: N brokers, one controller, one group coordinator, and
 * the fault injection a test needs (crash, restart, isolate, heal). Every request reaches a broker
 * through {@link BrokerFleet.dispatch}, the one dispatch point; brokers reach each other
 * (follower fetches) through the attached channel, so network faults apply to them too.
 *
 * Failure detection: a crashed broker is fenced by the controller at once (kafkalite models the
 * crash as noticed immediately); an isolated broker is fenced after `broker.session.timeout.ms`
 * (KRaft's heartbeat session, default 9000 ms) of cluster time. Until the heal, an isolated leader
 * believes it still leads: it accepts acks=1 writes that are truncated when it rejoins, and cannot
 * complete acks=all writes because its followers cannot fetch and the controller is out of reach.
 */
import { BrokerUnreachableError, type ApiName, type Endpoint, type Reply, type RequestChannel, type RequestOf, type ResponseOf } from '../protocol/index.js'
import { SeededRandom, SystemClock, TimerScope, type Clock, type TimerHandle } from '../time/index.js'
import { AclStore } from './acl/acl-store.js'
import { Authorizer } from './acl/authorizer.js'
import { Broker } from './broker.js'
import { describeCluster, renderClusterDescription, type ClusterDescription, type DescribeOptions } from './cluster-description.js'
import { BrokerStateError, UnknownBrokerError } from './cluster-errors.js'
import { resolveClusterConfig, type ClusterConfig, type ClusterOptions } from './cluster-options.js'
import { ConfigControl } from './config-control.js'
import { Controller, type ControllerResult, type TopicSnapshot } from './controller.js'
import { CoordinatorKey, CoordinatorLocator, coordinatorPartition } from './coordinator-placement.js'
import { DirectChannel } from './direct-channel.js'
import { GroupCoordinator } from './group/group-coordinator.js'
import type { SharedServices } from './handlers/handler-context.js'
import { ReplicationInvariants } from './replication-invariants.js'
import { TransactionCoordinator } from './transaction/transaction-coordinator.js'
import { route } from './request-router.js'
import { CONSUMER_OFFSETS_TOPIC } from './topic-name.js'

export type { ClusterOptions }

/** Options of {@link BrokerFleet.crashBroker}. */
export interface CrashOptions {
  /**
   * Also lose what the broker had not flushed, as a power loss would (default false: a process
   * crash keeps the OS page cache). What is flushed follows the topic's `flush.messages` /
   * `flush.ms` (Kafka's default: never, relying on replication) and segment rolls.
   */
  loseUnflushed?: boolean
}

/** The model of a Kafka cluster's servers. The public `Cluster` holds one privately and joins it to the transport. */
export class BrokerFleet {
  readonly clock: Clock
  readonly random: SeededRandom
  /** The seed of {@link random}: print it when a test fails, pass it back to replay. */
  readonly seed: number
  readonly clusterId: string
  /** The resolved options. */
  readonly config: ClusterConfig
  /** Topics, partition states, elections. */
  readonly controller: Controller
  /** Every consumer group's state (one per cluster: Kafka keeps it in the replicated `__consumer_offsets`). */
  readonly groupCoordinator: GroupCoordinator
  /** Every transactional id's state (one per cluster: Kafka keeps it in the replicated `__transaction_state`). */
  readonly transactionCoordinator: TransactionCoordinator
  /** The cluster's ACLs, enforced when the `authorizer` option is given. */
  readonly acls = new AclStore()
  private readonly authorizer: Authorizer | null
  private readonly brokers = new Map<number, Broker>()
  private readonly isolated = new Map<number, TimerHandle | undefined>()
  private channel: RequestChannel
  private readonly services: SharedServices
  private readonly coordinators: CoordinatorLocator
  private readonly invariants: ReplicationInvariants | undefined
  /** Every timer the brokers and coordinators schedule: {@link stopBrokers} cancels them all. */
  private readonly timers: TimerScope

  constructor(options: ClusterOptions = {}) {
    this.config = resolveClusterConfig(options)
    this.authorizer = options.authorizer === undefined ? null : new Authorizer(this.acls, options.authorizer)
    this.clock = options.clock ?? new SystemClock()
    this.timers = new TimerScope(this.clock)
    this.random = new SeededRandom(options.seed)
    this.seed = this.random.seed
    this.clusterId = options.clusterId ?? `kafkalite-${this.random.hex(16)}`
    this.channel = new DirectChannel(this)
    const ids = Array.from({ length: this.config.brokers }, (_, i) => i)
    this.controller = new Controller({
      config: this.config,
      random: this.random,
      brokerIds: ids,
      publish: (topic) => this.publish(topic),
      topicDeleted: (name) => this.topicDeleted(name),
    })
    this.coordinators = new CoordinatorLocator(this.controller, this.config)
    this.groupCoordinator = new GroupCoordinator({
      clock: this.timers,
      random: this.random.fork(),
      config: {
        minSessionTimeoutMs: this.config.groupMinSessionTimeoutMs,
        maxSessionTimeoutMs: this.config.groupMaxSessionTimeoutMs,
        initialRebalanceDelayMs: this.config.groupInitialRebalanceDelayMs,
        offsetsRetentionMs: this.config.offsetsRetentionMinutes * 60_000,
        offsetsRetentionCheckIntervalMs: this.config.offsetsRetentionCheckIntervalMs,
      },
      partitionExists: (topic, partition) => (this.controller.topics.get(topic)?.partitions.length ?? 0) > partition && partition >= 0,
    })
    const partitionExists = (topic: string, partition: number) => (this.controller.topics.get(topic)?.partitions.length ?? 0) > partition && partition >= 0
    this.transactionCoordinator = new TransactionCoordinator({
      clock: this.timers,
      maxTimeoutMs: this.config.transactionMaxTimeoutMs,
      transactionalIdExpirationMs: this.config.transactionalIdExpirationMs,
      removeExpiredCleanupIntervalMs: this.config.transactionRemoveExpiredTransactionCleanupIntervalMs,
      partitionExists,
      offsetsPartitionOf: (groupId) => ({ topic: CONSUMER_OFFSETS_TOPIC, partition: coordinatorPartition(groupId, this.coordinators.partitionCount(CoordinatorKey.GROUP)) }),
      routing: {
        clock: this.timers,
        channel: () => this.channel,
        coordinatorOf: (transactionalId) => {
          const found = this.coordinators.current(CoordinatorKey.TRANSACTION, transactionalId)
          return found.errorCode === 0 ? found.nodeId : -1
        },
        leaderOf: (topic, partition) => (partitionExists(topic, partition) ? this.controller.topics.get(topic)!.partitions[partition]!.leader : undefined),
      },
    })
    this.invariants = this.config.checkInvariants ? new ReplicationInvariants(this) : undefined
    for (const id of ids) {
      this.brokers.set(
        id,
        new Broker(id, {
          clock: this.timers,
          config: this.config,
          channel: () => this.channel,
          alterPartition: (brokerId, topic, partition, leaderEpoch, isr) =>
            this.canReachController(brokerId) && this.controller.alterPartition(brokerId, topic, partition, leaderEpoch, isr).errorCode === 0,
          afterChange: () => this.invariants?.check(),
        }),
      )
    }
    for (const broker of this.brokers.values()) broker.registered(this.controller.registerBroker(broker.id))
    this.publishLiveness()
    this.services = this.makeServices()
  }

  /** The transport calls this once, so brokers reach each other (follower Fetch) through it. */
  attachChannel(channel: RequestChannel): void {
    this.channel = channel
  }

  /** Ids of all brokers (clients bootstrap from these; a down one is skipped as unreachable). */
  brokerIds(): number[] {
    return [...this.brokers.keys()]
  }

  /** Ids of the brokers that are up. */
  liveBrokerIds(): number[] {
    return [...this.brokers.values()].filter((b) => b.isUp).map((b) => b.id)
  }

  /** A broker object, for tests and invariant checks; clients never touch it. */
  broker(id: number): Broker {
    const broker = this.brokers.get(id)
    if (broker === undefined) throw new UnknownBrokerError(id, this.brokerIds())
    return broker
  }

  /** The broker hosting the controller: the lowest-id broker that is up and not isolated, or -1. */
  controllerId(): number {
    for (const broker of this.brokers.values()) if (broker.isUp && !this.isolated.has(broker.id)) return broker.id
    return -1
  }

  /** Whether a broker is cut off from the other brokers by {@link isolateBroker}. */
  isIsolated(brokerId: number): boolean {
    return this.isolated.has(brokerId)
  }

  /** null if `from` can reach broker `brokerId`, else why not ("broker 2 is down", "broker 1 is isolated"). */
  unreachableReason(from: Endpoint, brokerId: number): string | null {
    const target = this.brokers.get(brokerId)
    if (target === undefined) return `there is no broker ${brokerId}`
    if (!target.isUp) return `broker ${brokerId} is down`
    if (from.kind === 'broker' && from.brokerId !== brokerId) {
      const source = this.brokers.get(from.brokerId)
      if (source === undefined || !source.isUp) return `broker ${from.brokerId} is down`
      if (this.isolated.has(brokerId)) return `broker ${brokerId} is isolated`
      if (this.isolated.has(from.brokerId)) return `broker ${from.brokerId} is isolated`
    }
    return null
  }

  /** The one dispatch point: serves `request` at broker `brokerId` with the handler of `api`. */
  dispatch<K extends ApiName>(brokerId: number, from: Endpoint, api: K, request: RequestOf<K>, signal?: AbortSignal): Promise<ResponseOf<K>> {
    return new Promise((resolve, reject) => this.serve(brokerId, from, api, request, signal, { resolve, reject }))
  }

  /** {@link dispatch} with callbacks instead of a promise: the in-process transport's hot path creates none of its own here. */
  serve<K extends ApiName>(
    brokerId: number,
    from: Endpoint,
    api: K,
    request: RequestOf<K>,
    signal: AbortSignal | undefined,
    reply: Reply<ResponseOf<K>>,
  ): void {
    const broker = this.brokers.get(brokerId)
    if (broker === undefined) return reply.reject(new BrokerUnreachableError(brokerId, `there is no broker ${brokerId}`))
    if (!broker.isUp) return reply.reject(new BrokerUnreachableError(brokerId, `broker ${brokerId} is down`))
    const ctx = { broker, cluster: this.services, from, signal }
    broker.serve(from, () => route(ctx, api, request), reply)
  }

  /**
   * Crashes broker `id`: it stops answering and its in-flight requests fail; the controller fences
   * it at once (its leaderships move to in-sync replicas, it leaves every ISR). Its log survives,
   * except with `loseUnflushed`. Throws {@link UnknownBrokerError} or {@link BrokerStateError}
   * (already down) without changing anything.
   */
  crashBroker(id: number, options: CrashOptions = {}): void {
    const broker = this.broker(id)
    if (!broker.isUp) throw new BrokerStateError(`Broker ${id} is already down; restartBroker(${id}) brings it back`)
    // The invariants learn the committed offsets as of now (an acknowledgement moves a leader's high watermark without
    // telling them), so a power loss is judged against what was really committed.
    this.invariants?.check()
    broker.crash(options.loseUnflushed ?? false)
    this.invariants?.onPowerLoss(broker, options.loseUnflushed ?? false)
    this.controller.fence(id)
    this.publishLiveness()
    this.invariants?.check()
  }

  /**
   * Restarts a crashed broker: it learns the partition states from the controller, truncates any
   * suffix its leaders do not have (KIP-101), catches up, and rejoins the ISR. A broker that is
   * still isolated stays fenced until {@link heal}. Throws if the broker is unknown or already up.
   */
  restartBroker(id: number): void {
    const broker = this.broker(id)
    if (broker.isUp) throw new BrokerStateError(`Broker ${id} is not down; only a crashed broker can be restarted`)
    broker.restart()
    if (!this.isolated.has(id)) this.rejoin(broker)
    this.invariants?.check()
  }

  /**
   * Cuts broker `id` off from the other brokers and the controller; clients can still reach it.
   * After `brokerSessionTimeoutMs` the controller fences it (new leaders for its partitions);
   * the broker itself learns it lost leadership only at {@link heal}.
   */
  isolateBroker(id: number): void {
    const broker = this.broker(id)
    if (this.isolated.has(id)) throw new BrokerStateError(`Broker ${id} is already isolated; heal() reconnects it`)
    this.isolated.set(
      id,
      this.timers.setTimeout(() => {
        this.isolated.set(id, undefined)
        this.controller.fence(id)
        this.publishLiveness()
        this.invariants?.check()
      }, this.config.brokerSessionTimeoutMs, { background: true }),
    )
    broker.dropBrokerConnections(`broker ${id} is isolated`)
    for (const other of this.brokers.values()) if (other.id !== id) other.dropBrokerConnections(`broker ${id} is isolated`, id)
  }

  /** Ends every network partition: isolated brokers reconnect, learn the current state, truncate and catch up. */
  heal(): void {
    const healed = [...this.isolated]
    this.isolated.clear()
    for (const [id, timer] of healed) {
      if (timer !== undefined) this.timers.clearTimeout(timer)
      const broker = this.brokers.get(id)!
      if (broker.isUp) this.rejoin(broker)
    }
    this.invariants?.check()
  }

  /** A plain-object picture of the cluster: brokers up, down or isolated; per partition leader, replicas, ISR, log end offsets, high watermark. */
  describe(options: DescribeOptions = {}): ClusterDescription {
    return describeCluster(this, options)
  }

  /** {@link describe}, rendered as readable text. */
  describeText(options: DescribeOptions = {}): string {
    return renderClusterDescription(this.describe(options))
  }

  /** Whether `brokerId` can reach the controller quorum. */
  canReachController(brokerId: number): boolean {
    const broker = this.brokers.get(brokerId)
    return broker !== undefined && broker.isUp && !this.isolated.has(brokerId)
  }

  /**
   * Stops the brokers for good (part of `Cluster.close()`): replication stops and every timer of
   * the brokers and coordinators is cancelled, so nothing of the cluster keeps a process alive.
   */
  stopBrokers(): void {
    for (const broker of this.brokers.values()) broker.stopFetchers()
    this.timers.close()
  }

  /**
   * A broker (back from a crash or isolation) rejoins: unfenced, given the full state, replicating.
   * A restarted process registers anew with a new broker epoch (KIP-380); a healed one keeps its epoch.
   */
  private rejoin(broker: Broker): void {
    if (broker.brokerEpoch === -1) broker.registered(this.controller.registerBroker(broker.id))
    this.controller.unfence(broker.id)
    broker.retainTopics(new Set(this.controller.topics.keys()))
    for (const topic of this.controller.topics.values()) broker.applyTopic(this.controller.snapshot(topic))
    broker.restartFetchers()
    this.publishLiveness()
  }

  private publish(topic: TopicSnapshot): void {
    for (const broker of this.brokers.values()) if (this.canReachController(broker.id)) broker.applyTopic(topic)
  }

  private topicDeleted(name: string): void {
    for (const broker of this.brokers.values()) if (this.canReachController(broker.id)) broker.removeTopic(name)
    this.groupCoordinator.onTopicDeleted(name)
  }

  private publishLiveness(): void {
    const live = this.controller.unfencedBrokers()
    const epochs = this.controller.registeredBrokerEpochs()
    const controllerId = this.controllerId()
    for (const broker of this.brokers.values()) {
      if (!this.canReachController(broker.id)) continue
      broker.learnLiveness(live, epochs, controllerId)
    }
  }

  private makeServices(): SharedServices {
    return {
      clock: this.timers,
      config: this.config,
      clusterId: this.clusterId,
      controller: this.controller,
      acls: this.acls,
      authorizer: this.authorizer,
      configs: new ConfigControl(this.controller, this.controller.brokerConfigs, this.config),
      groupCoordinator: this.groupCoordinator,
      transactionCoordinator: this.transactionCoordinator,
      canReachController: (id) => this.canReachController(id),
      autoCreateTopic: (name): ControllerResult =>
        this.controller.createTopic({ name, numPartitions: -1, replicationFactor: -1, replicaAssignment: [], configs: [] }, false),
      findCoordinator: (keyType, key) => this.coordinators.find(keyType, key),
      currentCoordinator: (keyType, key) => this.coordinators.current(keyType, key),
    }
  }
}

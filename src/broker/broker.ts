/**
 * One broker: the replicas it hosts, its metadata cache, the fetchers that replicate from other
 * leaders, the ISR upkeep of the partitions it leads, and the requests it is serving. The
 * controller publishes partition states to it; it becomes leader or follower accordingly.
 */
import { PartitionIndex, topicPartitionKey } from '../protocol/topic-partition.js'
import { BrokerUnreachableError, type Endpoint, type Reply } from '../protocol/index.js'
import type { TimerHandle } from '../time/index.js'
import type { BrokerEnvironment } from './broker-environment.js'
import { ChangeSignal } from './change-signal.js'
import type { TopicSnapshot } from './controller.js'
import { FetchSessionCache } from './fetch-session.js'
import { MetadataCache } from './metadata-cache.js'
import { NO_LEADER } from './partition-state.js'
import { PendingAnswer } from './pending-answer.js'
import { Replica } from './replica.js'
import { ReplicaFetcher } from './replica-fetcher.js'

/** What breaking a connection needs of a request in flight: who sent it, and how to fail it. */
interface Connection {
  readonly from: Endpoint
  readonly reject: (error: Error) => void
}

/**
 * A request this broker is serving: its answer reaches the sender only while it is still in flight (a crash or a
 * broken connection takes it out first). One object with methods, not a closure per callback: every request is one.
 */
class InFlight<T> implements Connection {
  constructor(
    private readonly inFlight: Set<Connection>,
    readonly from: Endpoint,
    private readonly work: () => T | Promise<T> | PendingAnswer<T>,
    private readonly reply: Reply<T>,
  ) {}

  /** Fails the request at once (its connection broke); the caller has taken it out of the in-flight set. */
  reject(error: Error): void {
    this.reply.reject(error)
  }

  /** Serves the request and hands its answer on, now or when it comes. */
  run(): void {
    try {
      const answer = this.work()
      if (answer instanceof PendingAnswer) answer.listen((value) => this.settle(value), (error) => this.fail(error))
      else if (answer instanceof Promise) answer.then((value) => this.settle(value), (error: unknown) => this.fail(error))
      else this.settle(answer)
    } catch (error) {
      this.fail(error)
    }
  }

  private settle(value: T): void {
    if (this.inFlight.delete(this)) this.reply.resolve(value)
  }

  private fail(error: unknown): void {
    if (this.inFlight.delete(this)) this.reply.reject(error)
  }
}

/** `up` serves requests; `down` is crashed (its logs persist, as on disk). */
export type BrokerStatus = 'up' | 'down'

export class Broker {
  private currentStatus: BrokerStatus = 'up'
  private epoch = -1
  readonly metadata = new MetadataCache()
  /** Incremental fetch sessions of the fetchers reading from this broker (KIP-227); lost in a crash. */
  readonly fetchSessions = new FetchSessionCache()
  /** Fires when this broker's leaderships or ISRs change, so parked follower fetches return and refresh their partition set. */
  readonly leadershipChanged = new ChangeSignal()
  private readonly replicaMap = new Map<string, Replica>()
  /** The same replicas, looked up per partition of every request without a key string. */
  private readonly replicaIndex = new PartitionIndex<Replica>()
  /** Topic id of the replicas held per topic name (they survive crashes, as disks do). */
  private readonly hostedTopicIds = new Map<string, string>()
  private fetchers = new Map<number, ReplicaFetcher>()
  private readonly inFlight = new Set<Connection>()
  private isrTimer: TimerHandle | undefined
  private retentionTimer: TimerHandle | undefined
  private cleanerTimer: TimerHandle | undefined
  private producerExpiryTimer: TimerHandle | undefined

  constructor(
    readonly id: number,
    private readonly env: BrokerEnvironment,
  ) {
    this.scheduleIsrCheck()
    this.scheduleRetentionCheck()
    this.scheduleCleanerCheck()
    this.scheduleProducerExpiration()
  }

  /** `up` or `down`; changed only by {@link crash} and {@link restart}. */
  get status(): BrokerStatus {
    return this.currentStatus
  }

  get isUp(): boolean {
    return this.currentStatus === 'up'
  }

  /** This incarnation's broker epoch from its registration with the controller (KIP-380); -1 until it registers. */
  get brokerEpoch(): number {
    return this.epoch
  }

  /** The controller registered this incarnation with `brokerEpoch` (KIP-380); a restart forgets it. */
  registered(brokerEpoch: number): void {
    this.epoch = brokerEpoch
  }

  /** The controller published the live brokers, their epochs and the controller's id to this broker. */
  learnLiveness(liveBrokers: readonly number[], brokerEpochs: ReadonlyMap<number, number>, controllerId: number): void {
    this.metadata.setLiveness(liveBrokers, brokerEpochs, controllerId)
  }

  replica(topic: string, partition: number): Replica | undefined {
    return this.replicaIndex.get(topic, partition)
  }

  replicas(): IterableIterator<Replica> {
    return this.replicaMap.values()
  }

  /**
   * Applies a topic's state from the controller: caches it, creates the replicas this broker
   * hosts, and makes each one leader or follower. A topic deleted and re-created under the same
   * name (which this broker may have missed while isolated) gets fresh replicas.
   */
  applyTopic(topic: TopicSnapshot): void {
    const heldId = this.hostedTopicIds.get(topic.name)
    if (heldId !== undefined && heldId !== topic.topicId) this.removeTopic(topic.name)
    this.metadata.put(topic)
    let leadershipChanged = false
    for (const state of topic.partitions) {
      if (!state.replicas.includes(this.id)) continue
      const key = topicPartitionKey(topic.name, state.partition)
      let replica = this.replicaMap.get(key)
      if (replica === undefined) {
        replica = new Replica(this.id, topic.topicId, state, topic.config, this.env.clock, this.env.config.checkInvariants)
        this.replicaMap.set(key, replica)
        this.replicaIndex.set(topic.name, state.partition, replica)
        this.hostedTopicIds.set(topic.name, topic.topicId)
        replica.applyState({ ...state, leader: NO_LEADER, leaderEpoch: -1 })
        leadershipChanged = true
      }
      const before = replica.state
      if (before === state) continue
      if (before.leader !== state.leader || before.leaderEpoch !== state.leaderEpoch || before.isr !== state.isr) leadershipChanged = true
      replica.applyState(state)
      this.assignFetcher(replica)
    }
    // A reassignment (KIP-455) moved a partition off this broker: its replica goes. Only this topic's replicas are
    // looked at, not every replica the broker hosts, so that creating n topics costs n, not n squared.
    for (const replica of this.replicaIndex.partitionsOf(topic.name) ?? []) {
      if (replica === undefined || topic.partitions[replica.partition]?.replicas.includes(this.id) !== false) continue
      this.forgetReplica(replica)
      leadershipChanged = true
    }
    if (leadershipChanged) this.leadershipChanged.notify()
    this.env.afterChange()
  }

  /** Forgets a deleted topic: its cache entry and replicas. */
  removeTopic(name: string): void {
    this.metadata.remove(name)
    this.hostedTopicIds.delete(name)
    for (const replica of this.replicaIndex.partitionsOf(name) ?? []) if (replica !== undefined) this.forgetReplica(replica)
  }

  /** Drops a replica this broker no longer hosts: no fetcher follows it, and whoever waits on it is woken. */
  private forgetReplica(replica: Replica): void {
    this.replicaMap.delete(topicPartitionKey(replica.topic, replica.partition))
    this.replicaIndex.delete(replica.topic, replica.partition)
    for (const fetcher of this.fetchers.values()) fetcher.remove(replica)
    replica.changed.notify()
  }

  /** Forgets every topic this broker no longer should know (after missing deletions while isolated). */
  retainTopics(names: ReadonlySet<string>): void {
    const held = new Set([...this.metadata.topics.keys(), ...this.hostedTopicIds.keys()])
    for (const name of held) if (!names.has(name)) this.removeTopic(name)
  }

  /**
   * Runs a request at this broker, in a later microtask (a request is never served inside its
   * sender's call), and hands the answer to `resolve`, or the failure to `reject`: the answer is lost
   * (`reject` as on a broken connection) if the broker crashes, or if a broker on either side is cut
   * off meanwhile. Callbacks, not a promise: an answer costs the sender its own promise only.
   */
  serve<T>(from: Endpoint, work: () => T | Promise<T> | PendingAnswer<T>, reply: Reply<T>): void {
    const entry = new InFlight(this.inFlight, from, work, reply)
    this.inFlight.add(entry)
    // Served even if the connection broke meanwhile: the request had arrived, only its answer is lost.
    queueMicrotask(() => entry.run())
  }

  /** Breaks the connections of in-flight requests sent by other brokers (or by `onlyFrom`). */
  dropBrokerConnections(reason: string, onlyFrom?: number): void {
    for (const entry of [...this.inFlight]) {
      if (entry.from.kind !== 'broker') continue
      if (onlyFrom !== undefined && entry.from.brokerId !== onlyFrom) continue
      this.inFlight.delete(entry)
      entry.reject(new BrokerUnreachableError(this.id, reason))
    }
  }

  /**
   * A crash: stops serving, breaks every connection, stops replicating. Logs survive (a process
   * crash keeps the page cache); with `loseUnflushed` (a power loss) they fall back to their
   * flushed offset.
   */
  crash(loseUnflushed: boolean): void {
    this.currentStatus = 'down'
    for (const entry of this.inFlight) entry.reject(new BrokerUnreachableError(this.id, `broker ${this.id} crashed`))
    this.inFlight.clear()
    this.stopFetchers()
    this.fetchSessions.clear()
    if (this.isrTimer !== undefined) this.env.clock.clearTimeout(this.isrTimer)
    this.isrTimer = undefined
    if (this.retentionTimer !== undefined) this.env.clock.clearTimeout(this.retentionTimer)
    this.retentionTimer = undefined
    if (this.cleanerTimer !== undefined) this.env.clock.clearTimeout(this.cleanerTimer)
    this.cleanerTimer = undefined
    if (this.producerExpiryTimer !== undefined) this.env.clock.clearTimeout(this.producerExpiryTimer)
    this.producerExpiryTimer = undefined
    for (const replica of this.replicaMap.values()) {
      if (loseUnflushed) replica.loseUnflushed()
      // Forget the role: on restart the controller tells this broker what it is.
      replica.applyState({ ...replica.state, leader: NO_LEADER, leaderEpoch: -1 })
    }
    this.metadata.clear()
  }

  /** Back up after a crash, a new incarnation: unregistered, with an empty metadata cache until it reaches the controller. */
  restart(): void {
    this.currentStatus = 'up'
    this.epoch = -1
    this.scheduleIsrCheck()
    this.scheduleRetentionCheck()
    this.scheduleCleanerCheck()
    this.scheduleProducerExpiration()
  }

  /** Stops and forgets every fetcher (crash, or cut off from the other brokers). */
  stopFetchers(): void {
    for (const fetcher of this.fetchers.values()) fetcher.stop()
    this.fetchers = new Map()
  }

  /** Restarts fetchers for every follower replica (after a heal). */
  restartFetchers(): void {
    this.stopFetchers()
    for (const replica of this.replicaMap.values()) {
      replica.reconnected()
      this.assignFetcher(replica)
    }
  }

  /**
   * Leader: whether a follower's fetch comes from an incarnation older than the one the controller's metadata
   * names: {@link isStaleFollowerFetch} for a partition whose latest fetch from that follower had this epoch.
   */
  isStaleFetchFrom(followerId: number, brokerEpoch: number): boolean {
    return brokerEpoch !== -1 && brokerEpoch < (this.metadata.brokerEpochs.get(followerId) ?? -1)
  }

  /**
   * Leader: whether a follower's fetch comes from an incarnation older than the one this broker
   * knows (from the controller's metadata or from that follower's own fetches): Kafka ignores it
   * for the follower's fetch state and ISR (KIP-903).
   */
  isStaleFollowerFetch(replica: Replica, followerId: number, brokerEpoch: number): boolean {
    if (brokerEpoch === -1) return false
    const known = Math.max(this.metadata.brokerEpochs.get(followerId) ?? -1, replica.followerBrokerEpoch(followerId))
    return brokerEpoch < known
  }

  /**
   * Leader: a follower fetched; if it has caught up, ask the controller to add it to the ISR, with
   * the broker epoch of each member (KIP-903). Only a follower whose fetches come from the
   * incarnation the controller registered is eligible.
   */
  maybeExpandIsr(replica: Replica, followerId: number): void {
    if (!replica.canJoinIsr(followerId)) return
    const epoch = replica.followerBrokerEpoch(followerId)
    if (epoch !== -1 && epoch !== this.metadata.brokerEpochs.get(followerId)) return
    const isr = [...replica.isr, followerId].map((id) => ({ brokerId: id, brokerEpoch: id === this.id ? this.brokerEpoch : replica.followerBrokerEpoch(id) }))
    this.env.alterPartition(this.id, replica.topic, replica.partition, replica.leaderEpoch, isr)
  }

  private assignFetcher(replica: Replica): void {
    for (const [leaderId, fetcher] of this.fetchers) if (leaderId !== replica.state.leader) fetcher.remove(replica)
    const leader = replica.state.leader
    if (!this.isUp || replica.isLeader || leader === NO_LEADER) return
    let fetcher = this.fetchers.get(leader)
    if (fetcher === undefined || fetcher.stopped) {
      fetcher = new ReplicaFetcher(this.id, this.brokerEpoch, leader, this.env)
      this.fetchers.set(leader, fetcher)
    }
    fetcher.add(replica)
  }

  /**
   * Kafka's log cleaner retention pass (`LogManager.cleanupLogs`): every `log.retention.check.interval.ms`,
   * on every replica this broker holds, delete the segments past retention. A background timer: it never
   * keeps a finished process alive.
   */
  private scheduleRetentionCheck(): void {
    this.retentionTimer = this.env.clock.setTimeout(() => {
      this.retentionTimer = undefined
      if (!this.isUp) return
      let moved = false
      for (const replica of this.replicaMap.values()) moved = replica.applyRetention() || moved
      if (moved) this.env.afterChange()
      this.scheduleRetentionCheck()
    }, this.env.config.logRetentionCheckIntervalMs, { background: true })
  }

  /**
   * Kafka's log cleaner threads (`LogCleaner`): every `log.cleaner.backoff.ms`, compact every replica this broker
   * holds whose topic has `cleanup.policy` compact and is due (log-cleaner.ts). A background timer.
   */
  private scheduleCleanerCheck(): void {
    this.cleanerTimer = this.env.clock.setTimeout(() => {
      this.cleanerTimer = undefined
      if (!this.isUp) return
      let cleaned = false
      for (const replica of this.replicaMap.values()) cleaned = replica.applyCompaction() || cleaned
      if (cleaned) this.env.afterChange()
      this.scheduleCleanerCheck()
    }, this.env.config.logCleanerBackoffMs, { background: true })
  }

  /** Kafka's isr-expiration task: every half `replica.lag.time.max.ms`, drop lagging followers from the ISR. */
  private scheduleIsrCheck(): void {
    const interval = Math.max(1, Math.floor(this.env.config.replicaLagTimeMaxMs / 2))
    this.isrTimer = this.env.clock.setTimeout(() => {
      this.isrTimer = undefined
      if (!this.isUp) return
      for (const replica of this.replicaMap.values()) {
        if (!replica.isLeader) continue
        const lagging = replica.laggingFollowers(this.env.config.replicaLagTimeMaxMs)
        if (lagging.length === 0) continue
        const isr = replica.isr.filter((id) => !lagging.includes(id))
        this.env.alterPartition(this.id, replica.topic, replica.partition, replica.leaderEpoch, isr.map((id) => ({ brokerId: id, brokerEpoch: -1 })))
      }
      this.scheduleIsrCheck()
    }, interval, { background: true })
  }

  /**
   * Kafka's producer id expiration task (`LogManager`'s `PeriodicProducerExpirationCheck`): every
   * `producer.id.expiration.check.interval.ms`, each replica forgets the producers that have not
   * written for `producer.id.expiration.ms` (KIP-854), so the state stays bounded however many
   * producers come and go. Stopped by a crash and started again on restart, as the other broker tasks; a background timer.
   */
  private scheduleProducerExpiration(): void {
    const { producerIdExpirationMs, producerIdExpirationCheckIntervalMs } = this.env.config
    this.producerExpiryTimer = this.env.clock.setTimeout(() => {
      this.producerExpiryTimer = undefined
      if (!this.isUp) return
      for (const replica of this.replicaMap.values()) replica.expireProducers(producerIdExpirationMs)
      this.scheduleProducerExpiration()
    }, producerIdExpirationCheckIntervalMs, { background: true })
  }
}

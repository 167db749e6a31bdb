/**
 * The client's view of the cluster, like KafkaJS's `cluster/index.js`: it sends requests
 * through the transport, keeps a metadata cache (leaders, replicas, ISR), finds coordinators,
 * and turns transport failures into KafkaJS's connection and timeout errors. Producers,
 * consumers and admins share nothing else.
 */
import { topicPartitionKey } from '../../protocol/topic-partition.js'
import {
  ApiKeys,
  BrokerUnreachableError,
  ClusterClosedError,
  RequestTimeoutError,
  type ApiName,
  type Endpoint,
  type RequestOf,
  type ResponseOf,
} from '../../protocol/api.js'
import { Errors } from '../../protocol/error-codes.js'
import type { BrokerMetadata, PartitionMetadata, TopicMetadata } from '../../protocol/metadata-apis.js'
import {
  KafkaJSBrokerNotFound,
  KafkaJSConnectionError,
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSNoBrokerAvailableError,
  KafkaJSRequestTimeoutError,
  KafkaJSTopicMetadataNotLoaded,
  protocolError,
} from '../errors.js'
import { isNetworkError } from '../error-policy.js'
import { createRetrier, type Retrier, type RetryOptions } from '../retry.js'
import type { ClientBootstrap } from './client-bootstrap.js'
import { KafkaliteClusterClosedError } from './cluster-closed-error.js'

/** Topic errors after which a topic just added to the target topics is dropped again (KafkaJS's rule). */
const TOPIC_REFUSED = new Set<string>([Errors.INVALID_TOPIC_EXCEPTION.type, Errors.UNKNOWN_TOPIC_OR_PARTITION.type, Errors.TOPIC_AUTHORIZATION_FAILED.type])

/** Partition metadata in KafkaJS's shape (`findTopicPartitionMetadata`). */
export interface PartitionMetadataView {
  partitionErrorCode: number
  partitionId: number
  leader: number
  leaderEpoch: number
  replicas: number[]
  isr: number[]
  offlineReplicas: number[]
}

/** Kafka's api key of ApiVersions (not one of kafkalite's modelled APIs). */
const API_VERSIONS_KEY = 18

/** KafkaJS's `*.network.request` / `*.network.request_timeout` payload for one request. */
export interface NetworkRequestEvent {
  broker: string
  clientId: string
  correlationId: number
  /** Bytes on the wire; 0 in-process, where nothing is encoded. */
  size: number
  createdAt: number
  sentAt: number
  pendingDuration: number
  duration: number
  apiName: string
  apiKey: number
  /** kafkalite's APIs are not versioned; always 0. */
  apiVersion: number
}

/** Listeners for a client's network events (KafkaJS's REQUEST and REQUEST_TIMEOUT instrumentation events). */
export interface NetworkInstrumentation {
  request?(event: NetworkRequestEvent): void
  requestTimeout?(event: Omit<NetworkRequestEvent, 'size' | 'duration'>): void
}

/** Options of a {@link BrokerRouter}, from the KafkaJS client config. */
export interface BrokerRouterOptions {
  clientId: string
  /** The principal every request carries (the authorizer checks ACLs for it); absent: `User:ANONYMOUS`. */
  principal?: string
  /** KafkaJS `requestTimeout`, default 30000 ms. */
  requestTimeout?: number
  retry?: RetryOptions
  /** Create topics named in Metadata requests if the broker allows (KafkaJS `allowAutoTopicCreation`, default true). */
  allowAutoTopicCreation?: boolean
  /** KafkaJS `metadataMaxAge`, default 300000 ms. */
  metadataMaxAge?: number
  /** Receives one event per request, for the client's REQUEST / REQUEST_TIMEOUT instrumentation events. */
  network?: NetworkInstrumentation
}

/**
 * The metadata of `partition` in a topic's list. Partitions are usually listed in order: a direct look-up keeps a
 * client of thousands of partitions linear (a send looks up the leader of each partition it writes to).
 */
function partitionIn(partitions: readonly PartitionMetadata[] | undefined, partition: number): PartitionMetadata | undefined {
  const direct = partitions?.[partition]
  return direct?.partition === partition ? direct : partitions?.find((p) => p.partition === partition)
}

function toFrozenView(p: PartitionMetadata): PartitionMetadataView {
  const view = toView(p)
  Object.freeze(view.replicas)
  Object.freeze(view.isr)
  Object.freeze(view.offlineReplicas)
  return Object.freeze(view)
}

function toView(p: PartitionMetadata): PartitionMetadataView {
  return {
    partitionErrorCode: p.errorCode,
    partitionId: p.partition,
    leader: p.leader,
    leaderEpoch: p.leaderEpoch,
    replicas: [...p.replicas],
    isr: [...p.isr],
    offlineReplicas: [...p.offlineReplicas],
  }
}

/** A client's connection to the cluster: requests, metadata cache, coordinators. */
export class BrokerRouter {
  readonly retrier: Retrier
  readonly endpoint: Endpoint
  private readonly requestTimeout: number
  private readonly allowAutoTopicCreation: boolean
  private readonly metadataMaxAge: number
  private readonly targetTopics = new Set<string>()
  private brokers = new Map<number, BrokerMetadata>()
  private topics = new Map<string, TopicMetadata>()
  /** {@link partitionerMetadata} per cached topic metadata (a new answer is a new object). */
  private readonly frozenViews = new WeakMap<TopicMetadata, PartitionMetadataView[]>()
  /** Leader epochs learnt outside metadata (KIP-320: from committed offsets), by topicPartitionKey. */
  private readonly lastSeenEpochs = new Map<string, number>()
  private controllerId = -1
  private clusterIdValue = ''
  private metadataLoadedAt = -Infinity
  private refreshing: Promise<void> | undefined
  private nextCorrelationId = 0
  /** Brokers this client has "connected" to: KafkaJS opens each connection with ApiVersions. */
  private readonly handshaken = new Set<number>()

  constructor(
    readonly connection: ClientBootstrap,
    readonly options: BrokerRouterOptions,
  ) {
    this.endpoint = { kind: 'client', clientId: options.clientId, principal: options.principal }
    this.requestTimeout = options.requestTimeout ?? 30_000
    this.allowAutoTopicCreation = options.allowAutoTopicCreation ?? true
    this.metadataMaxAge = options.metadataMaxAge ?? 300_000
    this.retrier = createRetrier(connection.clock, connection.random, options.retry)
  }

  get clock() {
    return this.connection.clock
  }

  get random() {
    return this.connection.random
  }

  /** The cluster id from the last metadata. */
  get clusterId(): string {
    return this.clusterIdValue
  }

  /**
   * KafkaJS sends ApiVersions first on every new connection to a broker, so its REQUEST events begin
   * with it. kafkalite has no versions to negotiate: the handshake is answered in-process (it never
   * reaches the broker) and only reported, with the correlation id it would take.
   */
  private handshake(brokerId: number): void {
    if (this.handshaken.has(brokerId)) return
    this.handshaken.add(brokerId)
    const now = this.clock.now()
    this.options.network?.request?.({
      broker: this.addressOf(brokerId),
      clientId: this.options.clientId,
      correlationId: this.nextCorrelationId++,
      size: 0,
      createdAt: now,
      sentAt: now,
      pendingDuration: 0,
      duration: 0,
      apiName: 'ApiVersions',
      apiKey: API_VERSIONS_KEY,
      apiVersion: 0,
    })
  }

  /**
   * Sends one request to one broker. Transport failures become KafkaJS errors
   * (`KafkaJSConnectionError`, `KafkaJSRequestTimeoutError`), both retriable.
   */
  // Not `async`: one `then` is the only promise a request adds here.
  send<K extends ApiName>(
    brokerId: number,
    api: K,
    request: RequestOf<K>,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<ResponseOf<K>> {
    this.handshake(brokerId)
    const sentAt = this.clock.now()
    const correlationId = this.nextCorrelationId++
    let sent: Promise<ResponseOf<K>>
    try {
      const requestTimeoutMs = options.timeoutMs ?? this.requestTimeout
      sent = this.connection.transport.send(this.endpoint, brokerId, api, request, options.signal === undefined ? { requestTimeoutMs } : { requestTimeoutMs, signal: options.signal })
    } catch (error) {
      // A channel that throws instead of rejecting fails the request all the same.
      sent = Promise.reject(error)
    }
    return sent.then(
      (response) => {
        // Assigned onto the description, not spread into a copy of it: the spread copy cost ~1.1 KB more per request.
        this.options.network?.request?.(Object.assign(this.describe(brokerId, api, correlationId, sentAt), { size: 0, duration: this.clock.now() - sentAt }))
        return response
      },
      (error: unknown) => {
        if (error instanceof ClusterClosedError) {
          throw new KafkaliteClusterClosedError(
            `${api} from client "${this.options.clientId}": its cluster was closed (cluster.close() or resetDefaultCluster()); make clients on the new cluster, and disconnect them before closing`,
            { cause: error },
          )
        }
        if (error instanceof RequestTimeoutError) this.options.network?.requestTimeout?.(this.describe(brokerId, api, correlationId, sentAt))
        if (error instanceof BrokerUnreachableError) {
          this.handshaken.delete(brokerId)
          this.metadataLoadedAt = -Infinity
          throw new KafkaJSConnectionError(`Connection error: ${error.message}`, { broker: this.addressOf(brokerId), code: 'ECONNREFUSED' })
        }
        if (error instanceof RequestTimeoutError) {
          this.metadataLoadedAt = -Infinity
          throw new KafkaJSRequestTimeoutError(`Request ${api} timed out`, { broker: this.addressOf(brokerId), pendingDuration: error.timeoutMs })
        }
        throw error
      },
    )
  }

  /** A request as KafkaJS's `request` and `request_timeout` events describe it (built only for those events). */
  private describe(brokerId: number, api: ApiName, correlationId: number, sentAt: number): Omit<NetworkRequestEvent, 'size' | 'duration'> {
    return {
      broker: this.addressOf(brokerId),
      clientId: this.options.clientId,
      correlationId,
      createdAt: sentAt,
      sentAt,
      pendingDuration: 0,
      apiName: api,
      apiKey: ApiKeys[api],
      apiVersion: 0,
    }
  }

  /** Sends to the first broker that answers, trying known brokers, then bootstrap ones, in a seeded order. */
  async sendToAny<K extends ApiName>(api: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
    const candidates = new Set<number>([...this.brokers.keys(), ...this.connection.brokerIds()])
    const order = [...candidates]
    if (order.length === 0) throw new KafkaJSNoBrokerAvailableError()
    const start = this.random.int(order.length)
    let lastError: unknown
    for (let i = 0; i < order.length; i++) {
      const brokerId = order[(start + i) % order.length]!
      try {
        return await this.send(brokerId, api, request)
      } catch (error) {
        if (!isNetworkError(error)) throw error
        lastError = error
      }
    }
    throw lastError instanceof Error ? lastError : new KafkaJSNoBrokerAvailableError()
  }

  /** True if every topic is a target topic with metadata loaded: {@link addTargetTopics} would do nothing. */
  targetsLoaded(topics: readonly string[]): boolean {
    return topics.every((t) => this.targetTopics.has(t) && this.topics.has(t))
  }

  /** True if {@link refreshMetadataIfNecessary} would reload metadata. */
  metadataStale(): boolean {
    return this.clock.now() - this.metadataLoadedAt >= this.metadataMaxAge
  }

  /** Adds topics whose metadata this client keeps, and loads them. */
  async addTargetTopics(topics: readonly string[]): Promise<void> {
    const missing = topics.filter((t) => !this.targetTopics.has(t))
    for (const t of topics) this.targetTopics.add(t)
    if (missing.length === 0 && topics.every((t) => this.topics.has(t))) return
    try {
      await this.refreshMetadata()
    } catch (error) {
      // As KafkaJS's addMultipleTargetTopics: a topic the cluster refuses must not poison every later refresh.
      if (TOPIC_REFUSED.has((error as { type?: string }).type ?? '')) for (const t of missing) this.targetTopics.delete(t)
      throw error
    }
  }

  /** Stops tracking topics (e.g. after they were deleted). */
  removeTargetTopics(topics: readonly string[]): void {
    for (const t of topics) {
      this.targetTopics.delete(t)
      this.topics.delete(t)
    }
  }

  /** Reloads metadata for the target topics (one refresh at a time; concurrent callers share it). */
  refreshMetadata(): Promise<void> {
    this.refreshing ??= this.retrier(async (bail) => {
      const response = await this.sendToAny('Metadata', {
        topics: [...this.targetTopics],
        allowAutoTopicCreation: this.allowAutoTopicCreation,
      })
      this.applyMetadata(response.topics, response, [...this.targetTopics])
      for (const topic of response.topics) {
        const err = protocolError(topic.errorCode, `topic ${topic.topic}`)
        // As KafkaJS's brokerPool.refreshMetadata: only LEADER_NOT_AVAILABLE is retried here; other topic
        // errors go straight to the caller, whose own retry decides (e.g. the producer's, for UNKNOWN_TOPIC_OR_PARTITION).
        if (err !== undefined) return err.type === Errors.LEADER_NOT_AVAILABLE.type ? Promise.reject(err) : bail(err)
        const leaderless = topic.partitions.find((p) => p.leader < 0)
        if (leaderless !== undefined) {
          throw protocolError(Errors.LEADER_NOT_AVAILABLE.code, `topic ${topic.topic} partition ${leaderless.partition} has no leader yet`)
        }
      }
    }).finally(() => {
      this.refreshing = undefined
    })
    return this.refreshing
  }

  /** Refreshes metadata if it is older than `metadataMaxAge` or was invalidated by an error. */
  async refreshMetadataIfNecessary(): Promise<void> {
    if (this.metadataStale()) await this.refreshMetadata()
  }

  /** Marks metadata stale, e.g. after NOT_LEADER_OR_FOLLOWER, so the next call reloads it. */
  invalidateMetadata(): void {
    this.metadataLoadedAt = -Infinity
  }

  /** Fetches metadata for `topics` (null = all) without changing the target topics; used by admin. */
  async metadata(topics: readonly string[] | null, allowAutoTopicCreation = false) {
    const response = await this.retrier(() => this.sendToAny('Metadata', { topics, allowAutoTopicCreation }))
    this.applyMetadata(
      response.topics.filter((t) => this.targetTopics.has(t.topic)),
      response,
      topics,
    )
    return response
  }

  /** Partition metadata of a topic from the cache, in KafkaJS's shape. */
  findTopicPartitionMetadata(topic: string): PartitionMetadataView[] {
    const meta = this.topics.get(topic)
    if (meta === undefined) throw new KafkaJSTopicMetadataNotLoaded('Topic metadata not loaded', { topic })
    return meta.partitions.map(toView)
  }

  /**
   * The partition metadata a partitioner is given on each send: {@link findTopicPartitionMetadata}'s views, built once
   * per metadata answer and frozen (a send over thousands of partitions would otherwise copy every one of them; KafkaJS
   * hands its partitioners its own cached metadata too, without copying).
   */
  partitionerMetadata(topic: string): PartitionMetadataView[] {
    const meta = this.topics.get(topic)
    if (meta === undefined) throw new KafkaJSTopicMetadataNotLoaded('Topic metadata not loaded', { topic })
    let views = this.frozenViews.get(meta)
    if (views === undefined) {
      views = meta.partitions.map(toFrozenView)
      Object.freeze(views)
      this.frozenViews.set(meta, views)
    }
    return views
  }

  /** How many partitions the cache knows of a topic: {@link findTopicPartitionMetadata}'s length, without building it. */
  partitionCount(topic: string): number {
    const meta = this.topics.get(topic)
    if (meta === undefined) throw new KafkaJSTopicMetadataNotLoaded('Topic metadata not loaded', { topic })
    return meta.partitions.length
  }

  /** True if the cache has metadata for the topic. */
  hasTopic(topic: string): boolean {
    return this.topics.has(topic)
  }

  /** The partitions of `topic` grouped by the broker that leads them. */
  findLeaderForPartitions(topic: string, partitions: readonly number[]): Map<number, number[]> {
    const byLeader = new Map<number, number[]>()
    const meta = this.findTopicPartitionMetadata(topic)
    for (const partition of partitions) {
      const leader = meta.find((p) => p.partitionId === partition)?.leader ?? -1
      if (leader < 0) continue
      let list = byLeader.get(leader)
      if (list === undefined) byLeader.set(leader, (list = []))
      list.push(partition)
    }
    return byLeader
  }

  /** The leader broker of one partition, or -1 if unknown. */
  leaderFor(topic: string, partition: number): number {
    return partitionIn(this.topics.get(topic)?.partitions, partition)?.leader ?? -1
  }

  /** Known brokers from the last metadata. */
  brokerList(): BrokerMetadata[] {
    return [...this.brokers.values()]
  }

  /** The controller id from the last metadata. */
  controller(): number {
    return this.controllerId
  }

  /**
   * Finds the coordinator of a group (keyType 0) or transactional id (keyType 1), retrying while it
   * is not available, as KafkaJS's `findGroupCoordinator` does.
   */
  async findCoordinator(key: string, keyType: 0 | 1 = 0): Promise<number> {
    return this.retrier(async (bail) => {
      const response = await this.sendToAny('FindCoordinator', { key, keyType })
      if (response.errorCode === 0) return response.nodeId
      const err = protocolError(response.errorCode, `finding the coordinator of ${keyType === 0 ? 'group' : 'transactional id'} "${key}"`, response.errorMessage)!
      if (err.retriable) throw err
      return bail(new KafkaJSGroupCoordinatorNotFound(err.message, { cause: err }))
    })
  }

  /** host:port of a broker, for error messages and events. */
  addressOf(brokerId: number): string {
    const broker = this.brokers.get(brokerId)
    return broker !== undefined ? `${broker.host}:${broker.port}` : `broker-${brokerId}`
  }

  /** Metadata of one broker, or KafkaJSBrokerNotFound. */
  findBroker(brokerId: number): BrokerMetadata {
    const broker = this.brokers.get(brokerId)
    if (broker === undefined) throw new KafkaJSBrokerNotFound(`Broker ${brokerId} not found in the cached metadata`)
    return broker
  }

  /**
   * Applies a Metadata answer to the cache. The cache counts as fresh only if the request covered
   * every target topic: an answer for some topics says nothing about the others. A partition whose
   * leader is not among the live brokers is stale at once, as after NOT_LEADER_OR_FOLLOWER.
   */
  private applyMetadata(
    topics: readonly TopicMetadata[],
    response: { brokers: readonly BrokerMetadata[]; controllerId: number; clusterId: string },
    requested: readonly string[] | null,
  ): void {
    if (response.brokers.length > 0) this.brokers = new Map(response.brokers.map((b) => [b.nodeId, b]))
    this.controllerId = response.controllerId
    this.clusterIdValue = response.clusterId
    let stale = false
    for (const topic of topics) {
      if (topic.errorCode === 0) {
        const merged = this.newerPartitions(topic)
        stale ||= merged !== topic
        this.topics.set(topic.topic, merged)
      } else if (topic.errorCode === Errors.UNKNOWN_TOPIC_OR_PARTITION.code) this.topics.delete(topic.topic)
    }
    const complete = requested === null || [...this.targetTopics].every((t) => requested.includes(t))
    if (complete) this.metadataLoadedAt = this.clock.now()
    if (stale || this.leaderGone()) this.metadataLoadedAt = -Infinity
  }

  /**
   * KIP-320 (Kafka's `Metadata.updateLatestMetadata`): a partition answered with an older leader
   * epoch than the cached one comes from a stale broker (one cut off from the controller); keep
   * what the cache knows (the same object back means nothing was kept). A new topic id is a new
   * topic, whose epochs start again.
   */
  private newerPartitions(topic: TopicMetadata): TopicMetadata {
    const cached = this.topics.get(topic.topic)
    if (cached !== undefined && cached.topicId !== topic.topicId) {
      for (const p of topic.partitions) this.lastSeenEpochs.delete(topicPartitionKey(topic.topic, p.partition))
      return topic
    }
    let stale = false
    const partitions = topic.partitions.map((p) => {
      const known = partitionIn(cached?.partitions, p.partition)
      const lastSeen = this.lastSeenEpochs.get(topicPartitionKey(topic.topic, p.partition)) ?? -1
      if (p.leaderEpoch < 0 || (p.leaderEpoch >= (known?.leaderEpoch ?? -1) && p.leaderEpoch >= lastSeen)) return p
      stale = true
      // Keep what the cache knows if it is new enough; else the leader is unknown until newer metadata comes.
      return known !== undefined && known.leaderEpoch >= lastSeen ? known : { ...p, leader: -1 }
    })
    return stale ? { ...topic, partitions } : topic
  }

  /** Whether a target partition names a leader that is not among the brokers of the last answer. */
  private leaderGone(): boolean {
    if (this.brokers.size === 0) return false
    for (const name of this.targetTopics) {
      for (const p of this.topics.get(name)?.partitions ?? []) if (p.leader >= 0 && !this.brokers.has(p.leader)) return true
    }
    return false
  }

  /**
   * KIP-320 (Kafka's `Metadata.updateLastSeenEpochIfNewer`): an epoch learnt from outside metadata, here the one a
   * committed offset was stored with. Metadata that names an older leader epoch for the partition is stale: its
   * leader is forgotten until a metadata answer at least that new arrives, so nothing is fetched from a stale leader.
   */
  noteLeaderEpoch(topic: string, partition: number, epoch: number): void {
    const key = topicPartitionKey(topic, partition)
    if (epoch <= (this.lastSeenEpochs.get(key) ?? -1)) return
    this.lastSeenEpochs.set(key, epoch)
    const cached = this.topics.get(topic)
    if (cached === undefined) return
    const known = cached.partitions.find((p) => p.partition === partition)
    if (known === undefined || known.leaderEpoch >= epoch) return
    this.topics.set(topic, { ...cached, partitions: cached.partitions.map((p) => (p === known ? { ...p, leader: -1 } : p)) })
    this.metadataLoadedAt = -Infinity
  }

  /** The highest leader epoch this client has seen for a partition (KIP-320), -1 if none. */
  leaderEpochFor(topic: string, partition: number): number {
    return partitionIn(this.topics.get(topic)?.partitions, partition)?.leaderEpoch ?? -1
  }
}

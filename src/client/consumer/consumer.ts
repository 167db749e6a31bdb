/**
 * KafkaJS's consumer (`kafka.consumer({ groupId })`), over a kafkalite cluster: the public facade.
 * It checks arguments and wires one run's machinery together: group membership
 * (`consumer-group-membership.ts`), the fetch-process loop (`runner.ts`) and offset bookkeeping
 * (`offset-manager.ts`). A crash restarts the consumer per `retry.restartOnFailure`, as KafkaJS.
 */
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../../protocol/data-apis.js'
import type { TimerHandle } from '../../time/clock.js'
import { PartitionAssigners, type Assigner } from '../assigners/index.js'
import type { ClientContext } from '../client-context.js'
import { createBrokerRouter } from '../client-context.js'
import type { BrokerRouter } from '../network/broker-router.js'
import { KafkaJSNonRetriableError, protocolError } from '../errors.js'
import { toError } from '../thrown-value.js'
import { InstrumentationEmitter, type InstrumentationEvent, type RemoveInstrumentationEventListener } from '../instrumentation/instrumentation-emitter.js'
import type { Logger } from '../logger.js'
import { createRetrier, type RetryOptions } from '../retry.js'
import { MIN_FETCH_WAIT_MS, resolveConsumerConfig, validateRunConfig, type ConsumerConfig, type ConsumerRunConfig, type ConsumerSubscribeTopics, type ResolvedConsumerConfig } from './consumer-config.js'
import { ConsumerEvents, type ConsumerEventName, type ConsumerEventNames } from './consumer-events.js'
import { checkSelectors, checkTopicPartition, toOffset } from './consumer-arguments.js'
import { ConsumerGroupMembership } from './consumer-group-membership.js'
import { toGroupDescription, type GroupDescription } from './group-description.js'
import { Fetcher } from './fetcher.js'
import { GroupCoordinatorClient } from './group-coordinator-client.js'
import { OffsetManager } from './offset-manager.js'
import { restartDelay, shouldRestart, type CrashError } from './restart-policy.js'
import { Runner } from './runner.js'
import { checkRunConfigKeys } from './run-config-keys.js'
import { DeadLetterProducer } from '../dead-letter/dead-letter-producer.js'
import { messageProcessor, resolveDeliveryPolicy, type DeliveryPolicy } from './delivery-policy.js'
import { SubscriptionState, type TopicPartitions, type TopicPartitionsSelector } from './subscription-state.js'

/** An offset to commit (KafkaJS's `TopicPartitionOffsetAndMetadata`). */
export interface TopicPartitionOffsetAndMetadata {
  topic: string
  partition: number
  offset: string
  metadata?: string | null
}

/** A seek target (KafkaJS's `TopicPartitionOffset`); -1 is the latest offset, -2 the earliest. */
export interface TopicPartitionOffset {
  topic: string
  partition: number
  offset: string
}

/** What one run (and each restart after a crash) is made of. */
interface RunParts {
  runner: Runner
  subscription: SubscriptionState
  offsets: OffsetManager
  /** Aborted when the run stops: ends a delivery policy's backoff wait. */
  stopController: AbortController
}

/** A KafkaJS-compatible consumer: a member of one consumer group. */
export class Consumer {
  /** KafkaJS's event names, e.g. `consumer.events.GROUP_JOIN`. */
  readonly events: ConsumerEventNames = ConsumerEvents
  private readonly config: ResolvedConsumerConfig
  private readonly cluster: BrokerRouter
  private readonly emitter: InstrumentationEmitter
  private readonly log: Logger
  private readonly retry: RetryOptions
  private readonly assigners: Assigner[]
  /** Subscribed topics with their `fromBeginning`. */
  private readonly topics = new Map<string, { fromBeginning: boolean }>()
  private parts: RunParts | undefined
  private restartTimer: TimerHandle | undefined
  private stopping: Promise<void> | undefined
  /** The run's retry and dead-letter policy, checked by `run`, reused by restarts after a crash. */
  private deliveryPolicy: DeliveryPolicy | undefined
  /** Writes dead-lettered records; connected while a run with a dead-letter topic is on, disconnected with the consumer. */
  private readonly deadLetters: DeadLetterProducer

  constructor(
    private readonly context: ClientContext,
    config: ConsumerConfig,
  ) {
    this.config = resolveConsumerConfig(config)
    this.retry = { ...context.retry, ...config.retry }
    this.cluster = createBrokerRouter(context, {
      retry: config.retry,
      allowAutoTopicCreation: this.config.allowAutoTopicCreation,
      metadataMaxAge: this.config.metadataMaxAge,
      network: {
        request: (event) => this.emitter.emit(ConsumerEvents.REQUEST, event),
        requestTimeout: (event) => this.emitter.emit(ConsumerEvents.REQUEST_TIMEOUT, event),
      },
    })
    this.log = context.logger.namespace('Consumer')
    this.emitter = new InstrumentationEmitter({ clock: context.connection.clock, events: ConsumerEvents, client: 'consumer', log: this.log })
    const { groupId } = this.config
    this.deadLetters = new DeadLetterProducer(context, this.cluster, { retry: config.retry, allowAutoTopicCreation: this.config.allowAutoTopicCreation })
    this.assigners = (config.partitionAssigners ?? [PartitionAssigners.roundRobin]).map((create) =>
      create({ cluster: this.cluster, groupId, logger: this.log }),
    )
  }

  /** Loads cluster metadata; emits CONNECT. */
  async connect(): Promise<void> {
    await this.cluster.refreshMetadata()
    this.emitter.emit(ConsumerEvents.CONNECT, null)
  }

  /** Stops consuming (leaving the group); emits DISCONNECT. */
  async disconnect(): Promise<void> {
    try {
      await this.stop()
      await this.deadLetters.disconnect()
      this.log.debug('consumer has stopped, disconnecting', { groupId: this.config.groupId })
      this.emitter.emit(ConsumerEvents.DISCONNECT, null)
    } catch (error) {
      this.log.error(`Caught error when disconnecting the consumer: ${(error as Error).message}`, { groupId: this.config.groupId })
      throw error
    }
  }

  /**
   * Subscribes to topics by name or RegExp (matched against the cluster's topics now, as KafkaJS
   * does: topics created later do not match). `fromBeginning` decides where a partition the group
   * never committed starts (Kafka's `auto.offset.reset`: earliest or latest).
   */
  async subscribe(subscription: ConsumerSubscribeTopics): Promise<void> {
    if (this.parts !== undefined) throw new KafkaJSNonRetriableError('Cannot subscribe to topic while consumer is running')
    const given = subscription as { topics?: unknown; topic?: unknown; fromBeginning?: boolean }
    if ((given?.topic === undefined || given.topic === null || given.topic === '') && (given?.topics === undefined || given.topics === null)) {
      throw new KafkaJSNonRetriableError('Missing required argument "topics"')
    }
    if (given.topics !== undefined && given.topics !== null && !Array.isArray(given.topics)) {
      throw new KafkaJSNonRetriableError('Argument "topics" must be an array')
    }
    const subscriptions = (given.topics ?? [given.topic]) as unknown[]
    for (const s of subscriptions) {
      if ((typeof s !== 'string' || s === '') && !(s instanceof RegExp)) {
        throw new KafkaJSNonRetriableError(`Invalid topic ${String(s)} (${typeof s}), the topic name has to be a String or a RegExp`)
      }
    }
    const fromBeginning = given.fromBeginning ?? false
    const needsList = subscriptions.some((s) => s instanceof RegExp)
    const allTopics = needsList ? (await this.cluster.metadata(null)).topics.filter((t) => !t.isInternal).map((t) => t.topic) : []
    const chosen: string[] = []
    for (const s of subscriptions as Array<string | RegExp>) {
      if (typeof s === 'string') chosen.push(s)
      else {
        const matched = allTopics.filter((name) => s.test(name))
        this.log.debug('Subscription based on RegExp', { groupId: this.config.groupId, topicRegExp: s.toString(), matchedTopics: matched })
        chosen.push(...matched)
      }
    }
    // Registered before the first await when no RegExp needs the topic list, as KafkaJS does: a
    // `subscribe()` that is not awaited, followed by `run()`, joins with its topics.
    for (const topic of chosen) this.topics.set(topic, { fromBeginning })
    await this.cluster.addTargetTopics(chosen)
  }

  /**
   * Joins the group and starts consuming in the background; resolves once the member has its
   * first assignment. Calling it again while running only logs a warning, as KafkaJS does.
   */
  async run(config: ConsumerRunConfig = {}): Promise<void> {
    if (this.parts !== undefined) {
      this.log.warn('consumer#run was called, but the consumer is already running', { groupId: this.config.groupId })
      return
    }
    checkRunConfigKeys(config)
    validateRunConfig(config)
    // Checked before anything starts: a bad policy changes nothing.
    this.deliveryPolicy = resolveDeliveryPolicy(config, [...this.topics.keys()])
    // A run replaces a restart still pending after a crash.
    if (this.restartTimer !== undefined) this.cluster.clock.clearTimeout(this.restartTimer)
    this.restartTimer = undefined
    await this.start(config)
  }

  /** Stops consuming and leaves the group; emits STOP. The consumer can `run` again afterwards. */
  stop(): Promise<void> {
    this.stopping ??= this.stopNow().finally(() => {
      this.stopping = undefined
    })
    return this.stopping
  }

  /**
   * Commits offsets for this group now (with the member's generation). Each offset is the next
   * one to read, Kafka's rule. Requires `run` first.
   */
  async commitOffsets(topicPartitions: TopicPartitionOffsetAndMetadata[]): Promise<void> {
    if (!Array.isArray(topicPartitions)) throw new KafkaJSNonRetriableError('commitOffsets expects an array of { topic, partition, offset }')
    const byTopic = new Map<string, Array<{ partition: number; offset: string; metadata: string | null }>>()
    for (const { topic, partition, offset, metadata = null } of topicPartitions) {
      checkTopicPartition(topic, partition)
      const value = toOffset(offset, 'offset')
      if (value < 0) throw new KafkaJSNonRetriableError('Offset must not be a negative number')
      if (metadata !== null && typeof metadata !== 'string') {
        throw new KafkaJSNonRetriableError(`Invalid offset metadata, expected string or null, received ${String(metadata)}`)
      }
      const list = byTopic.get(topic) ?? []
      list.push({ partition, offset: String(value), metadata })
      byTopic.set(topic, list)
    }
    const parts = this.requireRunning()
    await parts.runner.commitOffsets({ topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) })
  }

  /**
   * Moves a partition's position: its next fetch starts at `offset` (-1: latest, -2: earliest),
   * and already fetched messages of it are dropped. With auto-commit the offset is committed at
   * once, as KafkaJS does. Requires `run` first.
   */
  seek({ topic, partition, offset }: TopicPartitionOffset): void {
    checkTopicPartition(topic, partition)
    const value = toOffset(offset, 'offset')
    if (value < 0 && value !== LATEST_TIMESTAMP && value !== EARLIEST_TIMESTAMP) throw new KafkaJSNonRetriableError('Offset must not be a negative number')
    this.requireRunning().offsets.requestSeek(topic, partition, value)
  }

  /** Describes this consumer's group (DescribeGroups to its coordinator). */
  async describeGroup(): Promise<GroupDescription> {
    const { groupId } = this.config
    const coordinator = new GroupCoordinatorClient(this.cluster, groupId)
    const retrier = createRetrier(this.cluster.clock, this.cluster.random, this.retry)
    return retrier(async () => {
      const response = await coordinator.send('DescribeGroups', { groups: [groupId] })
      const group = response.groups.find((g) => g.groupId === groupId)
      if (group === undefined) throw new KafkaJSNonRetriableError(`The coordinator did not describe group "${groupId}"`)
      coordinator.noteError(group.errorCode)
      const error = protocolError(group.errorCode, `describing group "${groupId}"`)
      if (error !== undefined) throw error
      return toGroupDescription(group)
    })
  }

  /** Stops fetching these topics or partitions until `resume`. Requires `run` first. */
  pause(topicPartitions: TopicPartitionsSelector[]): void {
    const selectors = checkSelectors(topicPartitions, 'pause')
    const { subscription } = this.requireRunning()
    this.log.info(`Pausing fetching from ${selectors.length} topics`, { topicPartitions: selectors })
    subscription.pause(selectors)
  }

  /** Assigned partitions that are paused. */
  paused(): TopicPartitions[] {
    return this.parts?.subscription.paused() ?? []
  }

  /** Resumes fetching paused topics or partitions. Requires `run` first. */
  resume(topicPartitions: TopicPartitionsSelector[]): void {
    const selectors = checkSelectors(topicPartitions, 'resume')
    const { subscription } = this.requireRunning()
    this.log.info(`Resuming fetching from ${selectors.length} topics`, { topicPartitions: selectors })
    subscription.resume(selectors)
  }

  /** Listens to an instrumentation event (`consumer.events.*`); returns a function that removes the listener. */
  on(eventName: ConsumerEventName, listener: (event: InstrumentationEvent<any>) => unknown): RemoveInstrumentationEventListener {
    return this.emitter.on(eventName, listener)
  }


  /** The consumer's logger. */
  logger(): Logger {
    return this.log
  }

  private requireRunning(): RunParts {
    if (this.parts === undefined) throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first')
    return this.parts
  }

  private async start(config: ConsumerRunConfig): Promise<void> {
    const { groupId } = this.config
    this.log.info('Starting', { groupId })
    const parts = this.createRun(config)
    this.parts = parts
    try {
      if (this.deliveryPolicy?.deadLetterTopics !== undefined) await this.deadLetters.connect()
      await this.cluster.refreshMetadataIfNecessary()
    } catch (error) {
      // A run that cannot start (a dead-letter producer that cannot connect, metadata out of reach) leaves the consumer as it was, not running.
      this.parts = undefined
      throw error
    }
    // KafkaJS's consumer group emits CONNECT again when a run starts.
    this.emitter.emit(ConsumerEvents.CONNECT, null)
    await parts.runner.start()
  }

  private createRun(config: ConsumerRunConfig): RunParts {
    const c = this.config
    const { cluster, emitter } = this
    const retrier = createRetrier(cluster.clock, cluster.random, this.retry)
    const coordinator = new GroupCoordinatorClient(cluster, c.groupId)
    const topics = [...this.topics.keys()]
    const autoCommit = config.autoCommit ?? true
    const isolationLevel = c.readUncommitted ? 0 : 1
    const membership = new ConsumerGroupMembership({
      cluster,
      coordinator,
      emitter,
      logger: this.context.logger.namespace('ConsumerGroup'),
      retrier,
      groupId: c.groupId,
      topics,
      assigners: this.assigners,
      sessionTimeout: c.sessionTimeout,
      rebalanceTimeout: c.rebalanceTimeout,
      groupInstanceId: c.groupInstanceId ?? null,
    })
    const offsets = new OffsetManager({
      cluster,
      coordinator,
      emitter,
      identity: () => membership.identity(),
      fromBeginning: (topic) => this.topics.get(topic)?.fromBeginning ?? false,
      isolationLevel,
      autoCommit,
      autoCommitInterval: config.autoCommitInterval ?? null,
      autoCommitThreshold: config.autoCommitThreshold ?? null,
    })
    const subscription = new SubscriptionState()
    const stopController = new AbortController()
    const runnerLogger = this.context.logger.namespace('Runner')
    const fetcher = new Fetcher(
      cluster,
      subscription,
      offsets,
      { maxWaitTimeInMs: Math.max(c.maxWaitTimeInMs, MIN_FETCH_WAIT_MS), minBytes: c.minBytes, maxBytes: c.maxBytes, maxBytesPerPartition: c.maxBytesPerPartition, isolationLevel },
      runnerLogger,
      () => ({ groupId: c.groupId, memberId: membership.memberId }),
    )
    const runner = new Runner({
      cluster,
      membership,
      offsets,
      subscription,
      fetcher,
      emitter,
      logger: runnerLogger,
      retrier,
      heartbeatInterval: c.heartbeatInterval,
      autoCommit,
      eachBatchAutoResolve: config.eachBatchAutoResolve ?? true,
      partitionsConsumedConcurrently: config.partitionsConsumedConcurrently ?? 1,
      processMessage:
        config.eachMessage === undefined || config.eachMessage === null
          ? undefined
          : messageProcessor(config.eachMessage, this.deliveryPolicy, {
              clock: cluster.clock,
              random: cluster.random,
              groupId: c.groupId,
              heartbeatEveryMs: c.heartbeatInterval,
              stopSignal: stopController.signal,
              publisher: this.deadLetters,
              logger: runnerLogger,
            }),
      eachBatch: config.eachBatch ?? undefined,
      topics,
      onCrash: (error) => this.onCrash(error, config),
    })
    return { runner, subscription, offsets, stopController }
  }

  private async stopNow(): Promise<void> {
    const { groupId } = this.config
    try {
      if (this.parts !== undefined) {
        const { runner, stopController } = this.parts
        stopController.abort(new KafkaJSNonRetriableError('The consumer is stopping; the message will be delivered again'))
        await runner.stop()
        this.parts = undefined
        this.emitter.emit(ConsumerEvents.STOP, null)
      }
      if (this.restartTimer !== undefined) this.cluster.clock.clearTimeout(this.restartTimer)
      this.restartTimer = undefined
      this.log.info('Stopped', { groupId })
    } catch (error) {
      this.log.error(`Caught error when stopping the consumer: ${(error as Error).message}`, { groupId })
      throw error
    }
  }

  /**
   * KafkaJS's crash handling: disconnect (leaving the group), emit CRASH, and restart after the
   * retry time when the restart policy says so. It runs in the background, so it never rejects:
   * whatever fails is logged, and a restart that fails is a crash of its own (CRASH, then the
   * restart policy again), never an unhandled rejection.
   */
  private async onCrash(error: CrashError, config: ConsumerRunConfig): Promise<void> {
    const { groupId } = this.config
    this.log.error(`Crash: ${error.name}: ${error.message}`, { groupId, retryCount: error.retryCount, stack: error.stack })
    try {
      await this.disconnect()
    } catch (disconnectError) {
      this.log.error('Disconnecting after a crash failed', { groupId, error: toError(disconnectError, 'disconnect').message })
    }
    const restart = await shouldRestart(error, this.retry, this.log, groupId)
    this.emitter.emit(ConsumerEvents.CRASH, { error, groupId, restart })
    if (!restart) return
    const retryTime = restartDelay(error, this.retry)
    this.log.error(`Restarting the consumer in ${retryTime}ms`, { retryCount: error.retryCount, retryTime, groupId })
    this.restartTimer = this.cluster.clock.setTimeout(() => {
      this.restartTimer = undefined
      this.start(config).catch((startError: unknown) => this.onCrash(toError(startError, 'restart'), config))
    }, retryTime)
  }
}

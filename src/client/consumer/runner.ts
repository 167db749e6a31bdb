/**
 * The consumer's run loop, as KafkaJS's runner: fetch -> hand batches to `eachMessage` or
 * `eachBatch` -> resolve offsets -> auto-commit, heartbeating between messages and batches.
 * Rebalances (REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION, NOT_COORDINATOR, UNKNOWN_MEMBER_ID)
 * stop the in-flight work, commit what was processed, and rejoin; any other error is retried
 * with the consumer's retrier and, when retries run out, crashes the consumer (`onCrash`).
 */
import type { BrokerRouter } from '../network/broker-router.js'
import { isKafkaJSError } from '../errors.js'
import { isFatalForConsumer, isIllegalGenerationError, isRebalanceError, isRebalanceInProgressError, isUnknownMemberError, needsRejoin } from '../error-policy.js'
import { toError } from '../thrown-value.js'
import type { InstrumentationEmitter } from '../instrumentation/instrumentation-emitter.js'
import type { Logger } from '../logger.js'
import type { Retrier } from '../retry.js'
import type { Batch } from './batch.js'
import { ConsumerEvents } from './consumer-events.js'
import type { ConsumerGroupMembership } from './consumer-group-membership.js'
import { CooperativeRebalance } from './cooperative-rebalance.js'
import { FetchManager } from './fetch-manager.js'
import type { Fetcher, FetchResult } from './fetcher.js'
import { messagePayload, type EachBatchHandler, type EachMessagePayload } from './handler-payloads.js'
import type { OffsetManager, OffsetsByTopicPartition } from './offset-manager.js'
import type { SubscriptionState, TopicPartitions } from './subscription-state.js'

/**
 * How one message reaches the application: `eachMessage`, wrapped by the delivery policy
 * (`delivery-policy.ts`: retries, dead-letter topics), so that offsets are resolved only after the
 * policy has settled the message.
 */
export type MessageProcessor = (payload: EachMessagePayload) => Promise<void>

/** Options of a {@link Runner}. */
export interface RunnerOptions {
  cluster: BrokerRouter
  membership: ConsumerGroupMembership
  offsets: OffsetManager
  subscription: SubscriptionState
  fetcher: Fetcher
  emitter: InstrumentationEmitter
  logger: Logger
  retrier: Retrier
  heartbeatInterval: number
  autoCommit: boolean
  eachBatchAutoResolve: boolean
  partitionsConsumedConcurrently: number
  processMessage?: MessageProcessor
  eachBatch?: EachBatchHandler
  /** Topics the consumer subscribed to. */
  topics: readonly string[]
  /** Called once when the runner gives up; the consumer decides whether to restart. */
  onCrash(error: Error): Promise<void>
}

/** The fetch-process-commit loop of one consumer run. */
export class Runner {
  private running = false
  private stopped = false
  private consuming: Promise<void> | undefined
  private readonly fetchManager: FetchManager
  private readonly cooperative: CooperativeRebalance

  constructor(private readonly options: RunnerOptions) {
    this.cooperative = new CooperativeRebalance({ ...options, stopped: () => this.stopped })
    this.fetchManager = new FetchManager({
      nodeIds: () => options.cluster.brokerList().map((b) => b.nodeId),
      fetch: (nodeId, signal) => this.fetch(nodeId, signal),
      handle: (batch) => this.handleBatch(batch),
      concurrency: options.partitionsConsumedConcurrently,
      clock: options.cluster.clock,
    })
  }

  /** Joins the group and starts consuming in the background; a failure to join crashes the consumer. */
  async start(): Promise<void> {
    if (this.running || this.stopped) return
    try {
      await this.joinAndSync()
    } catch (error) {
      if (this.stopped) return
      await this.options.onCrash(toError(error, 'joining the group'))
      return
    }
    if (this.stopped) {
      await this.options.membership.leave().catch(() => undefined)
      return
    }
    this.running = true
    this.consuming = this.consume()
  }

  /** Stops fetching, lets the current message or batch finish, commits, and leaves the group. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.running = false
    this.fetchManager.stop()
    await this.consuming
    await this.cooperative.settled()
    // What was processed while commits waited for a cooperative rebalance is committed before leaving.
    await this.autoCommitOffsets().catch((error: Error) => this.options.logger.warn('Committing offsets before leaving failed', { error: error.message }))
    try {
      await this.options.membership.leave()
    } catch (error) {
      this.options.logger.debug('Leaving the group failed', { error: (error as Error).message })
    }
  }

  /** Commits explicit offsets (KafkaJS's `consumer.commitOffsets`), with retries. */
  async commitOffsets(offsets: OffsetsByTopicPartition): Promise<void> {
    if (!this.running) return
    await this.options.retrier(async () => {
      try {
        await this.options.offsets.commitOffsets(offsets)
      } catch (error) {
        if (!this.running) return
        throw error
      }
    })
  }

  private async consume(): Promise<void> {
    const { retrier, logger, membership } = this.options
    while (this.running) {
      try {
        await retrier(async (bail, retryCount, retryTime) => {
          if (!this.running) return
          try {
            await this.fetchManager.run()
          } catch (thrown) {
            if (!this.running) return
            const e = toError(thrown, 'fetching or processing')
            if (needsRejoin(e)) {
              await this.rejoin(e)
              return
            }
            if (isFatalForConsumer(e)) bail(e)
            logger.debug('Error while fetching or processing, trying again', {
              groupId: membership.groupId,
              memberId: membership.memberId,
              error: e.message,
              retryCount,
              retryTime,
            })
            throw e
          }
        })
      } catch (error) {
        if (!this.running) return
        this.running = false
        // Not awaited: the crash handler stops this runner, which waits for this loop to end. It never rejects; the catch is a last guard.
        this.options.onCrash(toError(error, 'the consumer')).catch((crashError: unknown) =>
          logger.error('Handling a crash failed', { groupId: membership.groupId, error: toError(crashError, 'onCrash').message }),
        )
        return
      }
    }
  }

  /** Rejoins after a rebalance signal; commits processed offsets first when the member is still in its generation. */
  private async rejoin(reason: Error): Promise<void> {
    const { membership } = this.options
    await this.cooperative.settled()
    this.announceRebalance(reason)
    if (isUnknownMemberError(reason)) membership.resetMemberId()
    else if (isIllegalGenerationError(reason)) membership.losePartitions()
    else await this.autoCommitOffsets().catch(() => undefined)
    await this.joinAndSync()
  }

  private announceRebalance(reason: Error): void {
    const { membership, emitter, logger } = this.options
    logger.warn('The group is rebalancing, re-joining', { groupId: membership.groupId, memberId: membership.memberId, error: reason.message })
    emitter.emit(ConsumerEvents.REBALANCING, { groupId: membership.groupId, memberId: membership.memberId })
  }

  /**
   * Joins and syncs, then takes the new assignment. With a cooperative assignor a member that
   * had to give partitions up rejoins at once, so they can go to their new owner (KIP-429).
   */
  private async joinAndSync(): Promise<void> {
    const { membership, offsets, subscription, fetcher, topics } = this.options
    for (;;) {
      const ownedBefore = membership.assignment
      const outcome = await membership.joinAndSync()
      const assignment: TopicPartitions[] = [...outcome.assignment].map(([topic, partitions]) => ({ topic, partitions: [...partitions] }))
      subscription.assign(assignment)
      // Cooperative: positions of partitions kept through the rebalance stay; everything else starts from the committed offset.
      offsets.assign(outcome.assignment, (topic, partition) => outcome.cooperative && (ownedBefore.get(topic)?.includes(partition) ?? false))
      fetcher.rememberPartitionCounts(topics)
      if (!outcome.cooperative || outcome.revoked.length === 0 || this.stopped) return
    }
  }

  private async fetch(nodeId: number, signal: AbortSignal): Promise<FetchResult> {
    const { emitter, cluster } = this.options
    if (!this.running) return { batches: [], release: () => undefined }
    const started = cluster.clock.now()
    // KafkaJS names brokers by the string keys of its broker pool.
    emitter.emit(ConsumerEvents.FETCH_START, { nodeId: String(nodeId) })
    const result = await this.options.fetcher.fetch(nodeId, signal)
    emitter.emit(ConsumerEvents.FETCH, { numberOfBatches: result.batches.length, duration: cluster.clock.now() - started, nodeId: String(nodeId) })
    // A fetch that ended early and empty may mean the group is rebalancing: ask now, not at the next interval.
    if (result.batches.length === 0 || result.endedEarly === true) {
      try {
        await this.heartbeat(result.endedEarly === true)
        await this.autoCommitWhileIdle()
      } catch (error) {
        result.release()
        throw error
      }
    }
    return result
  }

  /**
   * Sends a heartbeat if due. On a rebalance, a cooperative member rejoins in the background and
   * goes on processing (KIP-429); an eager one commits what it processed and rethrows, so the
   * runner stops everything and rejoins.
   */
  private async heartbeat(now = false): Promise<void> {
    const { membership } = this.options
    if (this.cooperative.active) return
    this.cooperative.throwIfFailed()
    try {
      await membership.heartbeat(now ? 0 : this.options.heartbeatInterval)
    } catch (error) {
      const e = error as Error
      if (isRebalanceInProgressError(e) && membership.isCooperative() && !this.stopped) {
        this.announceRebalance(e)
        this.cooperative.start()
        return
      }
      if (isRebalanceError(e)) await this.autoCommitOffsets()
      throw error
    }
  }

  /** True if {@link heartbeat} would do anything now (send a beat, or surface a failed cooperative rejoin); `now` is the clock's time. */
  private heartbeatMayAct(now?: number): boolean {
    return !this.cooperative.active && (this.cooperative.hasFailed() || this.options.membership.heartbeatDue(this.options.heartbeatInterval, now))
  }

  private async handleBatch(batch: Batch): Promise<void> {
    if (!this.running) return
    const { emitter, cluster, offsets } = this.options
    const started = cluster.clock.now()
    const payload: BatchProcessPayload = {
      topic: batch.topic,
      partition: batch.partition,
      highWatermark: batch.highWatermark,
      offsetLag: batch.offsetLag(),
      offsetLagLow: batch.offsetLagLow(),
      batchSize: batch.size,
      firstOffset: batch.firstOffset(),
      lastOffset: batch.lastOffset(),
    }
    if (batch.isEmptyDueToFiltering()) {
      // Only control records or aborted transactions: move past them so the consumer does not stall.
      emitter.emit(ConsumerEvents.START_BATCH_PROCESS, payload)
      offsets.resolveOffset(batch.topic, batch.partition, Number(batch.lastOffset()), this.epochOf(batch.topic, batch.partition, batch.lastOffset()))
      await this.autoCommitOffsetsIfNecessary()
      emitter.emit(ConsumerEvents.END_BATCH_PROCESS, endBatchPayload(payload, cluster.clock.now() - started))
      if (this.heartbeatMayAct()) await this.heartbeat()
      return
    }
    if (batch.isEmpty()) {
      if (this.heartbeatMayAct()) await this.heartbeat()
      return
    }
    emitter.emit(ConsumerEvents.START_BATCH_PROCESS, payload)
    if (this.options.processMessage !== undefined) await this.processEachMessage(batch)
    else if (this.options.eachBatch !== undefined) await this.processEachBatch(batch)
    emitter.emit(ConsumerEvents.END_BATCH_PROCESS, endBatchPayload(payload, cluster.clock.now() - started))
    await this.autoCommitOffsets()
    // Awaited only when due or failed, as after each message: no heartbeat promise per batch.
    if (this.heartbeatMayAct()) await this.heartbeat()
  }

  private pauseOf(topic: string, partition: number): () => () => void {
    const { subscription } = this.options
    return () => {
      subscription.pause([{ topic, partitions: [partition] }])
      return () => subscription.resume([{ topic, partitions: [partition] }])
    }
  }

  /** The `heartbeat` of every eachMessage payload: one function for the runner, not one per batch. */
  private readonly heartbeatNow = (): Promise<void> => this.heartbeat()

  private async processEachMessage(batch: Batch): Promise<void> {
    const { topic, partition } = batch
    const { offsets, subscription, logger, autoCommit } = this.options
    const processMessage = this.options.processMessage!
    const pause = this.pauseOf(topic, partition)
    const { clock } = this.options.cluster
    const cursor = batch.cursor()
    // What a seek, a pause or a new assignment could change is looked up again only after one happened: these
    // checks run per message, and the counters say whether anything moved since the last look.
    let seeksSeen = -1
    let changesSeen = -1
    let paused = false
    for (let message = cursor.next(); message !== undefined; message = cursor.next()) {
      // The batch may go on: the consumer runs, no other loop failed, no seek made it stale, the partition is still ours.
      if (!this.running || this.fetchManager.interrupted) break
      if (seeksSeen !== offsets.seekRequests || changesSeen !== subscription.changes) {
        if (offsets.hasPendingSeek(topic, partition) || !subscription.isAssigned(topic, partition)) break
        seeksSeen = offsets.seekRequests
        changesSeen = subscription.changes
        paused = subscription.isPaused(topic, partition)
      }
      try {
        await processMessage(messagePayload(topic, partition, message, this.heartbeatNow, pause))
      } catch (thrown) {
        const error = toError(thrown, 'eachMessage')
        if (!isKafkaJSError(error)) {
          logger.error('Error when calling eachMessage', { topic, partition, offset: message.offset, stack: error.stack, error })
        }
        // What was processed before the failure is committed; the failed message is fetched again.
        await this.autoCommitOffsets()
        throw error
      }
      // KIP-320: the epoch of the stored batch the message came from, committed with the offset after it.
      offsets.resolveOffset(topic, partition, cursor.offset, cursor.leaderEpoch)
      // Awaited only when due: no promise per message on the hot path. One clock reading serves both checks.
      let now = clock.now()
      if (this.heartbeatMayAct(now)) {
        await this.heartbeat()
        now = clock.now()
      }
      if (autoCommit && offsets.commitDue(now)) await this.autoCommitOffsetsIfNecessary()
      if (changesSeen !== subscription.changes) paused = subscription.isPaused(topic, partition)
      if (paused) break
    }
  }

  private async processEachBatch(batch: Batch): Promise<void> {
    const { topic, partition } = batch
    const { offsets, logger } = this.options
    const eachBatch = this.options.eachBatch!
    const lastMessage = batch.messages[batch.messages.length - 1]
    try {
      await eachBatch({
        batch,
        resolveOffset: (offset) => {
          // Resolving the last message also moves past trailing control records, which the handler never sees.
          const target = lastMessage !== undefined && Number(offset) === Number(lastMessage.offset) ? batch.lastOffset() : offset
          offsets.resolveOffset(topic, partition, Number(target), this.epochOf(topic, partition, target))
        },
        heartbeat: () => this.heartbeat(),
        pause: this.pauseOf(topic, partition),
        // As KafkaJS: the interval and threshold decide, whatever `autoCommit` says.
        commitOffsetsIfNecessary: async (explicit) => {
          if (explicit !== undefined) await offsets.commitOffsets(explicit)
          else await offsets.commitOffsetsIfNecessary()
        },
        uncommittedOffsets: () => offsets.uncommittedOffsets(),
        isRunning: () => this.running,
        isStale: () => offsets.hasPendingSeek(topic, partition) || !this.options.subscription.isAssigned(topic, partition),
      })
    } catch (thrown) {
      const error = toError(thrown, 'eachBatch')
      if (!isKafkaJSError(error)) {
        logger.error('Error when calling eachBatch', { topic, partition, offset: batch.firstOffset(), stack: error.stack, error })
      }
      await this.autoCommitOffsets()
      throw error
    } finally {
      batch.discardMessages()
    }
    if (this.options.eachBatchAutoResolve) offsets.resolveOffset(topic, partition, Number(batch.lastOffset()), this.epochOf(topic, partition, batch.lastOffset()))
  }

  /** KIP-320: the leader epoch of a record just handled, to be committed with the offset after it. */
  private epochOf(topic: string, partition: number, offset: string | number): number {
    return this.options.fetcher.epochOfRecord(topic, partition, Number(offset)) ?? -1
  }

  /** Auto-commits, except while a cooperative rebalance is under way: its generation is in flux, so commits wait for it to settle. */
  private async autoCommitOffsets(): Promise<void> {
    if (this.options.autoCommit && !this.cooperative.active) await this.options.offsets.commitOffsets()
  }

  private async autoCommitOffsetsIfNecessary(): Promise<void> {
    if (this.options.autoCommit && !this.cooperative.active) await this.options.offsets.commitOffsetsIfNecessary()
  }

  /**
   * After an empty fetch: offsets processed but not committed (held back by a cooperative rebalance, or left by a
   * failed commit) are committed whether or not records arrive, as Java's consumer checks `auto.commit.interval.ms`
   * on every poll.
   */
  private async autoCommitWhileIdle(): Promise<void> {
    if (this.options.autoCommit && !this.cooperative.active) await this.options.offsets.commitOffsetsWhileIdle()
  }
}

/** The payload of START_BATCH_PROCESS: where the batch is and what it holds. */
interface BatchProcessPayload {
  readonly topic: string
  readonly partition: number
  readonly highWatermark: string
  readonly offsetLag: string
  readonly offsetLagLow: string
  readonly batchSize: number
  readonly firstOffset: string | null
  readonly lastOffset: string
}

/**
 * The payload of END_BATCH_PROCESS: the start's, with the duration. Written out, not spread: V8 copies a spread
 * object through a slower path (~450 B more per batch, measured in isolation).
 */
function endBatchPayload(start: BatchProcessPayload, duration: number): BatchProcessPayload & { readonly duration: number } {
  const { topic, partition, highWatermark, offsetLag, offsetLagLow, batchSize, firstOffset, lastOffset } = start
  return { topic, partition, highWatermark, offsetLag, offsetLagLow, batchSize, firstOffset, lastOffset, duration }
}
